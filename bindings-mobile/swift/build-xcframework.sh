#!/usr/bin/env bash
# Builds cinetpay_mobileFFI.xcframework (macOS only: needs Xcode's xcodebuild and lipo) from the
# size-optimised static library for iOS devices, the iOS simulators and macOS, next to Package.swift,
# then its release zip and the SwiftPM checksum that Package.swift's binaryTarget(url:checksum:) takes.
#
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin
#   bindings-mobile/swift/build-xcframework.sh
#
# Not run on the Linux machines of this project (no Xcode): .github/workflows/swift.yml runs it on a
# macOS runner. The headers are namespaced, Headers/cinetpay_mobileFFI/{cinetpay_mobileFFI.h,
# module.modulemap}: clang finds the module map in the module's own subdirectory, and two uniffi
# frameworks in one app no longer both put a module.modulemap at the root of Headers/ (they collide).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
profile=release-mobile
out="$here/cinetpay_mobileFFI.xcframework"
work="$target/xcframework"

cd "$root"
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin; do
  # The staticlib alone (the cdylib and rlib types are not needed here, and building them together
  # made the Linux cdylib ~30% bigger: see ../test.sh).
  cargo rustc --locked -p cinetpay-transfer-mobile --lib --crate-type staticlib --profile "$profile" --target "$t"
done

rm -rf "$work" "$out"
headers="$work/headers/cinetpay_mobileFFI"
mkdir -p "$headers" "$work/ios-sim" "$work/macos"
cp "$here/Sources/cinetpay_mobileFFI/cinetpay_mobileFFI.h" "$headers/"
# Inside a framework the module map must be called module.modulemap.
cp "$here/Sources/cinetpay_mobileFFI/cinetpay_mobileFFI.modulemap" "$headers/module.modulemap"

lib=libcinetpay_mobile.a
lipo -create "$target/aarch64-apple-ios-sim/$profile/$lib" "$target/x86_64-apple-ios/$profile/$lib" \
  -output "$work/ios-sim/$lib"
lipo -create "$target/aarch64-apple-darwin/$profile/$lib" "$target/x86_64-apple-darwin/$profile/$lib" \
  -output "$work/macos/$lib"

xcodebuild -create-xcframework \
  -library "$target/aarch64-apple-ios/$profile/$lib" -headers "$work/headers" \
  -library "$work/ios-sim/$lib" -headers "$work/headers" \
  -library "$work/macos/$lib" -headers "$work/headers" \
  -output "$out"
for f in LICENSE-MIT LICENSE-APACHE; do cp "$root/$f" "$out/"; done
echo "built $out"

# The release asset and its checksum (what Package.swift's release form names).
zip="$here/cinetpay_mobileFFI.xcframework.zip"
rm -f "$zip"
(cd "$here" && ditto -c -k --sequesterRsrc --keepParent cinetpay_mobileFFI.xcframework "$zip")
echo "zip: $zip ($(wc -c <"$zip" | tr -d ' ') bytes)"
echo "checksum: $(cd "$here" && swift package compute-checksum "$zip")"
