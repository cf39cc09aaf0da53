'use strict'
// examples/side-by-side/node runs against the in-process sandbox and prints exactly
// examples/side-by-side/expected-output.txt, the transcript the Rust, Python and Kotlin versions
// are held to too; without a local sandbox URL it refuses before any request.
//
// The program imports 'cinetpay-transfer' the way an application does, so the test runs a copy
// placed beside the installed package (test.sh's project, or bindings-node itself in a checkout).
// Its source is found from the repository: test.sh points CINETPAY_CONFORMANCE_DIR into it.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')

const { Sandbox } = require('cinetpay-transfer/testing')

const ROOT = process.env.CINETPAY_CONFORMANCE_DIR
  ? path.resolve(process.env.CINETPAY_CONFORMANCE_DIR, '../../..')
  : path.resolve(__dirname, '../..')
const SOURCE = path.join(ROOT, 'examples/side-by-side')
let copy

test.before(() => {
  const dir = fs.mkdtempSync(path.join(__dirname, '..', '.side-by-side-'))
  copy = path.join(dir, 'side-by-side.mjs')
  fs.copyFileSync(path.join(SOURCE, 'node/side-by-side.mjs'), copy)
})
test.after(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }))

/** Runs the program with this environment less every CINETPAY_ variable, plus `env`. */
function run(env) {
  const inherited = Object.entries(process.env).filter(([k]) => !/^CINETPAY_/i.test(k))
  const child = spawn(process.execPath, [copy], {
    env: { ...Object.fromEntries(inherited), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

test('side-by-side.mjs prints the shared transcript against the sandbox', async () => {
  const sandbox = await Sandbox.start({ clock: 'real' })
  try {
    const { code, stdout, stderr } = await run({ CINETPAY_SANDBOX_URL: sandbox.baseUrl })
    assert.equal(code, 0, stderr)
    assert.equal(stdout, fs.readFileSync(path.join(SOURCE, 'expected-output.txt'), 'utf8'), stderr)
    const notified = (await sandbox.notifications()).map((d) => d.fields.treatment_status).sort()
    assert.deepEqual(notified, ['REJ', 'VAL'], 'each payout final once, notified once')
  } finally {
    await sandbox.close()
  }
})

for (const env of [
  { CINETPAY_API_KEY: '51243657865e1c6b8f1f76.12345678', CINETPAY_BASE_URL: 'https://client.cinetpay.com/v1' },
  { CINETPAY_SANDBOX_URL: 'https://client.cinetpay.com/v1' },
]) {
  test(`side-by-side.mjs refuses without a local sandbox URL (${Object.keys(env).join(', ')})`, async () => {
    const { code, stdout, stderr } = await run(env)
    assert.equal(code, 2, stdout + stderr)
    assert.match(stderr, /nothing was sent/)
    assert.equal(stdout, '')
  })
}
