#!/usr/bin/env bash
# Tests the Python package the way a user gets it:
#   1. builds the abi3 wheel with maturin (manylinux2014 via zig; the native glibc tag if zig fails),
#   2. installs that wheel in a fresh virtual environment with requirements-test.txt,
#   3. runs the pytest suite from tests/ against the INSTALLED package (python/ is never on
#      sys.path, so a file missing from the wheel fails a test),
#   4. runs the Django tests (and the pytest plugin's) again in a second venv on Django 5.x
#      (requirements-test-django5.txt; the first venv has Django 4.2),
#   5. runs mypy --strict on tests/typing/typed_usage.py (must pass) and typed_misuse.py (must fail).
# The suite starts the cinetpay-sandbox binary (a debug build, CINETPAY_SANDBOX_BIN), and between 3
# and 4 the [sandbox] extra is installed from a sandbox wheel in its own venv and started (ADR 10).
#
# Env: PYTHON (default python3), CINETPAY_PY_PROFILE=debug|release (default debug: a faster cold
# build; the code under test is the same), CINETPAY_PY_WHEEL=path to test a prebuilt wheel.
#
# `test.sh --from-sdist` (what scripts/test.sh runs) tests the release artifacts instead of a debug
# wheel: `maturin sdist`, then the wheel built FROM that sdist by pip as a user's `pip install
# cinetpay_transfer-*.tar.gz` builds it (isolated build, release profile, in the workspace's
# target/ so nothing is compiled twice; zig for the manylinux2014 tag), then twine check --strict,
# abi3audit, auditwheel show, the licenses inside both, the 4 MB size budget, then steps 2-5 on
# that wheel. CINETPAY_PY_DIST=dir keeps the sdist and the wheel there.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
PROFILE="${CINETPAY_PY_PROFILE:-debug}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinetpay-python.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== %s\n' "$*"; }

wheel="${CINETPAY_PY_WHEEL:-}"
if [[ "${1:-}" == "--from-sdist" ]]; then
    step "release tools"
    "$PYTHON" -m venv "$WORK/build"
    "$WORK/build/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements-build.txt" -r "$HERE/requirements-release.txt"
    # maturin looks for a `zig` on PATH; the ziglang wheel ships one inside the package.
    ln -s "$("$WORK/build/bin/python" -c 'import ziglang, os; print(os.path.dirname(ziglang.__file__))')/zig" "$WORK/build/bin/zig"
    dist="${CINETPAY_PY_DIST:-$WORK/dist}"
    rm -rf "$dist" && mkdir -p "$dist"

    step "maturin sdist"
    "$WORK/build/bin/maturin" sdist --manifest-path "$HERE/Cargo.toml" --out "$dist"
    sdist="$(ls "$dist"/*.tar.gz)"

    step "the wheel, built by pip from the sdist (release)"
    start=$SECONDS
    # CARGO_PROFILE_RELEASE_STRIP: the release profile of the Node addon's build:release (stripped).
    # Measured: the Node build still recompiles the ~130 shared dependencies after this one (zig's
    # environment differs), so the two release builds cost two dependency compilations.
    PATH="$WORK/build/bin:$PATH" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HERE/../target}" CARGO_PROFILE_RELEASE_STRIP=true \
        PIP_CONSTRAINT="$HERE/requirements-build.txt" MATURIN_PEP517_ARGS="--zig --compatibility manylinux2014" \
        "$WORK/build/bin/pip" wheel -q --no-deps --no-cache-dir --disable-pip-version-check -w "$dist" "$sdist"
    echo "built in $((SECONDS - start)) s"
    wheel="$(ls "$dist"/*.whl)"

    step "release checks"
    "$WORK/build/bin/twine" check --strict "$sdist" "$wheel"
    "$WORK/build/bin/abi3audit" --strict --summary "$wheel"
    "$WORK/build/bin/auditwheel" show "$wheel" | tee "$WORK/auditwheel.txt"
    grep -q '"manylinux_2_17_x86_64"' "$WORK/auditwheel.txt" || { echo "the wheel is not manylinux2014" >&2; exit 1; }
    "$WORK/build/bin/python" - "$wheel" "$sdist" <<'PY'
