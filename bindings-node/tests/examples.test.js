'use strict'
// The examples of examples/node/ never spend real money by accident: each one runs with
// real-looking credentials in the environment and no --live, while every way out to a "live"
// service (CINETPAY_BASE_URL and the HTTP(S) proxies, which catch the production host) points at
// a local listener that counts connections: it must count none. --live runs are refused before any
// request unless they name the payee and the amount and are confirmed (--yes without a terminal).
// test.sh copies the examples next to the installed package and sets CINETPAY_EXAMPLES_DIR.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const net = require('node:net')
const path = require('node:path')
const { spawn } = require('node:child_process')

const { Sandbox } = require('cinetpay-transfer/testing')

const DIR = process.env.CINETPAY_EXAMPLES_DIR ?? path.resolve(__dirname, '../../examples/node')
const HELPERS = new Set(['live.mjs'])
const EXAMPLES = fs.readdirSync(DIR).filter((f) => f.endsWith('.mjs') && !HELPERS.has(f)).sort()
const REAL_LOOKING = {
  CINETPAY_API_KEY: '51243657865e1c6b8f1f76.12345678',
  CINETPAY_API_PASSWORD: 'Xk9#live-password-7Qz',
}

/** A TCP listener that closes every connection at once and counts them. */
async function listener() {
  let seen = []
  const server = net.createServer((socket) => {
    seen.push(socket.remotePort)
    socket.destroy()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    /** Connections since the last count. A probe connection goes last in the accept queue, so
     *  once the server has seen it, it has seen every connection made before (it is not counted). */
    async count() {
      const probe = net.connect(port, '127.0.0.1')
      await new Promise((resolve) => probe.once('connect', resolve))
      while (!seen.includes(probe.localPort)) await new Promise((resolve) => setImmediate(resolve))
      const others = seen.filter((p) => p !== probe.localPort)
      seen = []
      probe.destroy()
      return others.length
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/** Runs one example; stdin is never a terminal here. Resolves to { code, stdout, stderr }. */
function run(file, args, env) {
  // CINETPAY_SANDBOX_BIN stays: it says where the sandbox binary is, not where money goes.
  const inherited = Object.entries(process.env).filter(
    ([k]) => !/^(CINETPAY_(?!SANDBOX_BIN$)|https?_proxy|all_proxy|no_proxy|LC_ALL$|LC_MESSAGES$)/i.test(k),
  )
  const child = spawn(process.execPath, [path.join(DIR, file), ...args], {
    cwd: DIR,
    // English unless `env` says otherwise, whatever the machine's locale.
    env: { ...Object.fromEntries(inherited), LANG: 'C.UTF-8', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 120_000, // a hung example fails its test (code null) instead of hanging the suite
  })
  child.stdin.end()
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** The environment of a shell with real credentials, where "live" can only reach the listener. */
function trap(url) {
  return {
    ...REAL_LOOKING,
    CINETPAY_BASE_URL: `${url}/v1`,
    HTTPS_PROXY: url,
    HTTP_PROXY: url,
    ALL_PROXY: url,
    NO_PROXY: '127.0.0.1,localhost', // the in-process sandbox and the example's own servers
  }
}

let live
test.before(async () => {
  live = await listener()
})
test.after(() => live.close())

test('the examples are found', () => {
  assert.ok(EXAMPLES.includes('payout.mjs'), `no payout.mjs in ${DIR}`)
  assert.ok(EXAMPLES.length >= 2, EXAMPLES.join(', '))
})

for (const file of EXAMPLES) {
  test(`${file} without --live stays on the in-process sandbox, whatever the environment holds`, async () => {
    const done = await run(file, [], trap(live.url))
    assert.equal(await live.count(), 0, `the example reached the "live" listener: ${done.stderr}`)
    assert.equal(done.code, 0, done.stderr)
    assert.notEqual(done.stdout.trim(), '')
  })
}

const french = {
  'payout.mjs': ['bac à sable : aucun argent ne bouge', 'disponible : 10\u202f000\u202f000 XOF', 'accepté : '],
  'express-notify.mjs': ['URL de notification : ', 'confirmé ', '1\u202f000 XOF'],
}
for (const file of EXAMPLES.filter((f) => f in french)) {
  test(`${file} speaks French when the locale does`, async () => {
    const done = await run(file, [], { ...trap(live.url), LANG: 'fr_CI.UTF-8' })
    assert.equal(await live.count(), 0, done.stderr)
    assert.equal(done.code, 0, done.stderr)
    for (const text of french[file]) assert.ok(done.stdout.includes(text), `${text} not in ${done.stdout}`)
  })
}

test('payout.mjs refuses in French too', async () => {
  const done = await run('payout.mjs', ['--live'], { ...trap(live.url), LANG: 'fr_SN.UTF-8' })
  assert.equal(done.code, 2, done.stdout + done.stderr)
  assert.ok(done.stderr.includes('--live demande le bénéficiaire et le montant'), done.stderr)
  assert.ok(done.stderr.includes('Rien n’a été envoyé.'), done.stderr)
  assert.equal(await live.count(), 0)
})

const refusals = [
  [['--live'], '--live needs the payee and the amount'],
  [['--live', '+2250701020304'], '--live needs the payee and the amount'],
  [['--live', '--yes', '500'], '--live needs the payee and the amount'],
  [['--live', '+2250701020304', '500'], 'without one, add --yes'], // stdin is not a terminal
  [['--live', '--yes', '+2250701020304', '500.5'], 'the amount must be whole XOF'],
  [['+2250701020304', '500'], 'only mean something with --live'],
]
for (const [args, why] of refusals) {
  test(`payout.mjs ${args.join(' ')} is refused before any request`, async () => {
    const done = await run('payout.mjs', args, trap(live.url))
    assert.equal(await live.count(), 0, `a refused run reached the "live" listener: ${done.stderr}`)
    assert.equal(done.code, 2, done.stdout + done.stderr)
    assert.ok(done.stderr.includes(why), done.stderr)
    assert.match(done.stderr, /Nothing was sent\./)
  })
}

test('payout.mjs --live --yes PHONE AMOUNT pays exactly that, after showing it masked with the balance', async () => {
  const sandbox = await Sandbox.start({ clock: 'real' }) // stands in for the live service
  try {
    const env = {
      CINETPAY_API_KEY: sandbox.apiKey,
      CINETPAY_API_PASSWORD: sandbox.password,
      CINETPAY_BASE_URL: sandbox.baseUrl,
    }
    const done = await run('payout.mjs', ['--live', '--yes', '+225 0505060708', '700'], env)
    assert.equal(done.code, 0, done.stderr)
    assert.match(done.stdout, /about to pay 700 XOF to \+225 05\*{6}08 \(available: \d+ XOF\)/)
    assert.match(done.stdout, /VAL/)
    assert.ok(!done.stdout.includes('0505060708') && !done.stderr.includes('0505060708'), 'the full number was printed')
    assert.ok(!(done.stdout + done.stderr).includes(sandbox.password), 'the password was printed')
    const ledger = await sandbox.ledger()
    assert.deepEqual(
      ledger.map((e) => [e.prefix, e.phone, e.amount]),
      [['225', '0505060708', 700]],
    )
  } finally {
    await sandbox.close()
  }
})
