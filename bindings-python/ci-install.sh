#!/usr/bin/env bash
# System packages the Python tests need: the venv module (Debian splits it out of python3) and
# redis-server (test_celery.py's broker and token store, started and stopped by the test).
# Rust and Python 3.9+ are expected on the machine; maturin, zig, pytest, Django, Celery and mypy
# come from PyPI inside test.sh's throwaway virtual environments.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
    apt-get update -q
    apt-get install -y -q python3-venv
fi
if ! command -v redis-server >/dev/null 2>&1; then
    apt-get update -q
    apt-get install -y -q redis-server
fi
