#!/usr/bin/env bash
# Steady load on a local gunicorn for SOAK_SECONDS (default 60); see tests/bench/soak.py.
set -euo pipefail
cd "$(dirname "$0")"
exec ../../.venv/bin/python soak.py
