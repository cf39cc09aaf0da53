'use strict'
// `cinetpay-transfer/testing`: the start options are the sandbox crate's own names, as in Python
// (`tokenLifetime`, `clock: 'manual' | 'real'`, `whitelisted`); the first spellings still work this
// release, with one DeprecationWarning (ADR 6).

const { spawn } = require('node:child_process')
const path = require('node:path')
const test = require('node:test')
const assert = require('node:assert/strict')

const { Client } = require('cinetpay-transfer')
const { Sandbox, sandboxBinary } = require('cinetpay-transfer/testing')

const NOTIFY = 'http://127.0.0.1:9/notify'
const CONTACT = { prefix: '225', phone: '0701020304', name: 'A', surname: 'B' }

async function withSandbox(options, body) {
  const sandbox = await Sandbox.start(options)
  try {
    return await body(sandbox, new Client(sandbox.clientOptions()))
  } finally {
    await sandbox.close()
  }
}

/** How many tokens are still valid `seconds` of sandbox time after one was issued. */
const validAfter = (options, seconds) =>
  withSandbox(options, async (sandbox, client) => {
    await client.balance()
    await sandbox.advanceClock(seconds)
    return sandbox.expireTokens()
  })

/** The payout's treatment status once `settle` has run (or as it is, at the end of it). */
async function statusAfter(sandbox, client, settle) {
  await client.addContacts([CONTACT])
  const [sent] = await client.send([{ ...CONTACT, amount: 500, notifyUrl: NOTIFY }])
  await settle(sent)
  const [info] = await client.transferStatus({ transactionId: sent.transactionId })
  return info.treatmentStatus
}

