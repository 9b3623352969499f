#!/usr/bin/env bash
# Steady load on a local gunicorn for SOAK_SECONDS (default 60); SOAK_FAULT=1 restarts PostgreSQL
# mid-run. See tests/bench/soak.py and tests/bench/fault.py.
set -euo pipefail
cd "$(dirname "$0")"
exec ../../.venv/bin/python soak.py
