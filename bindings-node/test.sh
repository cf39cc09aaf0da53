#!/usr/bin/env bash
# The Node package's test command, as CI runs it: builds the native addon, compiles the JS layer
# (ts/ -> lib/ with `tsc`, strict: a type error fails here), packs the npm
# package(s), installs the TARBALLS into a fresh temporary project, then type-checks a typed usage
# file and runs the node:test suite against that install, so a file missing from a package fails here.
#
#   bindings-node/test.sh            # debug addon (fast); it is copied next to the installed loader
#   bindings-node/test.sh --release  # what scripts/test.sh runs: the release artifacts as published:
#       `npm run build:release` (stripped), the addon in npm/<platform>/, both packages packed (their
#       prepack guard, npm/check-pack.js, refuses a debug or unstripped addon), sizes printed and the
#       platform tarball held to 3 MB gzip (2.38 MB once the sandbox left the addon, ADR 10), publint and attw on the main package, then both tarballs
#       installed as a user's `npm install` would (the loader finds the platform package).
# Run bindings-node/ci-install.sh once first. CINETPAY_NODE_DIST=dir keeps the tarballs there;
# CINETPAY_NODE_PREBUILT=1 with --release skips the build and tests the addon already in native/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

[ -x node_modules/.bin/napi ] || ./ci-install.sh
release=false
[[ "${1:-}" == "--release" ]] && release=true

