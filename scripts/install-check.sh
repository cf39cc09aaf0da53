#!/usr/bin/env bash
# Release-readiness checks that no binding's own test.sh covers (issue 14). The installs themselves
# are tested by the bindings' test commands as scripts/test.sh runs them: the wheel built by pip from
# the sdist (bindings-python/test.sh --from-sdist), both npm tarballs (bindings-node/test.sh
# --release), the jar through a consumer project (bindings-mobile/test.sh). This script checks:
#   1. LICENSE-MIT and LICENSE-APACHE at the root, and the project's address in one place: every
#      manifest (pyproject.toml, package.json, npm/*/package.json, the jar's pom) says what
#      [workspace.package] in Cargo.toml says;
#   2. the README's Install section names every command this script and the bindings' tests run;
#   3. `cargo install --path cli` (debug profile into a temporary root: the release build is the
#      release workflow's; the line and the binary it installs are what is checked here);
#   4. `npm install /path/to/bindings-node` from the checkout (npm links it; needs the addon built);
#   5. the npm sandbox package (ADR 10): sandbox/npm packed with a debug binary, installed in that
#      project, and `Sandbox.start()` of cinetpay-transfer/testing finds and starts it (the Python
#      extra is checked by bindings-python/test.sh, which has the client's wheel at hand);
#   6. actionlint on .github/workflows (installed by .ci/run at a pinned version).
# Usage: scripts/install-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/cinetpay-install-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "install-check: $*" >&2; exit 1; }

echo "== licences and the project's address"
for f in LICENSE-MIT LICENSE-APACHE; do
  [[ -s "$f" ]] || fail "$f is missing at the root"
done
grep -q 'Apache License' LICENSE-APACHE && grep -q 'Version 2.0' LICENSE-APACHE || fail "LICENSE-APACHE is not the Apache 2.0 text"
grep -q 'Permission is hereby granted, free of charge' LICENSE-MIT || fail "LICENSE-MIT is not the MIT text"
repo=$(sed -n '/^\[workspace.package\]/,/^\[/s/^repository = "\(.*\)"/\1/p' Cargo.toml)
[[ "$repo" == https://* ]] || fail "no repository in [workspace.package] of Cargo.toml"
echo "repository: $repo"
for manifest in bindings-python/pyproject.toml bindings-node/package.json bindings-node/npm/*/package.json bindings-mobile/jvm/pom.xml \
  sandbox/pyproject.toml sandbox/npm/package.json; do
  grep -q "$repo" "$manifest" || fail "$manifest does not name $repo (the address lives in Cargo.toml [workspace.package])"
  others=$(grep -o 'https://github.com/[^"#<]*' "$manifest" | sed 's/\.git$//; s#/issues$##' | sort -u | grep -vx "$repo" || true)
  [[ -z "$others" ]] || fail "$manifest names another address: $others"
done
grep -q '"MIT OR Apache-2.0"' bindings-node/package.json || fail "package.json licence is not MIT OR Apache-2.0"
for pkg in bindings-node/npm/*/package.json sandbox/npm/package.json; do
  grep -q '"MIT OR Apache-2.0"' "$pkg" || fail "$pkg licence is not MIT OR Apache-2.0"
done

echo "== README Install section"
install_section=$(sed -n '/^## Install/,/^## [^I]/p' README.md)
[[ -n "$install_section" ]] || fail "README.md has no '## Install' section"
for needle in 'pip install ./bindings-python' 'git+' '#subdirectory=bindings-python' 'maturin sdist' \
  'npm install' 'npm pack' 'mvn' 'cinetpay-transfer' 'cargo install --locked --path cli' 'build-xcframework.sh' 'cargo ndk' \
  'pip install ./sandbox' 'cinetpay-transfer-sandbox' 'cargo install --locked --path sandbox'; do
  grep -qF -- "$needle" <<<"$install_section" || fail "README Install section lacks: $needle"
done

echo "== cargo install --path cli"
start=$SECONDS
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" cargo install -q --locked --debug --path cli --root "$work/cargo"
"$work/cargo/bin/cinetpay" --version
echo "installed in $((SECONDS - start)) s"

echo "== npm install /path/to/bindings-node (a checkout, after its build: bindings-node/test.sh ran)"
# The addon is the one test.sh built; lib/ is compiled again from ts/ (npm does not build a path install).
(cd bindings-node && npm run -s build:ts)
mkdir -p "$work/npm-path" && cd "$work/npm-path"
echo '{ "name": "consumer", "version": "0.0.0", "private": true }' >package.json
npm install --no-audit --no-fund --loglevel=error "$root/bindings-node" >/dev/null
node -e 'const { Client } = require("cinetpay-transfer"), { Sandbox } = require("cinetpay-transfer/testing")
  if (typeof Client !== "function" || typeof Sandbox !== "function") process.exit(1)
  console.log("require(\"cinetpay-transfer\") from a path install: ok")'
cd "$root"

echo "== the npm sandbox package (a debug binary in it: what is checked is installing and finding it)"
start=$SECONDS
cargo build -q --locked -p cinetpay-sandbox --bin cinetpay-sandbox
mkdir -p sandbox/npm/bin && cp target/debug/cinetpay-sandbox sandbox/npm/bin/
packed=$(cd sandbox/npm && npm pack --silent --pack-destination "$work" | tail -n 1)
rm -rf sandbox/npm/bin
cd "$work/npm-path"
npm install --no-audit --no-fund --loglevel=error --save-dev "$work/$packed" >/dev/null
env -u CINETPAY_SANDBOX_BIN PATH="$(dirname "$(command -v node)")" node -e '
  const { Sandbox, sandboxBinary } = require("cinetpay-transfer/testing"), path = require("node:path")
  const want = path.join(process.cwd(), "node_modules", "cinetpay-transfer-sandbox", "bin", "cinetpay-sandbox")
  if (sandboxBinary() !== want) { console.error(`found ${sandboxBinary()}, not ${want}`); process.exit(1) }
  Sandbox.start().then(async (sandbox) => {
    const pending = await sandbox.confirm()
    await sandbox.close()
    console.log(`Sandbox.start() from ${path.relative(process.cwd(), want)}: ok (${pending} pending)`)
  })'
cd "$root"
echo "checked in $((SECONDS - start)) s"

echo "== actionlint"
actionlint_bin=$(command -v actionlint || echo "$(go env GOPATH 2>/dev/null)/bin/actionlint")
[[ -x "$actionlint_bin" ]] || fail "actionlint is missing: .ci/run installs it (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7)"
"$actionlint_bin" -version | sed -n 1p
"$actionlint_bin" .github/workflows/*.yml
echo "actionlint: $(ls .github/workflows/*.yml | wc -l | tr -d ' ') workflows clean"