import os, sys, tarfile, zipfile
wheel, sdist = sys.argv[1:]
in_wheel = {n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(wheel).namelist() if ".dist-info/licenses/" in n}
in_sdist = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if n.count("/") == 1}
for name in ("LICENSE-MIT", "LICENSE-APACHE"):
    assert name in in_wheel, f"{name} missing from the wheel's .dist-info/licenses/"
    assert name in in_sdist, f"{name} missing from the sdist's root"
size = os.path.getsize(wheel)
print(f"size: wheel {size} bytes ({size / 2**20:.2f} MB, budget 4 MB), sdist {os.path.getsize(sdist)} bytes")
assert size < 4 * 2**20, "the release wheel is over its 4 MB budget"
PY
elif [[ -z "$wheel" ]]; then
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

# The sandbox the tests start is the cinetpay-sandbox binary (ADR 10; the wheel under test ships none):
# CINETPAY_SANDBOX_BIN for the suite, and on PATH for the examples, which run with a cleaned
# environment (no CINETPAY_* variable) and find it as after `cargo install --path sandbox`.
if [[ -z "${CINETPAY_SANDBOX_BIN:-}" ]]; then
    step "the sandbox binary (debug): cargo build -p cinetpay-sandbox"
    (cd "$HERE/.." && cargo build -q --locked -p cinetpay-sandbox --bin cinetpay-sandbox)
    export CINETPAY_SANDBOX_BIN="$HERE/../target/debug/cinetpay-sandbox"
fi
PATH="$(dirname "$CINETPAY_SANDBOX_BIN"):$PATH"

step "fresh virtual environment"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check "$wheel" -r "$HERE/requirements-test.txt"

step "pytest (installed package)"
cd "$HERE/tests"
CINETPAY_EXPECT_INSTALLED=1 "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider

step "the [sandbox] extra: the cinetpay-transfer-sandbox wheel (a debug binary) beside the client's, in a fresh venv"
# What a user's `pip install "cinetpay-transfer[sandbox]"` does, offline: the extra pulls the sandbox
# wheel (sandbox/pyproject.toml, maturin bindings = "bin"), and Sandbox() finds its binary with
# neither CINETPAY_SANDBOX_BIN nor a cinetpay-sandbox on PATH (ADR 10).
[[ -x "$WORK/build/bin/maturin" ]] || { "$PYTHON" -m venv "$WORK/build" &&
    "$WORK/build/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements-build.txt"; }
"$WORK/build/bin/maturin" build --quiet --manifest-path "$HERE/../sandbox/Cargo.toml" --out "$WORK/sandbox-dist"
sandbox_wheel="$(ls "$WORK"/sandbox-dist/*.whl)"
echo "sandbox wheel: $(basename "$sandbox_wheel"), $(wc -c <"$sandbox_wheel" | tr -d ' ') bytes (debug)"
"$PYTHON" -m venv "$WORK/venv-extra"
"$WORK/venv-extra/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$WORK/sandbox-dist" "$wheel[sandbox]"
env -u CINETPAY_SANDBOX_BIN PATH=/usr/bin:/bin "$WORK/venv-extra/bin/python" - "$WORK/venv-extra" <<'PY'
import os, sys
from cinetpay_transfer.testing import Sandbox, sandbox_binary
found = sandbox_binary()
assert found.startswith(sys.argv[1] + os.sep), f"found {found}, not the extra's binary"
with Sandbox(whitelisted=False) as sandbox:
    assert sandbox.client().balance().available > 0 and sandbox.confirm() == 0
print(f"Sandbox() from the [sandbox] extra ({os.path.relpath(found, sys.argv[1])}): ok")
PY

step "the Django tests again on Django 5.x (a second venv)"
"$PYTHON" -m venv "$WORK/venv-django5"
"$WORK/venv-django5/bin/pip" install -q --disable-pip-version-check "$wheel" -r "$HERE/requirements-test-django5.txt"
CINETPAY_EXPECT_INSTALLED=1 "$WORK/venv-django5/bin/python" -m pytest -q -p no:cacheprovider \
    test_django.py test_django_app.py test_django_token.py test_pytest_plugin.py

step "mypy --strict (the stubs)"
cd "$HERE/tests/typing"
"$WORK/venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null typed_usage.py
if "$WORK/venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null typed_misuse.py >"$WORK/misuse.txt" 2>&1; then
    echo "mypy accepted typed_misuse.py: the package is not typed" >&2
    exit 1
fi
grep -q 'has no attribute "availble"' "$WORK/misuse.txt"
echo "mypy refused typed_misuse.py, as it must"
