#!/usr/bin/env bash
# Builds the debug mobile library, uniffi-bindgen and the sandbox; generates Kotlin and Swift from the
# library; fails if the committed Swift sources differ from the generated ones; runs the Kotlin tests
# (JUnit on the JVM, Maven) against the debug library and the sandbox binary; prints the summary.
#
#   bindings-mobile/test.sh                 # what CI runs
#   bindings-mobile/test.sh --update-swift  # rewrite the committed Swift sources after an API change
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
gen="$here/build"
update_swift=false
[[ "${1:-}" == "--update-swift" ]] && update_swift=true

case "$(uname -s)" in
  Darwin) lib="$target/debug/libcinetpay_mobile.dylib" ;;
  *) lib="$target/debug/libcinetpay_mobile.so" ;;
esac

cd "$root"
# Separate invocations: built together, the bindgen's uniffi `cli` feature would leak into the library.
cargo build -q -p cinetpay-transfer-mobile
cargo build -q -p cinetpay-uniffi-bindgen
cargo build -q -p cinetpay-sandbox --bin cinetpay-sandbox

rm -rf "$gen/kotlin" "$gen/swift"
"$target/debug/uniffi-bindgen" generate "$lib" --language kotlin --no-format -o "$gen/kotlin"
"$target/debug/uniffi-bindgen" generate "$lib" --language swift --no-format -o "$gen/swift"

# The Swift package commits its generated sources (SwiftPM cannot run the bindgen): they must be
# exactly what this library generates.
swift_pairs=(
  "CinetPayTransfer.swift:swift/Sources/CinetPayTransfer/CinetPayTransfer.swift"
  "cinetpay_mobileFFI.h:swift/Sources/cinetpay_mobileFFI/cinetpay_mobileFFI.h"
  "cinetpay_mobileFFI.modulemap:swift/Sources/cinetpay_mobileFFI/cinetpay_mobileFFI.modulemap"
)
stale=0
for pair in "${swift_pairs[@]}"; do
  fresh="$gen/swift/${pair%%:*}"
  committed="$here/${pair#*:}"
  if $update_swift; then
    mkdir -p "$(dirname "$committed")" && cp "$fresh" "$committed"
  elif ! cmp -s "$fresh" "$committed"; then
    echo "swift: $committed differs from the generated $fresh" >&2
    stale=1
  fi
done
if [[ $stale -ne 0 ]]; then
  echo "swift: committed sources are stale; run bindings-mobile/test.sh --update-swift and commit them" >&2
  exit 1
fi
echo "swift: committed sources match the generated ones (${#swift_pairs[@]} files)"

cd "$here/kotlin"
rm -rf target/surefire-reports
# DjangoTokenViewTest's merchant backend (issue 15): a Python with Django and this SDK's wheel.
start=$SECONDS
CINETPAY_DJANGO_PYTHON="$("$here/kotlin/src/test/django/make-python.sh" "$gen/django-python")"
export CINETPAY_DJANGO_PYTHON
echo "kotlin: the Django token server's Python made in $((SECONDS - start)) s"

status=0
mvn -q -B test \
  -Duniffi.kotlin.dir="$gen/kotlin" \
  -Dcinetpay.lib.dir="$target/debug" \
  -Dcinetpay.sandbox.bin="$target/debug/cinetpay-sandbox" \
  -Dcinetpay.scenarios.dir="$root/tests/conformance/scenarios" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || status=$?

# Surefire summary from the XML reports (mvn -q prints only failures).
reports=(target/surefire-reports/TEST-*.xml)
if [[ ! -e "${reports[0]}" ]]; then
  echo "kotlin: no Surefire report (the build failed before the tests ran)" >&2
  exit "$((status == 0 ? 1 : status))"
fi
sum() { grep -ho "<testsuite [^>]*" "${reports[@]}" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{ n += $1 } END { print n + 0 }'; }
tests=$(sum tests); failures=$(sum failures); errors=$(sum errors); skipped=$(sum skipped)
grep -ho '<skipped message="[^"]*"' "${reports[@]}" | sed 's/<skipped message="/kotlin: skipped: /; s/"$//' | sort | uniq -c || true
echo "Tests run: $tests, Failures: $failures, Errors: $errors, Skipped: $skipped"
echo "kotlin: $((tests - failures - errors - skipped)) passed, $((failures + errors)) failed, $skipped skipped"
exit "$status"
