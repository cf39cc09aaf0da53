'use strict'
// Many processes, one login: clients given one real redis-server (started here on a free port, no
// persistence) log in once; `issueToken` hands out that token without ever printing it; and
// `tokenHandler` inside a real Express app gives it only to callers `authorize` accepts.
// Logins are counted from the sandbox's request log: requests received = calls made + logins.
// Without redis-server the Redis tests are skipped locally; in CI (CI=true) its absence fails.

const test = require('node:test')
const assert = require('node:assert/strict')
const { spawn, spawnSync } = require('node:child_process')
const net = require('node:net')
const util = require('node:util')
const express = require('express')

const { Client, IssuedToken } = require('cinetpay-transfer')
const { tokenHandler } = require('cinetpay-transfer/express')
const { Sandbox } = require('cinetpay-transfer/testing')

const FAST = { maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10 }
const hasRedis = spawnSync('redis-server', ['--version']).status === 0
if (!hasRedis && process.env.CI === 'true') {
  throw new Error('redis-server is not installed; CI installs it in .ci/run')
}
const redisTest = hasRedis ? test : test.skip

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
}

async function startRedis() {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  })
  const deadline = Date.now() + 10_000
  for (;;) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() && true))
      socket.on('error', () => resolve(false))
    })
    if (up) break
    if (Date.now() > deadline) throw new Error('redis-server did not start')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => child.kill() }
}

async function received(sandbox) {
  return (await sandbox.admin('GET', '/requests')).received
}

let sandbox
let redis
let server
let base
let tokenApp
test.before(async () => {
  sandbox = await Sandbox.start()
  if (hasRedis) redis = await startRedis()
  const client = new Client(sandbox.clientOptions(FAST))
  const refused = new Client(sandbox.clientOptions({ ...FAST, password: 'not-the-password' }))
  // "Authentication" for the test: a session header the merchant's backend would check.
  const authorize = (req) => req.headers['x-session'] === 'alice'
  const app = express()
  app.get('/cinetpay/token', tokenHandler({ client, authorize }))
  app.get('/broken/token', tokenHandler({ client, authorize: () => { throw new Error('session store down') } }))
  app.get('/refused/token', tokenHandler({ client: refused, authorize }))
  // The default Express error handler would print the stack: keep the output to the test's own.
  app.use((error, req, res, next) => res.status(500).json({ error: 'internal' }))
  await new Promise((resolve) => {
    server = app.listen(0, '127.0.0.1', resolve)
  })
  base = `http://127.0.0.1:${server.address().port}`
  tokenApp = client
})
test.after(() => {
  server.close()
  sandbox.close()
  if (redis) redis.stop()
})
test.beforeEach(() => sandbox.reset())

redisTest('clients sharing one Redis log in once', async () => {
  const workers = Array.from({ length: 4 }, () => new Client(sandbox.clientOptions({ ...FAST, tokenStore: redis.url })))
  await Promise.all(workers.map((w) => w.balance()))
  assert.equal(await received(sandbox), 4 + 1)
  const [a, b] = await Promise.all([workers[0].issueToken(), workers[3].issueToken()])
  assert.equal(a.token, b.token, 'the shared token')
  assert.equal(await received(sandbox), 5, 'issuing did not log in again')
})

redisTest('separate Node processes sharing one Redis log in once', async () => {
  // Each child is what runs behind a load balancer: its own process, its own client.
  const worker = `
    const { Client } = require('cinetpay-transfer')
    new Client(JSON.parse(process.argv[1])).balance().then(() => console.log('worker done'), (e) => { console.error(e.kind); process.exit(1) })`
  // Database 1: the token the other test left in database 0 is for a sandbox that was reset since.
  const options = JSON.stringify(sandbox.clientOptions({ ...FAST, tokenStore: redis.url.replace(/\/0$/, '/1') }))
  const runs = Array.from({ length: 3 }, () =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['-e', worker, options], { stdio: ['ignore', 'pipe', 'inherit'] })
      let out = ''
      child.stdout.on('data', (chunk) => (out += chunk))
      child.on('close', (code) => resolve({ code, out }))
    }),
  )
  for (const { code, out } of await Promise.all(runs)) {
    assert.equal(code, 0)
    assert.match(out, /worker done/)
  }
  assert.equal(await received(sandbox), 3 + 1, 'three balance calls, one login for three processes')
})

