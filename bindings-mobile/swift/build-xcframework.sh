#!/usr/bin/env bash
# Builds cinetpay_mobileFFI.xcframework (macOS only: needs Xcode's xcodebuild and lipo) from the
# size-optimised static library for iOS devices, the iOS simulators and macOS, next to Package.swift.
#
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin
#   bindings-mobile/swift/build-xcframework.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
profile=release-mobile
out="$here/cinetpay_mobileFFI.xcframework"
work="$target/xcframework"

cd "$root"
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin; do
  cargo build -p cinetpay-transfer-mobile --lib --profile "$profile" --target "$t"
done

rm -rf "$work" "$out"
mkdir -p "$work/headers" "$work/ios-sim" "$work/macos"
cp "$here/Sources/cinetpay_mobileFFI/cinetpay_mobileFFI.h" "$work/headers/"
# Inside a framework the module map must be called module.modulemap.
cp "$here/Sources/cinetpay_mobileFFI/cinetpay_mobileFFI.modulemap" "$work/headers/module.modulemap"

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
echo "built $out"
