'use strict'
// The Promise API under load: many concurrent calls on one client, and the event loop while a
// call waits on a slow service. Assertions are about results and the sandbox's records, never time.

const test = require('node:test')
const assert = require('node:assert/strict')

const { Client } = require('cinetpay-transfer')
const { Sandbox } = require('cinetpay-transfer/testing')

const NOTIFY = 'http://127.0.0.1:9/notify'

let sandbox
test.before(async () => {
  sandbox = await Sandbox.start()
})
test.after(() => sandbox.close())
test.beforeEach(() => sandbox.reset())

test('50 concurrent calls share one client and log in once', async () => {
  // The first login is slow (so every call is in flight before a token exists); any further login
  // would hit a queued server error, and with one attempt that call would fail.
  await sandbox.addFault({ endpoint: 'login', kind: 'latency', latencyMs: 300 })
  await sandbox.addFault({ endpoint: 'login', kind: 'server_error', count: 100 })
  const client = new Client(sandbox.clientOptions({ maxAttempts: 1 }))
  await Promise.all([
    ...Array.from({ length: 25 }, () => client.balance()),
    ...Array.from({ length: 25 }, (_, i) =>
      client.pay([{ prefix: '225', phone: '0701020304', amount: 500 + 5 * i, notifyUrl: NOTIFY, clientTransactionId: `c-${i}` }]),
    ),
  ]).then((results) => {
    // Balances run alongside the payouts: each sees between none and all 25 of them debited.
    const paidTotal = Array.from({ length: 25 }, (_, i) => 500 + 5 * i).reduce((a, b) => a + b)
    for (const r of results.slice(0, 25)) {
      assert.ok(r.countries.CI.available <= 1_000_000 && r.countries.CI.available >= 1_000_000 - paidTotal)
    }
    for (const [i, [sent]] of results.slice(25).entries()) {
      assert.equal(sent.outcome, 'accepted')
      assert.equal(sent.clientTransactionId, `c-${i}`)
    }
  })
  const faults = await sandbox.admin('GET', '/faults')
  assert.deepEqual(
    faults.map((f) => [f.endpoint, f.kind, f.count]),
    [['login', 'server_error', 100]],
    'exactly one login request reached the service',
  )
  const ledger = await sandbox.ledger()
  assert.equal(ledger.length, 25)
  assert.ok(ledger.every((e) => e.acceptedCount === 1))
})

test('the event loop stays free while a call waits on a slow service', async () => {
  const client = new Client(sandbox.clientOptions())
  await client.balance() // logged in
  await sandbox.addFault({ endpoint: 'balance', kind: 'latency', latencyMs: 1500 })
  const order = []
  const slow = client.balance().then((b) => {
    order.push('call')
    return b
  })
  // While the balance waits in the sandbox, timers fire and other I/O completes on this thread.
  await new Promise((resolve) => setTimeout(resolve, 20))
  order.push('timer')
  const ledger = await sandbox.ledger()
  order.push('other request')
  assert.deepEqual(ledger, [])
  const balance = await slow
  assert.deepEqual(order, ['timer', 'other request', 'call'])
  assert.equal(balance.countries.CI.available, 1_000_000)
})

test('results are plain objects with every documented key', async () => {
  const client = new Client(sandbox.clientOptions())
  const [contact] = await client.addContacts([{ phone: '+2250701020304', name: 'Awa', surname: 'Kone' }])
  assert.deepEqual(Object.keys(contact).sort(), ['added', 'alreadyExisted', 'code', 'error', 'lot', 'phone', 'prefix'])
  assert.equal(contact.prefix, '225')

  const [sent] = await client.send([{ phone: '+2250701020304', amount: 1000, notifyUrl: NOTIFY }])
  assert.deepEqual(Object.keys(sent).sort(), [
    'amount', 'clientTransactionId', 'error', 'lot', 'outcome', 'phone', 'prefix', 'transactionId', 'treatmentStatus',
  ])
  assert.match(sent.clientTransactionId, /\S/, 'a missing id is generated and returned')
  assert.equal(sent.amount, 1000)

  const [info] = await client.transferStatus({ clientTransactionId: sent.clientTransactionId })
  assert.deepEqual(Object.keys(info).sort(), [
    'amount', 'clientTransactionId', 'comment', 'isFinal', 'lot', 'operator', 'operatorTransactionId', 'receiver',
    'receiverE164', 'sendingStatus', 'transactionId', 'transferValid', 'treatmentStatus', 'validatedAt',
  ])
  assert.equal(info.amount, 1000)
  assert.equal(info.isFinal, false)
  await sandbox.advanceClock(20)
  const [paid] = await client.transferStatus({ transactionId: sent.transactionId })
  assert.equal(paid.treatmentStatus, 'VAL')
  assert.equal(paid.isFinal, true)

  const balance = await client.balance()
  assert.deepEqual(Object.keys(balance).sort(), ['amount', 'available', 'countries', 'inUsing'])
  assert.equal(balance.countries.CI.available, 1_000_000 - 1000)
})

test('the client keeps its secrets out of sight, also when its login fails', async () => {
  const { inspect } = require('node:util')
  const client = new Client({ apiKey: 'key-123', password: 'secret-456', baseUrl: sandbox.baseUrl })
  const error = await client.balance().then(
    () => assert.fail('wrong credentials must fail'),
    (e) => e,
  )
  assert.equal(error.kind, 'authentication')
  const shown = [
    inspect(client, { showHidden: true, depth: 5 }),
    JSON.stringify(client),
    inspect(error, { showHidden: true, depth: 5 }),
    String(error),
    error.stack,
    JSON.stringify(error),
  ].join('\n')
  assert.ok(!shown.includes('secret-456') && !shown.includes('key-123'), shown)
})

test('both require and import give the same API', async () => {
  const esm = await import('cinetpay-transfer')
  const cjs = require('cinetpay-transfer')
  assert.equal(esm.Client, cjs.Client)
  assert.equal(esm.default, cjs)
  assert.equal(esm.ValidationError, cjs.ValidationError)
  const testing = await import('cinetpay-transfer/testing')
  assert.equal(testing.Sandbox, Sandbox)
  const express = await import('cinetpay-transfer/express')
  assert.equal(typeof express.notificationHandler, 'function')
})

test('lookUp compares what the service holds under an id with the payout: found, conflict, not_found', async () => {
  const client = new Client(sandbox.clientOptions())
  const payout = { prefix: '225', phone: '0701020304', amount: 500, notifyUrl: NOTIFY, clientTransactionId: 'look-1' }
  const [sent] = await client.pay([payout])
  assert.equal(sent.outcome, 'accepted')

  const found = await client.lookUp(payout)
  assert.equal(found.status, 'found')
  assert.equal(found.transfer.clientTransactionId, 'look-1')
  assert.equal(found.transfer.transactionId, sent.transactionId)

  const conflict = await client.lookUp({ ...payout, amount: 600 })
  assert.equal(conflict.status, 'conflict')
  assert.equal(conflict.transfer.amount, 500)

  const missing = await client.lookUp({ ...payout, clientTransactionId: 'look-never-sent' })
  assert.deepEqual({ ...missing }, { status: 'not_found', transfer: null })

  const { ValidationError } = require('cinetpay-transfer')
  await assert.rejects(
    client.lookUp({ ...payout, clientTransactionId: undefined }),
    (err) => err instanceof ValidationError && err.field === 'clientTransactionId',
  )
})
