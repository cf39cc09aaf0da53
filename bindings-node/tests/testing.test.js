'use strict'
// `cinetpay-transfer/testing`: the start options are the sandbox crate's own names, as in Python
// (`tokenLifetime`, `clock: 'manual' | 'real'`, `whitelisted`); the first spellings still work this
// release, with one DeprecationWarning (ADR 6).

const test = require('node:test')
const assert = require('node:assert/strict')

const { Client } = require('cinetpay-transfer')
const { Sandbox } = require('cinetpay-transfer/testing')

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
