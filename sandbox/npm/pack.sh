#!/usr/bin/env bash
# Packs `cinetpay-transfer-sandbox` for this machine from a binary built here: the main package
# (no binary) and this platform's package, platforms/<platform>/ with the binary copied in as
# bin/cinetpay-sandbox (.exe on Windows). Prints the two tarballs' paths; install both
# (`npm install --save-dev <both>`). The release workflow packs every platform's package from its
# own build the same way (.github/workflows/node.yml).
# Usage: sandbox/npm/pack.sh path/to/cinetpay-sandbox [destination directory, default .]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ $# -ge 1 && -f "$1" ]] || { echo "usage: $0 path/to/cinetpay-sandbox [destination]: no file at ${1:-(none)}" >&2; exit 1; }
binary="$1"
dest="$(mkdir -p "${2:-.}" && cd "${2:-.}" && pwd)"
platform=$(node -p 'require(process.argv[1]).platformName()' "$here/platform.js")
package="$here/platforms/$platform"
[[ -d "$package" ]] || { echo "pack.sh: no sandbox package for this platform ($platform) in $here/platforms" >&2; exit 1; }
mkdir -p "$package/bin"
trap 'rm -rf "$package/bin"' EXIT
cp "$binary" "$package/bin/$(node -p 'require(process.argv[1]).binaryName(process.platform)' "$here/platform.js")"
main=$(cd "$here" && npm pack --silent --pack-destination "$dest" | tail -n 1)
own=$(cd "$package" && npm pack --silent --pack-destination "$dest" | tail -n 1)
echo "$dest/$main"
echo "$dest/$own"
