#!/usr/bin/env bash
# Tests the Python package the way a user gets it:
#   1. builds the abi3 wheel with maturin (manylinux2014 via zig; the native glibc tag if zig fails),
#   2. installs that wheel in a fresh virtual environment with requirements-test.txt,
#   3. runs the pytest suite from tests/ against the INSTALLED package (python/ is never on
#      sys.path, so a file missing from the wheel fails a test),
#   4. runs mypy --strict on tests/typing/typed_usage.py (must pass) and typed_misuse.py (must fail).
#
# Env: PYTHON (default python3), CINETPAY_PY_PROFILE=debug|release (default debug: a faster cold
# build; the code under test is the same), CINETPAY_PY_WHEEL=path to test a prebuilt wheel.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
PROFILE="${CINETPAY_PY_PROFILE:-debug}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinetpay-python.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== %s\n' "$*"; }

wheel="${CINETPAY_PY_WHEEL:-}"
if [[ -z "$wheel" ]]; then
    step "build tools"
    "$PYTHON" -m venv "$WORK/build"
    "$WORK/build/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements-build.txt"

    step "build the wheel ($PROFILE)"
    args=(build --manifest-path "$HERE/Cargo.toml" --out "$WORK/dist" --interpreter "$WORK/build/bin/python")
    [[ "$PROFILE" == "release" ]] && args+=(--release)
    # maturin finds zig through the ziglang package of the build venv.
    if ! PATH="$WORK/build/bin:$PATH" "$WORK/build/bin/maturin" "${args[@]}" --zig --compatibility manylinux2014; then
        echo "WARNING: the zig build failed; building a wheel with this machine's manylinux tag instead" >&2
        rm -rf "$WORK/dist"
        PATH="$WORK/build/bin:$PATH" "$WORK/build/bin/maturin" "${args[@]}"
    fi
    wheel="$(ls "$WORK"/dist/*.whl)"
fi
echo "wheel: $(basename "$wheel")"

step "fresh virtual environment"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check "$wheel" -r "$HERE/requirements-test.txt"

step "pytest (installed package)"
cd "$HERE/tests"
CINETPAY_EXPECT_INSTALLED=1 "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider

step "mypy --strict (the stubs)"
cd "$HERE/tests/typing"
"$WORK/venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null typed_usage.py
if "$WORK/venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null typed_misuse.py >"$WORK/misuse.txt" 2>&1; then
    echo "mypy accepted typed_misuse.py: the package is not typed" >&2
    exit 1
fi
grep -q 'has no attribute "availble"' "$WORK/misuse.txt"
echo "mypy refused typed_misuse.py, as it must"
