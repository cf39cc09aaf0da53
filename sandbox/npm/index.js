'use strict'
// `cinetpay-transfer-sandbox`: the `cinetpay-sandbox` binary, for the test suites of
// `cinetpay-transfer` users (`npm install --save-dev cinetpay-transfer-sandbox`). The client
// package does not contain it; `Sandbox.start()` of `cinetpay-transfer/testing` finds this package
// by require.resolve and runs `binaryPath` (ADR 10).
//
// This package holds no binary: as esbuild does, each platform's binary is its own package
// (`cinetpay-transfer-sandbox-<platform>`, platforms/<platform>/, with npm's os/cpu/libc fields), all
// listed in optionalDependencies, so npm installs only the one for the machine. This file finds it.

const path = require('node:path')
const { platformName, packageName, binaryName } = require('./platform.js')
const { version, optionalDependencies } = require('./package.json')

const platform = platformName()
const name = packageName(platform)
const OTHERWISE =
  'set CINETPAY_SANDBOX_BIN to a cinetpay-sandbox binary, or put one on PATH ' +
  '(`cargo install --locked --path sandbox` from a checkout of the SDK)'

function fail(reason) {
  throw new Error(`cinetpay-transfer-sandbox: ${reason}`)
}

function findBinary() {
  if (!(name in optionalDependencies)) {
    const published = Object.keys(optionalDependencies).map((dep) => dep.slice(packageName('').length))
    fail(`no binary is published for this platform (${platform}; published: ${published.join(', ')}): ${OTHERWISE}`)
  }
  let manifest
  try {
    manifest = require.resolve(`${name}/package.json`)
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e
    fail(
      `the package with this platform's binary, ${name}, is not installed (npm installs it with this ` +
        'one unless optional dependencies are omitted, or node_modules came from another platform): run ' +
        `\`npm install --include=optional\` in your project, or ${OTHERWISE}`,
    )
  }
  const installed = require(manifest).version
  if (installed !== version) {
    fail(`${name} is version ${installed}, this package ${version}: run \`npm install --include=optional\` in your project to reinstall both`)
  }
  return path.join(path.dirname(manifest), 'bin', binaryName(process.platform))
}

module.exports = { binaryPath: findBinary() }
