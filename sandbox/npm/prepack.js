'use strict'
// The `prepack` guard of `cinetpay-transfer-sandbox`: `npm pack` and `npm publish` run it first, so
// the tarball never ships without its binary (bin/cinetpay-sandbox, copied in by whoever packs:
// the release workflow per platform, scripts/install-check.sh here) or without the licence texts,
// which it copies from the repository root (npm skips symlinks). Exits 1 with the reason.

const fs = require('node:fs')
const path = require('node:path')

const binary = path.join('bin', process.platform === 'win32' ? 'cinetpay-sandbox.exe' : 'cinetpay-sandbox')
if (!fs.existsSync(binary)) {
  console.error(`prepack: ${binary} is missing: cargo build --release -p cinetpay-sandbox, then copy target/release/cinetpay-sandbox here`)
  process.exit(1)
}
fs.chmodSync(binary, 0o755)
for (const name of ['LICENSE-MIT', 'LICENSE-APACHE']) fs.copyFileSync(path.join('..', '..', name), name)
console.log(`prepack: cinetpay-transfer-sandbox: ${binary} ${fs.statSync(binary).size} bytes`)
