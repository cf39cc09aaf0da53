'use strict'
// One bulk call over a long list (issue 13, item 4): the native call reads the caller's array a
// range at a time and hands each chunk's results back as it settles, so it holds only the chunks
// in flight. Here: results land at their positions whatever order chunks settle in, an item that
// is not a payout fails the call as it always did and before anything is sent, and the array is
// read a chunk at a time, at most one chunk past those in flight ahead of the results handed back,
// whatever its length.

const test = require('node:test')
const assert = require('node:assert/strict')

const { Client, ValidationError } = require('cinetpay-transfer')
const { Sandbox } = require('cinetpay-transfer/testing')

const NOTIFY = 'http://127.0.0.1:9/notify'
const FAST = { maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10 }

// A CI number per position that never ends in 000 (the sandbox refuses those).
const phone = (i) => `07${String(i).padStart(7, '0')}1`
const payouts = (n, label) =>
  Array.from({ length: n }, (_, i) => ({
    prefix: '225', phone: phone(i), amount: 500 + 5 * (i % 40), notifyUrl: NOTIFY, clientTransactionId: `${label}-${i}`,
  }))

let sandbox
test.before(async () => {
  sandbox = await Sandbox.start()
})
test.after(() => sandbox.close())
test.beforeEach(() => sandbox.reset())

test('results keep their positions when chunks settle out of order', async () => {
  const client = new Client(sandbox.clientOptions({ ...FAST, chunkSize: 7, maxConcurrency: 3 }))
  const list = payouts(100, 'pos')
  // The first requests of each kind are slow: later chunks settle first.
  await sandbox.addFault({ endpoint: 'contact', kind: 'latency', latencyMs: 300 })
  await sandbox.addFault({ endpoint: 'send', kind: 'latency', latencyMs: 300 })
  const contacts = await client.addContacts(list.map((t, i) => ({ ...t, name: 'Awa', surname: `Kone${i}` })))
  assert.equal(contacts.length, 100)
  assert.deepEqual(contacts.map((c) => c.phone), list.map((t) => t.phone))
  assert.ok(contacts.every((c) => c.added))

  const sent = await client.send(list)
  assert.equal(sent.length, 100)
  assert.equal(Object.keys(sent).length, 100, 'every position has its result')
  assert.deepEqual(sent.map((r) => [r.clientTransactionId, r.phone, r.amount, r.outcome]),
    list.map((t) => [t.clientTransactionId, t.phone, t.amount, 'accepted']))
  assert.equal((await sandbox.ledger()).length, 100)
})

test('an item that is not a payout at position 57 of 100 fails the call as before, and nothing is sent', async () => {
  const client = new Client(sandbox.clientOptions({ ...FAST, chunkSize: 10, maxConcurrency: 2 }))
  const cases = [
    [null, (e) => e instanceof TypeError && e.message === 'Cannot convert undefined or null to object'],
    ['a string', (e) => e.code === 'InvalidArg' && e.message === 'Missing field `phone`'],
    [{ phone: 7 }, (e) => e.code === 'StringExpected' && /rust type `String` on Transfer\.phone/.test(e.message)],
    [{ amount: Number.NaN }, (e) => e instanceof ValidationError && e.field === 'amount' && e.index === 57 && /got NaN/.test(e.message)],
    [{ amount: 500.5 }, (e) => e instanceof ValidationError && e.field === 'amount' && e.index === 57 && /got 500\.5/.test(e.message)],
  ]
  for (const call of ['send', 'pay']) {
    for (const [bad, expected] of cases) {
      const list = payouts(100, 'bad')
      list[57] = bad === null || typeof bad !== 'object' ? bad : { ...list[57], ...bad }
      const error = await client[call](list).then(() => assert.fail('should reject'), (e) => e)
      assert.ok(expected(error), `${call} with ${JSON.stringify(bad)}: ${error.stack}`)
    }
  }
  const contacts = payouts(100, 'c').map((t) => ({ prefix: t.prefix, phone: t.phone, name: 'A', surname: 'B' }))
  delete contacts[57].name
  await assert.rejects(client.addContacts(contacts), { code: 'InvalidArg', message: 'Missing field `name`' })
  // A fault in the last batch of the checks (past the first 1,000) stops the call before any request too.
  const long = payouts(1500, 'late')
  long[1457] = null
  await assert.rejects(client.pay(long), TypeError)
  assert.deepEqual(await sandbox.ledger(), [], 'no payout was sent')
  const [unknown] = await client.send(payouts(1, 'after'))
  assert.equal(unknown.error?.kind, 'not_a_contact', 'pay registered no payee either')
})

/**
 * `pay` over a list of `n` behind a Proxy that records the positions of each read, with results
 * counted as they are handed back (the JS layer parses each chunk's JSON text as it arrives).
 */
async function observedPay(n, chunkSize, maxConcurrency) {
  const client = new Client(sandbox.clientOptions({ ...FAST, chunkSize, maxConcurrency }))
  await sandbox.setBalance('CI', 1000 * n)
  const reads = [] // each: the positions one read of the list took
  const readsOf = new Map() // position -> how often read
  let handedBack = 0
  let mostAhead = 0 // positions read to be sent whose results were not handed back yet, at most
  let readToSend = 0
  const list = new Proxy(payouts(n, `n${n}`), {
    get(target, key, receiver) {
      if (key === 'slice') reads.push([])
      if (typeof key === 'string' && /^\d+$/.test(key)) {
        const i = Number(key)
        reads[reads.length - 1].push(i)
        const times = (readsOf.get(i) ?? 0) + 1
        readsOf.set(i, times)
        if (times === 3) { // checks, payees, then the read that sends it
          readToSend += 1
          mostAhead = Math.max(mostAhead, readToSend - handedBack)
        }
      }
      return Reflect.get(target, key, receiver)
    },
  })
  const parse = JSON.parse
  JSON.parse = function (text, reviver) {
    const value = parse(text, reviver)
    // A chunk's results: one flat array of 9 fields per payout (src/lists.rs, `Fields`).
    if (Array.isArray(value)) handedBack += value.length / 9
    return value
  }
  let results
  try {
    results = await client.pay(list)
  } finally {
    JSON.parse = parse
  }
  assert.equal(results.filter((r) => r.outcome === 'accepted').length, n)
  assert.equal(handedBack, n)
  return { reads, readsOf, mostAhead }
}

test('the list is read a chunk at a time, never more than the chunks in flight and one ahead, at any length', async () => {
  const chunkSize = 10
  const maxConcurrency = 3
  for (const n of [1000, 3000]) {
    const { reads, readsOf, mostAhead } = await observedPay(n, chunkSize, maxConcurrency)
    assert.equal(readsOf.size, n)
    assert.ok([...readsOf.values()].every((times) => times === 3), 'each position read by the checks, the payees and its chunk')
    assert.ok(reads.every((r) => r.length <= 1000), `${n}: a read of ${Math.max(...reads.map((r) => r.length))} items`)
    const sendReads = reads.slice(-n / chunkSize)
    assert.ok(sendReads.every((r) => r.length === chunkSize), `${n}: chunks are read one at a time`)
    // Only the chunks in flight and the one read ahead: a chunk's results reach this thread
    // before the read ahead asked by the read of the chunk that takes its place (one queue for both).
    assert.ok(mostAhead <= chunkSize * (maxConcurrency + 1), `${n}: ${mostAhead} payouts read ahead of their results`)
    await sandbox.reset()
  }
})
