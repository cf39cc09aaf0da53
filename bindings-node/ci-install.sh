#!/usr/bin/env bash
# Installs what bindings-node/test.sh needs on a fresh machine: the pinned dev tools of
# package-lock.json (@napi-rs/cli, and express/typescript/@types for the tests; their tarballs then
# sit in the npm cache for the test project). Needs Node >= 20 and npm; Rust comes with rustup.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are missing: install Node.js 20 or later" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Node $(node --version) is too old: the package needs Node >= 20" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
