'use strict'
// The `prepack` guard of the npm packages: `npm pack` and `npm publish` run it first, so a tarball
// never ships a debug or unstripped addon, or ships without the licence texts.
//
//   node npm/check-pack.js main    (cwd bindings-node/): the JS package, which ships no `.node`
//   node ../check-pack.js addon    (cwd npm/<platform>/): one platform package and its addon
//
// Both copy LICENSE-MIT and LICENSE-APACHE from the repository root into the package (npm skips
// symlinks, and the texts have one home). An addon is refused when it is over 16 MB (a release
// addon is about 8 MB, a debug one 28 MB or more) or, for ELF, when it still has a symbol table or
// DWARF sections (built without `--strip`). Exits 1 with the reason.

const fs = require('node:fs')
const path = require('node:path')

const MAX_ADDON_BYTES = 16 * 1024 * 1024

function fail(message) {
  console.error(`check-pack: ${message}`)
  process.exit(1)
}

function copyLicences(root) {
  for (const name of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    const source = path.join(root, name)
    if (!fs.existsSync(source)) fail(`${source} is missing`)
    fs.copyFileSync(source, name)
  }
}

/** Section names of an ELF64 little-endian file, or null when the file is not one. */
function elfSections(file) {
  const buf = fs.readFileSync(file)
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) return null
  const shoff = Number(buf.readBigUInt64LE(0x28))
  const shentsize = buf.readUInt16LE(0x3a)
  const shnum = buf.readUInt16LE(0x3c)
  const shstrndx = buf.readUInt16LE(0x3e)
  const header = (i) => shoff + i * shentsize
  const strOffset = Number(buf.readBigUInt64LE(header(shstrndx) + 0x18))
  const names = []
  for (let i = 0; i < shnum; i++) {
    const nameAt = strOffset + buf.readUInt32LE(header(i))
    names.push(buf.toString('latin1', nameAt, buf.indexOf(0, nameAt)))
  }
  return names
}

function checkAddon() {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'))
  const addon = pkg.main
  if (!addon || !addon.endsWith('.node')) fail(`${pkg.name}: "main" names no .node file`)
  if (!fs.existsSync(addon)) {
    fail(`${pkg.name}: ${addon} is missing (napi build --release --strip, then napi artifacts / prepublish)`)
  }
  const size = fs.statSync(addon).size
  if (size > MAX_ADDON_BYTES) {
    fail(`${addon} is ${(size / 2 ** 20).toFixed(1)} MB: a debug build? Pack only the release build (npm run build:release)`)
  }
  const sections = elfSections(addon)
  if (sections) {
    const debug = sections.filter((name) => name === '.symtab' || name.startsWith('.debug_'))
    if (debug.length) fail(`${addon} is not stripped (${debug.join(', ')}): build it with --strip`)
  }
  console.log(`check-pack: ${pkg.name}: ${addon} ${size} bytes, release and stripped`)
}

function checkMain() {
  for (const file of ['native/index.js', 'native/index.d.ts']) {
    if (!fs.existsSync(file)) fail(`${file} is missing: run npm run build:release first (napi writes the loader)`)
  }
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'))
  const shipsAddon = pkg.files.some((entry) => entry.includes('.node') || entry === 'native/')
  if (shipsAddon) fail('package.json "files" ships a .node: addons belong in the npm/<platform>/ packages')
}

const mode = process.argv[2]
if (mode === 'main') {
  checkMain()
  copyLicences('..')
} else if (mode === 'addon') {
  checkAddon()
  copyLicences('../../..')
} else {
  fail('usage: check-pack.js main|addon')
}