async function settledOnItsOwn(sandbox, client) {
  return statusAfter(sandbox, client, async (sent) => {
    for (let i = 0; i < 50; i++) {
      const [info] = await client.transferStatus({ transactionId: sent.transactionId })
      if (info.treatmentStatus === 'VAL' || info.treatmentStatus === 'REJ') return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
}

function deprecations() {
  const seen = []
  const listener = (w) => w.code === 'CINETPAY_DEP_SANDBOX_OPTIONS' && seen.push(w.message)
  process.on('warning', listener)
  return { seen, stop: () => process.off('warning', listener) }
}

test('tokenLifetime sets how long an issued token lives, in sandbox seconds', async () => {
  assert.equal(await validAfter({ tokenLifetime: 60 }, 59), 1)
  assert.equal(await validAfter({ tokenLifetime: 60 }, 61), 0)
  assert.equal(await validAfter({}, 61), 1, 'the default is 300 s')
})

test("clock 'real' settles payouts by themselves; 'manual' (the default) waits for advanceClock", async () => {
  assert.equal(await withSandbox({ clock: 'real' }, settledOnItsOwn), 'VAL')
  const still = await withSandbox({}, (sandbox, client) => statusAfter(sandbox, client, () => {}))
  assert.ok(!['VAL', 'REJ'].includes(still), `nothing moves on a manual clock, got ${still}`)
})

test('whitelisted: false makes the seeded merchant payouts wait for confirm', async () => {
  const pending = await withSandbox({ whitelisted: false }, async (sandbox, client) => {
    await statusAfter(sandbox, client, () => {})
    return sandbox.confirm()
  })
  assert.equal(pending, 1)
  const none = await withSandbox({}, async (sandbox, client) => {
    await statusAfter(sandbox, client, () => {})
    return sandbox.confirm()
  })
  assert.equal(none, 0, 'the seeded merchant is whitelisted by default')
})

test("addFault takes Python's fault kinds, not_yet_visible included", async () => {
  await withSandbox({}, async (sandbox, client) => {
    await client.addContacts([CONTACT])
    const [sent] = await client.send([{ ...CONTACT, amount: 500, notifyUrl: NOTIFY }])
    const queued = await sandbox.addFault({ endpoint: 'status', kind: 'not_yet_visible' })
    assert.deepEqual(queued.map((f) => [f.endpoint, f.kind, f.count]), [['status', 'not_yet_visible', 1]])
    const hidden = await client.transferStatus({ transactionId: sent.transactionId }).catch((e) => e)
    assert.equal(hidden.kind, 'not_found', 'recorded but not shown yet: 723')
    assert.equal(hidden.code, 723)
    const [seen] = await client.transferStatus({ transactionId: sent.transactionId })
    assert.equal(seen.transactionId, sent.transactionId, 'the next lookup sees it')
  })
})

test('bad option values are refused by name', async () => {
  await assert.rejects(Sandbox.start({ clock: 'fast' }), /clock must be 'manual' or 'real'/)
  await assert.rejects(Sandbox.start({ tokenLifetime: -1 }), /tokenLifetime/)
})

test("the first spellings (tokenLifetimeSeconds, clock: 'demo') still work, with one warning", async () => {
  const warnings = deprecations()
  try {
    assert.equal(await validAfter({ tokenLifetimeSeconds: 60 }, 61), 0)
    assert.equal(await withSandbox({ clock: 'demo' }, settledOnItsOwn), 'VAL')
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(warnings.seen.length, 1, 'one warning per process')
    assert.match(warnings.seen[0], /tokenLifetimeSeconds \(now tokenLifetime\)/)
  } finally {
    warnings.stop()
  }
})

test('notifications({ waitFor, timeout }) takes seconds; the first form (waitFor, timeoutMs) warns once', async () => {
  const seen = []
  const listener = (w) => w.code === 'CINETPAY_DEP_SANDBOX_NOTIFICATIONS' && seen.push(w.message)
  process.on('warning', listener)
  try {
    await withSandbox({}, async (sandbox) => {
      await sandbox.ping('http://127.0.0.1:9/ping')
      assert.equal((await sandbox.notifications({ waitFor: 1, timeout: 1 })).length, 1)
      const waited = await sandbox.notifications({ waitFor: 2, timeout: 0.2 }).catch((e) => e)
      assert.equal(waited.status, 504, 'a wait that times out is the admin API 504')
      assert.equal((await sandbox.notifications(1, 1000)).length, 1)
      assert.equal((await sandbox.notifications(1, 1000)).length, 1)
    })
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(seen.length, 1)
  } finally {
    process.off('warning', listener)
  }
})

// Discovery (ADR 10): CINETPAY_SANDBOX_BIN, else the cinetpay-transfer-sandbox package, else PATH.
// test.sh sets CINETPAY_SANDBOX_BIN to the binary it built; these tests change the environment
// of this file's own process only (node --test runs each file in its own process).

async function withEnv(env, body) {
  const saved = { ...process.env }
  Object.assign(process.env, env)
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]
  try {
    return await body()
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

const packaged = (() => {
  try {
    require.resolve('cinetpay-transfer-sandbox')
    return true
  } catch {
    return false
  }
})()

test('CINETPAY_SANDBOX_BIN naming no file is an error that says so and what to install', async () => {
  await withEnv({ CINETPAY_SANDBOX_BIN: '/nonexistent/cinetpay-sandbox' }, async () => {
    const error = await Sandbox.start().catch((e) => e)
    assert.equal(error.name, 'SandboxNotFoundError')
    assert.match(error.message, /CINETPAY_SANDBOX_BIN is \/nonexistent\/cinetpay-sandbox, where there is no file/)
    assert.match(error.message, /npm install --save-dev cinetpay-transfer-sandbox/)
  })
})

test('without any binary, the error names the package to install', { skip: packaged && 'the sandbox package is installed here' }, async () => {
  await withEnv({ CINETPAY_SANDBOX_BIN: undefined, PATH: '' }, async () => {
    const error = await Sandbox.start().catch((e) => e)
    assert.equal(error.name, 'SandboxNotFoundError')
    assert.match(error.message, /npm install --save-dev cinetpay-transfer-sandbox/)
    assert.match(error.message, /cargo install --locked --path sandbox/)
  })
})

test('without CINETPAY_SANDBOX_BIN, cinetpay-sandbox on PATH is started', { skip: packaged && 'the sandbox package is installed here' }, async () => {
  const binary = process.env.CINETPAY_SANDBOX_BIN
  assert.ok(binary, 'test.sh sets CINETPAY_SANDBOX_BIN')
  await withEnv({ CINETPAY_SANDBOX_BIN: undefined, PATH: path.dirname(binary) }, async () => {
    assert.equal(sandboxBinary(), path.join(path.dirname(binary), 'cinetpay-sandbox'))
    await withSandbox({}, async (sandbox, client) => assert.ok((await client.balance()).available > 0))
  })
})

const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code !== 'ESRCH'
  }
}

test('close() ends the sandbox process; a second close() does nothing', async () => {
  const sandbox = await Sandbox.start()
  assert.ok(alive(sandbox.pid))
  await sandbox.close()
  assert.ok(!alive(sandbox.pid), `the sandbox ${sandbox.pid} still runs after close()`)
  await sandbox.close()
  await assert.rejects(fetch(sandbox.adminUrl + '/ledger'), 'its port is closed')
})

test('a test process killed without closing its sandbox leaves no sandbox behind', async () => {
  const script = `const { Sandbox } = require('cinetpay-transfer/testing')
    Sandbox.start().then((s) => { console.log(s.pid); setInterval(() => {}, 1000) })`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const pid = Number(await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim()))))
  assert.ok(alive(pid))
  child.kill('SIGKILL')
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  assert.ok(!alive(pid), `the sandbox ${pid} outlived the killed test process`)
})

test('client() is a Client of the seeded merchant', async () => {
  const sandbox = await Sandbox.start()
  try {
    const client = sandbox.client({ maxAttempts: 1 })
    assert.ok(client instanceof Client)
    assert.ok((await client.balance()).available > 0)
    assert.equal((await sandbox.ledger()).length, 0)
  } finally {
    await sandbox.close()
  }
})