work="$(mktemp -d "${TMPDIR:-/tmp}/cinetpay-node-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dist="${CINETPAY_NODE_DIST:-$work/dist}"
mkdir -p "$dist"
# This machine's napi platform name, as in npm/<platform>/ (linux-x64-gnu, darwin-arm64, win32-x64-msvc, ...).
platform=$(node -p 'const { platform: p, arch: a } = process
  p === "linux" ? `${p}-${a}-${process.report.getReport().header.glibcVersionRuntime ? "gnu" : "musl"}`
    : p === "win32" ? `${p}-${a}-msvc` : `${p}-${a}`')
addon="cinetpay-transfer.$platform.node"
size() { wc -c <"$1" | tr -d ' '; }

start=$SECONDS
if [[ -n "${CINETPAY_NODE_PREBUILT:-}" ]]; then
  echo "== prebuilt release addon: native/$addon (the release workflow's build job made it)"
  release=true
elif $release; then
  # Stripped by the cargo profile, not napi's --strip: that adds `-C link-arg=-s` to RUSTFLAGS, which
  # left the symbol table in place here (rustc 1.95; the prepack guard caught it) and, as a RUSTFLAGS
  # change, recompiled every dependency apart from the Python wheel's release build.
  echo "== napi build --profile release-node (fat LTO, stripped), then tsc: npm run build:release"
  npm run -s build:release
else
  echo "== napi build (debug)"
  npx napi build --platform --output-dir native --js index.js --dts index.d.ts -- --locked
fi
if [[ -n "${CINETPAY_NODE_PREBUILT:-}" ]] || ! $release; then
  echo "== tsc: ts/ -> lib/ (strict, against native/index.d.ts): npm run build:ts"
  npm run -s build:ts
fi
echo "   built in $((SECONDS - start)) s"

# `npm pack` runs the prepack script: tsc again (so that no pack or publish ships a lib/ older than
# ts/), then npm/check-pack.js guards the package.
echo "== npm pack"
tarballs=("$dist/$(npm pack --silent --pack-destination "$dist" | tail -n 1)")
if $release; then
  cp "native/$addon" "npm/$platform/"
  tarballs+=("$dist/$(cd "npm/$platform" && npm pack --silent --pack-destination "$dist" | tail -n 1)")
fi
for t in "${tarballs[@]}"; do
  echo "   $(basename "$t"): $(size "$t") bytes"
  # The listing first: `tar | grep -q` would fail under pipefail when grep stops reading early.
  listing=$(tar tzf "$t")
  grep -qx 'package/LICENSE-MIT' <<<"$listing" && grep -qx 'package/LICENSE-APACHE' <<<"$listing" ||
    { echo "$(basename "$t") lacks a licence text" >&2; exit 1; }
done
if grep -q '\.node$' <<<"$(tar tzf "${tarballs[0]}")"; then
  echo "the main package ships a .node: it belongs in npm/<platform>/" >&2
  exit 1
fi
if $release; then
  node -e '
    const [tgz, addon] = process.argv.slice(1), { statSync } = require("node:fs")
    const mb = (n) => (n / 2 ** 20).toFixed(2) + " MB"
    const t = statSync(tgz).size, a = statSync(addon).size
    console.log(`size: addon ${a} bytes (${mb(a)} unpacked, budget 4 MB), platform tarball ${t} bytes (${mb(t)} gzip, budget 3 MB)`)
    if (t >= 3 * 2 ** 20) { console.error("the platform tarball is over its 3 MB budget"); process.exit(1) }
    if (a >= 4e6) { console.error("the addon is over its 4 MB budget (issue 13; profile release-node)"); process.exit(1) }
  ' "${tarballs[1]}" "native/$addon"
  echo "== napi prepublish writes optionalDependencies (in a staging copy, this platform's target only)"
  stage="$work/stage"
  mkdir -p "$stage/npm"
  cp package.json "$stage/" && cp -r "npm/$platform" "$stage/npm/" && cp "$root"/LICENSE-* "$stage/npm/$platform/"
  (cd "$stage" && node -e 'const fs = require("node:fs"), p = JSON.parse(fs.readFileSync("package.json"))
      const [platform, cli] = process.argv.slice(1)
      p.napi.targets = p.napi.targets.filter((t) => require(cli).parseTriple(t).platformArchABI === platform)
      fs.writeFileSync("package.json", JSON.stringify(p, null, 2))' "$platform" "$here/node_modules/@napi-rs/cli" &&
    git init -q . && git -c user.name=ci -c user.email=ci@localhost commit -q --allow-empty -m stage &&
    "$here/node_modules/.bin/napi" prepublish -t npm --skip-optional-publish >/dev/null &&
    node -e 'const d = require("./package.json").optionalDependencies || {}
      const want = process.argv[1]
      if (d[want] !== require("./package.json").version) { console.error("optionalDependencies lacks " + want); process.exit(1) }
      console.log("optionalDependencies:", JSON.stringify(d))' "cinetpay-transfer-$platform")
  echo "== publint, attw (the main package)"
  npx publint run --strict "${tarballs[0]}"
  npx attw --profile node16 "${tarballs[0]}"
fi

# The sandbox the tests start is the cinetpay-sandbox binary, found through CINETPAY_SANDBOX_BIN (a
# debug build is enough: the addon under test ships no sandbox, ADR 10).
if [[ -z "${CINETPAY_SANDBOX_BIN:-}" ]]; then
  echo "== the sandbox binary (debug): cargo build -p cinetpay-sandbox"
  (cd "$root" && cargo build -q --locked -p cinetpay-sandbox --bin cinetpay-sandbox)
  export CINETPAY_SANDBOX_BIN="$root/target/debug/cinetpay-sandbox"
fi

echo "== install the tarball into a fresh project"
project="$work/project"
mkdir -p "$project"
cat >"$project/package.json" <<'JSON'
{ "name": "cinetpay-transfer-consumer", "version": "0.0.0", "private": true }
JSON
# The test project's tools: the exact versions pinned in this package's devDependencies.
pins=$(node -p 'const d = require("./package.json").devDependencies;
  ["express", "typescript", "@types/node", "@types/express"].map((n) => `${n}@${d[n]}`).join(" ")')
(cd "$project" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "${tarballs[@]}" $pins)
# A debug addon is never packed: the dev run puts it next to the installed loader, which looks there first.
$release || cp "native/$addon" "$project/node_modules/cinetpay-transfer/native/"

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
