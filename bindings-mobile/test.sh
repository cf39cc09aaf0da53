#!/usr/bin/env bash
# Builds the mobile library as shipped (profile release-mobile), uniffi-bindgen and the sandbox;
# generates Kotlin and Swift from the library; fails if the committed Swift sources differ from the
# generated ones; strips the library and holds it to its 3 MiB budget (size printed); `mvn install`s
# the JVM library jar (jvm/: generated Kotlin + linux-x86-64/libcinetpay_mobile.so + licences) and
# checks its contents; runs the Kotlin tests (JUnit, Maven) in kotlin/, a separate consumer project
# that only depends on that jar (no jna.library.path), against the sandbox binary; prints the summary.
#
# The library is linked unstripped (CARGO_PROFILE_RELEASE_MOBILE_STRIP=false) because uniffi-bindgen
# reads its metadata from the symbol table; `strip` then gives the file the profile's strip = true
# would have, so one release build serves the bindings, the budget and the tests.
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
  Darwin) lib="$target/release-mobile/libcinetpay_mobile.dylib" ;;
  *) lib="$target/release-mobile/libcinetpay_mobile.so" ;;
esac
MAX_LIB_BYTES=$((3 * 1024 * 1024))

cd "$root"
# Separate invocations: built together, the bindgen's uniffi `cli` feature would leak into the library.
start=$SECONDS
# Only the cdylib (`cargo rustc --crate-type cdylib`): built together with the crate's staticlib and
# rlib types (plain `cargo build`) the same library came out 3,664,472 bytes stripped instead of
# 2,829,032 here (measured; the same profile, panic=unwind kept; why cargo's link of the cdylib
# differs when it also emits an rlib was not investigated further).
CARGO_PROFILE_RELEASE_MOBILE_STRIP=false cargo rustc -q --locked -p cinetpay-transfer-mobile --profile release-mobile \
  --lib --crate-type cdylib
echo "mobile library (release-mobile) built in $((SECONDS - start)) s"
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

# The shipped library: stripped, within its budget.
native="$gen/native"
rm -rf "$native" && mkdir -p "$native"
strip --strip-all -o "$native/$(basename "$lib")" "$lib"
size=$(wc -c <"$native/$(basename "$lib")" | tr -d ' ')
echo "size: $(basename "$lib") stripped $size bytes ($(awk -v n="$size" 'BEGIN { printf "%.2f", n / 1048576 }') MiB, budget 3 MiB; unstripped $(wc -c <"$lib" | tr -d ' ') bytes)"
over_budget=false
((size < MAX_LIB_BYTES)) || over_budget=true   # reported after the tests, which run on it anyway

cd "$here/jvm"
mvn -q -B install -Duniffi.kotlin.dir="$gen/kotlin" -Dcinetpay.native.dir="$native" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
jar_file="target/cinetpay-transfer-0.1.0.jar"
listing=$(jar tf "$jar_file")
for entry in linux-x86-64/libcinetpay_mobile.so META-INF/LICENSE-MIT META-INF/LICENSE-APACHE com/cinetpay/transfer/Client.class; do
  grep -qx "$entry" <<<"$listing" || { echo "jvm: $entry missing from $jar_file" >&2; exit 1; }
done
echo "jvm: $jar_file ($(wc -c <"$jar_file" | tr -d ' ') bytes) installed in the local Maven repository"

cd "$here/kotlin"
rm -rf target/surefire-reports
# DjangoTokenViewTest's merchant backend (issue 15): a Python with Django and this SDK's wheel.
start=$SECONDS
CINETPAY_DJANGO_PYTHON="$("$here/kotlin/src/test/django/make-python.sh" "$gen/django-python")"
export CINETPAY_DJANGO_PYTHON
echo "kotlin: the Django token server's Python made in $((SECONDS - start)) s"

status=0
mvn -q -B test \
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
# examples/side-by-side/kotlin (issue 12): built against the installed jar and run against the
# sandbox binary; its output must be the transcript every language prints. A separate step and script.
"$root/examples/side-by-side/kotlin/run.sh" "$target/debug/cinetpay-sandbox" || status=1

if $over_budget; then
  echo "mobile: the stripped library ($size bytes) is over its 3 MiB budget ($MAX_LIB_BYTES bytes)" >&2
  exit 1
fi
exit "$status"
