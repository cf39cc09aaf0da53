'use strict'
// `cinetpay-transfer-sandbox`: the `cinetpay-sandbox` binary, for the test suites of
// `cinetpay-transfer` users (`npm install --save-dev cinetpay-transfer-sandbox`). The client
// package does not contain it; `Sandbox.start()` of `cinetpay-transfer/testing` finds this package
// by require.resolve and runs `binaryPath` (ADR 10).
//
// The binary is built for one platform: the package is packed on the platform it serves, with
// bin/cinetpay-sandbox copied in first (the release workflow builds it per platform, as it builds the
// addon; prepack.js refuses to pack the package without it).

const fs = require('node:fs')
const path = require('node:path')

const binaryPath = path.join(__dirname, 'bin', process.platform === 'win32' ? 'cinetpay-sandbox.exe' : 'cinetpay-sandbox')

if (!fs.existsSync(binaryPath)) {
  const message =
    `cinetpay-transfer-sandbox is installed but has no binary at ${binaryPath} (a package packed without it, ` +
    'or for another platform): reinstall it, or set CINETPAY_SANDBOX_BIN to a cinetpay-sandbox binary ' +
    '(`cargo install --locked --path sandbox` from a checkout of the SDK)'
  throw new Error(message)
}

module.exports = { binaryPath }
