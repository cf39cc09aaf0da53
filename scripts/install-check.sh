#!/usr/bin/env bash
# Release-readiness checks that no binding's own test.sh covers (issue 14). The installs themselves
# are tested by the bindings' test commands as scripts/test.sh runs them: the wheel built by pip from
# the sdist (bindings-python/test.sh --from-sdist), both npm tarballs (bindings-node/test.sh
# --release), the jar through a consumer project (bindings-mobile/test.sh). This script checks:
#   1. LICENSE-MIT and LICENSE-APACHE at the root, and the project's address in one place: every
#      manifest (pyproject.toml, package.json, npm/*/package.json, the jar's pom) says what
#      [workspace.package] in Cargo.toml says; the npm sandbox packages (sandbox/npm and its
#      platforms/*) carry that version too, and the main one lists exactly the addon's platforms;
#   2. the README's Install section names every command this script and the bindings' tests run;
#   3. `cargo install --path cli` (debug profile into a temporary root: the release build is the
#      release workflow's; the line and the binary it installs are what is checked here);
#   4. `npm install /path/to/bindings-node` from the checkout (npm links it; needs the addon built);
#   5. the npm sandbox packages (ADR 10): sandbox/npm/check-install.sh packs the main package and this
#      platform's around a debug binary, installs them with that checkout into a fresh project, and
#      `Sandbox.start()` of cinetpay-transfer/testing finds and starts the binary (the Python extra is
#      checked by bindings-python/test.sh, which has the client's wheel at hand);
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
  sandbox/pyproject.toml sandbox/npm/package.json sandbox/npm/platforms/*/package.json; do
  grep -q "$repo" "$manifest" || fail "$manifest does not name $repo (the address lives in Cargo.toml [workspace.package])"
  others=$(grep -o 'https://github.com/[^"#<]*' "$manifest" | sed 's/\.git$//; s#/issues$##' | sort -u | grep -vx "$repo" || true)
  [[ -z "$others" ]] || fail "$manifest names another address: $others"
done
grep -q '"MIT OR Apache-2.0"' bindings-node/package.json || fail "package.json licence is not MIT OR Apache-2.0"
for pkg in bindings-node/npm/*/package.json sandbox/npm/package.json sandbox/npm/platforms/*/package.json; do
  grep -q '"MIT OR Apache-2.0"' "$pkg" || fail "$pkg licence is not MIT OR Apache-2.0"
done
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
echo "version: $version"
# The sandbox's main package must name every platform package at its own version (index.js refuses
# another), for the addon's platforms, and the client's optional peer must be that version too.
node -e '
  const fs = require("node:fs"), [version] = process.argv.slice(1)
  const read = (file) => JSON.parse(fs.readFileSync(file, "utf8"))
  const problems = [], main = read("sandbox/npm/package.json"), deps = main.optionalDependencies || {}
  const platforms = fs.readdirSync("sandbox/npm/platforms").sort()
  const addon = fs.readdirSync("bindings-node/npm", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  if (platforms.join() !== addon.join()) problems.push(`sandbox/npm/platforms has ${platforms}, the addon (bindings-node/npm) ${addon}`)
  if (main.version !== version) problems.push(`sandbox/npm/package.json is version ${main.version}`)
  const peer = (read("bindings-node/package.json").peerDependencies || {})["cinetpay-transfer-sandbox"]
  if (peer !== version) problems.push(`bindings-node/package.json peerDependencies names cinetpay-transfer-sandbox ${peer}`)
  for (const platform of platforms) {
    const pkg = read(`sandbox/npm/platforms/${platform}/package.json`), name = `cinetpay-transfer-sandbox-${platform}`
    if (pkg.name !== name) problems.push(`sandbox/npm/platforms/${platform} is named ${pkg.name}, not ${name}`)
    if (pkg.version !== version) problems.push(`${name} is version ${pkg.version}`)
    if (deps[name] !== version) problems.push(`sandbox/npm/package.json optionalDependencies has ${name} at ${deps[name]}`)
  }
  for (const name of Object.keys(deps)) {
    if (!platforms.includes(name.replace("cinetpay-transfer-sandbox-", ""))) problems.push(`optionalDependencies names ${name}, which has no platforms/ directory`)
  }
  if (problems.length) { console.error(`install-check: not version ${version} everywhere:\n  ${problems.join("\n  ")}`); process.exit(1) }
  console.log(`npm sandbox packages: main + ${platforms.length} platforms at ${version}`)' "$version"

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

echo "== the npm sandbox packages, main + this platform's (a debug binary in it: what is checked is installing and finding it)"
start=$SECONDS
cargo build -q --locked -p cinetpay-sandbox --bin cinetpay-sandbox
sandbox/npm/check-install.sh target/debug/cinetpay-sandbox "$root/bindings-node"
echo "checked in $((SECONDS - start)) s"

echo "== actionlint"
actionlint_bin=$(command -v actionlint || echo "$(go env GOPATH 2>/dev/null)/bin/actionlint")
[[ -x "$actionlint_bin" ]] || fail "actionlint is missing: .ci/run installs it (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7)"
"$actionlint_bin" -version | sed -n 1p
"$actionlint_bin" .github/workflows/*.yml
echo "actionlint: $(ls .github/workflows/*.yml | wc -l | tr -d ' ') workflows clean"
