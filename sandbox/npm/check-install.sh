#!/usr/bin/env bash
# Installs `cinetpay-transfer-sandbox` as a user would and checks that the client's test helper
# starts it: packs the main package and this platform's package around BINARY (pack.sh), installs
# them with the client (CLIENT: tarballs or a bindings-node checkout) into a fresh project, then
# `Sandbox.start()` of cinetpay-transfer/testing runs, without CINETPAY_SANDBOX_BIN and with only
# node on PATH, the binary of the platform package, which must be the one it found.
# Installed --offline: the main package's optionalDependencies name the other platforms' packages,
# which npm may skip but would otherwise look up in the registry (404 before a release).
# Run by scripts/install-check.sh (a debug binary) and by the release workflow on every platform.
# Usage: sandbox/npm/check-install.sh path/to/cinetpay-sandbox CLIENT...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ $# -ge 2 ]] || { echo "usage: $0 path/to/cinetpay-sandbox CLIENT..." >&2; exit 1; }
binary="$1"
shift
clients=()
for spec in "$@"; do # paths made absolute: npm runs in the fresh project
  [[ -e "$spec" ]] && spec="$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")"
  clients+=("$spec")
done
work="$(mktemp -d "${TMPDIR:-/tmp}/cinetpay-sandbox-npm.XXXXXX")"
trap 'rm -rf "$work"' EXIT

packed=$("$here/pack.sh" "$binary" "$work") # two lines: the main tarball, this platform's
sandbox=("$(sed -n 1p <<<"$packed")" "$(sed -n 2p <<<"$packed")")
for t in "${sandbox[@]}"; do echo "   $(basename "$t"): $(wc -c <"$t" | tr -d ' ') bytes"; done
mkdir "$work/project" && cd "$work/project"
echo '{ "name": "cinetpay-sandbox-consumer", "version": "0.0.0", "private": true }' >package.json
npm install --offline --no-audit --no-fund --loglevel=error "${clients[@]}" >/dev/null
npm install --offline --no-audit --no-fund --loglevel=error --save-dev "${sandbox[@]}" >/dev/null
env -u CINETPAY_SANDBOX_BIN node -e '
  const path = require("node:path"), fs = require("node:fs")
  process.env.PATH = path.dirname(process.execPath)
  const from = (name) => require(require.resolve(name, { paths: [process.cwd()] }))
  const { platformName, packageName, binaryName } = from("cinetpay-transfer-sandbox/platform.js")
  const { Sandbox, sandboxBinary } = from("cinetpay-transfer/testing")
  const want = path.join("node_modules", packageName(platformName()), "bin", binaryName(process.platform))
  const found = path.relative(process.cwd(), fs.realpathSync(sandboxBinary()))
  if (found !== want) { console.error(`sandboxBinary() is ${found}, not ${want}`); process.exit(1) }
  Sandbox.start().then(async (sandbox) => {
    const pending = await sandbox.confirm()
    await sandbox.close()
    console.log(`Sandbox.start() ran ${found}: ok (${pending} pending)`)
  })'
