#!/usr/bin/env bash
# Property-based API fuzzing: schemathesis against the live OpenAPI schema of a throwaway server.
#
# Makes a fresh SQLite database, migrates and seeds it, serves the site with gunicorn on a free
# local port (8103–8110), and runs schemathesis over every operation of /api/schema/. Fails on any
# 5xx and on any response that does not match the schema (status, content type, headers, body).
# The server is always stopped and the database removed on exit.
#
# Tunables: FUZZ_MAX_EXAMPLES (default 10 per operation and phase), FUZZ_SEED, FUZZ_WORKERS.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=${PY:-.venv/bin/python}
case "$PY" in /*) ;; *) PY="$PWD/$PY" ;; esac
BIN=$(dirname "$PY")
WORK=$(mktemp -d /tmp/partnership-fuzz.XXXXXX)
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export DEBUG="${DEBUG:-0}"
export SECRET_KEY="${SECRET_KEY:-fuzz-only-secret-key}"
export MANIFEST_STATIC="${MANIFEST_STATIC:-0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-testserver,localhost,127.0.0.1}"
# The throwaway server speaks plain HTTP (no redirect to https://, no secure cookies).
export PLAIN_HTTP="${PLAIN_HTTP:-1}"
# The fuzzer sends thousands of anonymous requests; the production limit would answer 429.
export API_ANON_RATE="${API_ANON_RATE:-1000000/minute}"

echo "== fuzz: database in $WORK"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py setup_roles >/dev/null
if "$PY" manage.py help seed >/dev/null 2>&1 && "$PY" manage.py seed >/dev/null && "$PY" manage.py seed --demo >/dev/null; then
  echo "== fuzz: seeded with manage.py seed and seed --demo"
else
  echo "== fuzz: manage.py seed unavailable; seeding from the test factories"
  "$PY" tests/fuzz/seed_factories.py
fi

# A secretariat token, so that the second pass fuzzes writes past authentication (model validation).
TOKEN=$("$PY" manage.py shell -c "
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from partnership.permissions import SECRETARIAT
user, _ = User.objects.get_or_create(username='fuzz-secretariat', defaults={'is_staff': True})
user.groups.add(Group.objects.get(name=SECRETARIAT))
print(Token.objects.get_or_create(user=user)[0].key)
" | tail -n 1 | tr -d '[:space:]')

port=""
for candidate in 8103 8104 8105 8106 8107 8108 8109 8110; do
  if ! "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $candidate)) != 0)"; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || { echo "no free port in 8103-8110" >&2; exit 1; }

# No request-line limit: a 414 from gunicorn is not the application's answer to judge (a
# production proxy sets its own limit in front).
"$BIN/gunicorn" partnership.wsgi:application --bind "127.0.0.1:$port" --workers 3 --timeout 60 \
  --limit-request-line 0 \
  --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 60); do
  if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
echo "== fuzz: server on 127.0.0.1:$port"

# Every check but positive_data_acceptance: the schema says `sector` is a string, and by design an
# unknown sector slug is a 400 naming the parameter, not an empty list.
# schemathesis keeps its cache in the working directory, so it runs from the throwaway one.
fuzz() {
  (cd "$WORK" && "$BIN/schemathesis" run "http://127.0.0.1:$port/api/schema/" \
    --checks all \
    --exclude-checks "$EXCLUDE" \
    --max-examples "${FUZZ_MAX_EXAMPLES:-10}" \
    ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
    --workers "${FUZZ_WORKERS:-1}" \
    --request-timeout 30 \
    --suppress-health-check too_slow,filter_too_much \
    --warnings off \
    "$@")
}
status=0
echo "== fuzz: pass 1, anonymous, every operation"
EXCLUDE=positive_data_acceptance fuzz || status=$?
echo "== fuzz: pass 2, secretariat token, writes"
# ignored_auth does not apply (the requests carry the token on purpose), nor does
# negative_data_rejection: DRF reads bodies leniently by design (0 for a text field is "0", a
# JSON number for a decimal is that decimal), while every value is still validated.
EXCLUDE=positive_data_acceptance,ignored_auth,negative_data_rejection fuzz --phases fuzzing \
  --include-method POST --include-method PUT --include-method PATCH \
  -H "Authorization: Token $TOKEN" || status=$?

echo "== fuzz: pass 3, secretariat token, oversized and deeply nested bodies"
"$PY" - "http://127.0.0.1:$port" "$TOKEN" <<'PYEOF' || status=$?
import http.client, json, sys, urllib.parse

base, token = sys.argv[1], sys.argv[2]
server = urllib.parse.urlsplit(base)
# (body, expected status, bytes of it sent). The server refuses an oversized body by its declared
# length, before reading it, and closes the connection: a client still sending the rest may then
# see a broken pipe instead of the answer (it did on a loaded CI machine). So the 3 MB body is
# declared in full and only its first 64 kB are sent; the answer must come without the rest.
bodies = {
    "3 MB body": (json.dumps({"title_en": "x" * 3 * 1024 * 1024}).encode(), 413, 64 * 1024),
    "nested 100000 deep": (b"[" * 100000 + b"]" * 100000, 400, None),
    "nested 5000 deep": (b"[" * 5000 + b"]" * 5000, 400, None),
    "nested object 40 deep": (('{"a":' * 40 + "1" + "}" * 40).encode(), 400, None),
}


def post(path, body, sent):
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
    try:
        connection.putrequest("POST", path)
        for name, value in {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.send(body[:sent] if sent else body)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


failed = 0
for path in ("/api/v1/projects/", "/api/v1/progress-updates/", "/api/v1/tasks/"):
    for name, (body, expected, sent) in bodies.items():
        try:
            got, payload = post(path, body, sent)
        except OSError as error:  # a timeout: the server waited for the rest instead of refusing
            got, payload = repr(error), b""
        shape = set(json.loads(payload)) == {"detail", "code", "errors"} if payload.startswith(b"{") else False
        if got != expected or not shape:
            print(f"   {path} {name}: {got} (expected {expected} in the error shape)", file=sys.stderr)
            failed += 1
print(f"   {3 * len(bodies) - failed} of {3 * len(bodies)} limit checks answered as expected")
sys.exit(1 if failed else 0)
PYEOF

# A 5xx the checks above might not see (e.g. during shrinking) still fails the run.
if grep -q "Traceback\|Internal Server Error" "$WORK/server.log" 2>/dev/null; then
  echo "== fuzz: the server logged errors:" >&2
  cat "$WORK/server.log" >&2
  status=1
fi
exit "$status"
