#!/usr/bin/env bash
# The Node package's test command, as CI runs it: builds the native addon (debug), packs the npm
# package, installs the TARBALL into a fresh temporary project, then type-checks a typed usage file
# and runs the node:test suite against that install, so a file missing from the package fails here.
# Usage: bindings-node/test.sh   (run bindings-node/ci-install.sh once first)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

[ -x node_modules/.bin/napi ] || ./ci-install.sh

echo "== napi build (debug)"
start=$SECONDS
npx napi build --platform --output-dir native --js index.js --dts index.d.ts -- --locked
echo "   built in $((SECONDS - start)) s"

work="$(mktemp -d "${TMPDIR:-/tmp}/cinetpay-node-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== npm pack"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "   $(basename "$tarball"): $(du -h "$tarball" | cut -f1)"

echo "== install the tarball into a fresh project"
project="$work/project"
mkdir -p "$project"
cat >"$project/package.json" <<'JSON'
{ "name": "cinetpay-transfer-consumer", "version": "0.0.0", "private": true }
JSON
# The test project's tools: the exact versions pinned in this package's devDependencies.
pins=$(node -p 'const d = require("./package.json").devDependencies;
  ["express", "typescript", "@types/node", "@types/express"].map((n) => `${n}@${d[n]}`).join(" ")')
(cd "$project" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" $pins)

cp -r tests "$project/test"
# examples/node/ runs against the installed package too (tests/examples.test.js).
mkdir -p "$project/examples"
cp "$root"/examples/node/*.mjs "$project/examples/"

echo "== tsc --noEmit (typed usage against the installed .d.ts)"
(cd "$project/test/types" && ../../node_modules/.bin/tsc -p tsconfig.json)

echo "== node --test"
cd "$project/test"
CINETPAY_CONFORMANCE_DIR="$root/tests/conformance/scenarios" CINETPAY_EXAMPLES_DIR="$project/examples" \
  node --test --test-reporter=spec ./*.test.js
