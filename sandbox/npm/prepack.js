'use strict'
// The `prepack` guard of the sandbox's npm packages: `npm pack` and `npm publish` run it first.
//
//   node prepack.js main            (cwd sandbox/npm/): the main package, which holds no binary
//   node ../../prepack.js platform  (cwd platforms/<platform>/): one platform package
//
// A platform package is refused without its binary (bin/cinetpay-sandbox, .exe for win32: copied
// in by pack.sh here, by the release workflow per platform) or with a binary built for another
// system or processor than its package.json's os and cpu say (the executable's header is read:
// ELF, Mach-O or PE); it is made executable. Both copy LICENSE-MIT and LICENSE-APACHE from the
// repository root (npm skips symlinks, and the texts have one home). Exits 1 with the reason.

const fs = require('node:fs')
const path = require('node:path')
const { binaryName } = require('./platform.js')

function fail(message) {
  console.error(`prepack: ${message}`)
  process.exit(1)
}

/** `{ os, cpu }` of an executable, from the first bytes of its header, or null when unknown. */
function executableKind(header) {
  const cpus = { 0x3e: 'x64', 0xb7: 'arm64', 0x01000007: 'x64', 0x0100000c: 'arm64', 0x8664: 'x64', 0xaa64: 'arm64' }
  if (header.readUInt32BE(0) === 0x7f454c46) return { os: 'linux', cpu: cpus[header.readUInt16LE(0x12)] }
  if (header.readUInt32LE(0) === 0xfeedfacf) return { os: 'darwin', cpu: cpus[header.readUInt32LE(4)] }
  if (header.toString('latin1', 0, 2) === 'MZ') {
    const pe = header.readUInt32LE(0x3c)
    if (pe + 6 <= header.length && header.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      return { os: 'win32', cpu: cpus[header.readUInt16LE(pe + 4)] }
    }
  }
  return null
}

function checkPlatform() {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'))
  const [os] = pkg.os
  const [cpu] = pkg.cpu
  const binary = path.join('bin', binaryName(os))
  if (!fs.existsSync(binary)) {
    fail(`${pkg.name}: ${binary} is missing: build it for ${os}-${cpu} (cargo build --release -p cinetpay-sandbox), then copy it there (pack.sh does)`)
  }
  const header = Buffer.alloc(4096)
  const fd = fs.openSync(binary, 'r')
  const length = fs.readSync(fd, header, 0, header.length, 0)
  fs.closeSync(fd)
  const kind = executableKind(header.subarray(0, length))
  if (!kind || kind.os !== os || kind.cpu !== cpu) {
    const found = kind ? `${kind.os}-${kind.cpu ?? 'unknown processor'}` : 'not an ELF, Mach-O or PE executable'
    fail(`${pkg.name}: ${binary} is for ${found}, the package for ${os}-${cpu}`)
  }
  fs.chmodSync(binary, 0o755)
  console.log(`prepack: ${pkg.name}: ${binary} ${fs.statSync(binary).size} bytes, ${os}-${cpu}`)
}

const root = path.join(__dirname, '..', '..')
const mode = process.argv[2]
if (mode === 'platform') checkPlatform()
else if (mode !== 'main') fail('usage: prepack.js main|platform')
for (const name of ['LICENSE-MIT', 'LICENSE-APACHE']) fs.copyFileSync(path.join(root, name), name)
