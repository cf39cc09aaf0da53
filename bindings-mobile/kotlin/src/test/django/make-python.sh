#!/usr/bin/env bash
# Makes the Python of DjangoTokenViewTest in DIR (a virtual environment): this repository's
# cinetpay_transfer wheel (a debug build, like bindings-python/test.sh's default) and the Django
# pinned in bindings-python/requirements-test.txt. Prints the environment's python; build output
# goes to stderr. Usage: make-python.sh DIR
set -euo pipefail
dir="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)"
python="${PYTHON:-python3}"
rm -rf "$dir"
"$python" -m venv "$dir"
# maturin alone (the pinned one): a wheel for this machine needs no zig.
"$dir/bin/pip" install -q --disable-pip-version-check "$(grep -i '^maturin==' "$root/bindings-python/requirements-build.txt")" >&2
"$dir/bin/maturin" build --manifest-path "$root/bindings-python/Cargo.toml" --out "$dir/dist" \
  --interpreter "$dir/bin/python" >&2
"$dir/bin/pip" install -q --disable-pip-version-check "$dir"/dist/*.whl \
  "$(grep -i '^django==' "$root/bindings-python/requirements-test.txt")" >&2
echo "$dir/bin/python"
