-- wrk script for the soak (tests/bench/soak.py): every connection walks the paths listed one a line
-- in the file SOAK_PATHS, each thread from its own offset; answers are counted by wall-clock second
-- and status, and done() prints the counts merged over the threads, then wrk's socket errors.

local paths = {}
for line in io.lines(os.getenv("SOAK_PATHS")) do
  paths[#paths + 1] = line
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  counts = {}
  position = id * 17
end

function request()
  position = position + 1
  return wrk.format("GET", paths[position % #paths + 1])
end

function response(status, headers, body)
  local key = os.time() .. " " .. status
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      merged[key] = (merged[key] or 0) + n
    end
  end
  for key, n in pairs(merged) do
    io.write("count ", key, " ", n, "\n")
  end
  local e = summary.errors
  io.write(string.format("socket %d %d %d %d\n", e.connect, e.read, e.write, e.timeout))
  io.write(string.format("latency %d %d %d\n", latency:percentile(50), latency:percentile(95), latency.max))
end
