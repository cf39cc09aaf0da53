#!/usr/bin/env bash
# Builds the Kotlin side-by-side program (Maven, against the installed cinetpay-transfer jar) and
# runs it against the given sandbox binary, started on a free port of 127.0.0.1 with its real
# clock. Fails unless it prints ../expected-output.txt exactly (the transcript of every language),
# and unless, without a local sandbox URL, it refuses (exit 2) whatever credentials the shell holds.
#
#   examples/side-by-side/kotlin/run.sh target/debug/cinetpay-sandbox   # bindings-mobile/test.sh does
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sandbox_bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$here"
start=$SECONDS

mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
classpath="target/classes:$(cat target/classpath.txt)"
# The program's environment: this shell's, less every CINETPAY_ variable, plus the ones given.
program() { env $(env | grep -o '^CINETPAY_[A-Z_]*' | sed 's/^/-u /') "$@" java -cp "$classpath" SideBySideKt; }

work="$(mktemp -d)"
"$sandbox_bin" --addr 127.0.0.1:0 --clock real >"$work/url" 2>/dev/null &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [[ -s "$work/url" ]] && break; sleep 0.1; done
url="$(head -n 1 "$work/url")"
[[ "$url" == http://127.0.0.1:* ]] || { echo "side-by-side (kotlin): the sandbox printed no base URL" >&2; exit 1; }

program CINETPAY_SANDBOX_URL="$url" >"$work/out"
diff -u ../expected-output.txt "$work/out" ||
  { echo "side-by-side (kotlin): the output differs from ../expected-output.txt" >&2; exit 1; }

code=0
program CINETPAY_API_KEY=51243657865e1c6b8f1f76.12345678 CINETPAY_BASE_URL=https://client.cinetpay.com/v1 \
  >"$work/refused" 2>"$work/why" || code=$?
if [[ $code -ne 2 || -s "$work/refused" ]] || ! grep -q "nothing was sent" "$work/why"; then
  echo "side-by-side (kotlin): without CINETPAY_SANDBOX_URL it must refuse (exit 2), got $code: $(cat "$work/why")" >&2
  exit 1
fi
echo "side-by-side (kotlin): the shared transcript printed, a run without a sandbox refused ($((SECONDS - start)) s)"