test('issueToken hides the token from inspection and JSON', async () => {
  const client = new Client(sandbox.clientOptions(FAST))
  const issued = await client.issueToken()
  assert.ok(issued instanceof IssuedToken)
  assert.equal(issued.token.split('.').length, 3, 'a JWT')
  for (const shown of [util.inspect(issued), JSON.stringify(issued), String(issued), util.format('%o', issued)]) {
    assert.ok(!shown.includes(issued.token), shown)
  }
  assert.ok(issued.expiresAt > new Date() && issued.expiresIn > 0 && issued.expiresIn <= 300)
})

test('a token store URL that is not Redis names the option', () => {
  assert.throws(() => new Client(sandbox.clientOptions({ tokenStore: 'http://127.0.0.1:6379' })), {
    name: 'ValidationError',
    field: 'tokenStore',
  })
})

test('a Redis out of reach costs logins, not payouts', async () => {
  const dead = `redis://127.0.0.1:${await freePort()}/0`
  const client = new Client(sandbox.clientOptions({ ...FAST, tokenStore: dead }))
  const [result] = await client.pay([
    { prefix: '225', phone: '0701020304', amount: 500, notifyUrl: 'http://127.0.0.1:9/n', clientTransactionId: 'store-down' },
  ])
  assert.equal(result.outcome, 'accepted')
})

test('tokenHandler gives the token to an authorized caller only', async () => {
  const ok = await fetch(`${base}/cinetpay/token`, { headers: { 'x-session': 'alice' } })
  assert.equal(ok.status, 200)
  assert.equal(ok.headers.get('cache-control'), 'no-store')
  const body = await ok.json()
  assert.equal(body.token, (await tokenApp.issueToken()).token, 'the client token')
  assert.ok(new Date(body.expires_at) > new Date() && body.expires_in > 0)

  // The token works against the service: a client given it pays nothing else but a balance call.
  const balance = await fetch(`${sandbox.baseUrl}/transfer/check/balance?token=${encodeURIComponent(body.token)}`)
  assert.equal(balance.status, 200)

  // The service forgets every token (a revocation): the app, refused, asks again with its old one.
  await sandbox.reset()
  const again = await fetch(`${base}/cinetpay/token`, { headers: { 'x-session': 'alice', 'x-previous-token': body.token } })
  const renewed = (await again.json()).token
  assert.notEqual(renewed, body.token, 'a revoked token is not handed out again')
  const works = await fetch(`${sandbox.baseUrl}/transfer/check/balance?token=${encodeURIComponent(renewed)}`)
  assert.equal(works.status, 200)

  for (const headers of [{}, { 'x-session': 'mallory' }]) {
    const refused = await fetch(`${base}/cinetpay/token`, { headers })
    assert.equal(refused.status, 403)
    assert.ok(!(await refused.text()).includes(body.token))
  }
})

test('tokenHandler: a failing authorize and a refused login hand out nothing', async () => {
  const token = (await tokenApp.issueToken()).token
  const broken = await fetch(`${base}/broken/token`, { headers: { 'x-session': 'alice' } })
  assert.equal(broken.status, 500)
  assert.ok(!(await broken.text()).includes(token))

  const refused = await fetch(`${base}/refused/token`, { headers: { 'x-session': 'alice' } })
  assert.equal(refused.status, 503)
  assert.deepEqual(await refused.json(), { error: 'token_unavailable', kind: 'authentication' })
})

test('tokenHandler checks its options', () => {
  assert.throws(() => tokenHandler({ authorize: () => true }), TypeError)
  assert.throws(() => tokenHandler({ client: tokenApp }), TypeError)
})
