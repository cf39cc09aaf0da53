'use strict'
// Which platform package serves this machine. Platform names are the Node addon's (napi-rs:
// `<os>-<cpu>[-<abi>]`, as in bindings-node/npm/<platform>/ and its loader): linux-x64-gnu,
// linux-arm64-musl, darwin-arm64, win32-x64-msvc... Linux tells glibc from musl the way that loader
// does: /usr/bin/ldd first, else the C library process.report names. Used by index.js (the package
// to load) and pack.sh (the package to fill with a binary).

const fs = require('node:fs')

function isMusl() {
  try {
    return fs.readFileSync('/usr/bin/ldd', 'utf8').includes('musl')
  } catch {
    const header = process.report.getReport().header
    return !header.glibcVersionRuntime
  }
}

/** This machine's platform name, e.g. `linux-x64-gnu`. */
function platformName() {
  const { platform, arch } = process
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

/** The npm package holding the binary for `platform`. */
const packageName = (platform) => `cinetpay-transfer-sandbox-${platform}`

/** The binary's file name on operating system `os` (a `process.platform` value). */
const binaryName = (os) => (os === 'win32' ? 'cinetpay-sandbox.exe' : 'cinetpay-sandbox')

module.exports = { platformName, packageName, binaryName }
