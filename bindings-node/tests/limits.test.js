'use strict'
// Settings and decisions that belong to the core, reached from JavaScript (issue 12).
//
// `new Client({ limits })` only converts: the core applies the rules and judges the values, so a
// bad limit or a payout under a raised minimum is refused by the core, with the field named, before
// any request leaves (the sandbox counts the /v1 requests it received). `lang` is parsed by the
// core; `isRetryable` and `isFinal` are the core's rules under its names.

const test = require('node:test')
const assert = require('node:assert/strict')

const { Client, ValidationError, TransportError, isFinal } = require('cinetpay-transfer')
const { Sandbox } = require('cinetpay-transfer/testing')

const NOTIFY = 'http://127.0.0.1:9/notify'
const payout = (ref, amount) => ({ prefix: '225', phone: '0701020304', amount, notifyUrl: NOTIFY, clientTransactionId: ref })

let sandbox
test.before(async () => {
  sandbox = await Sandbox.start()
})
test.after(() => sandbox.close())
test.beforeEach(() => sandbox.reset())

const received = async () => (await sandbox.admin('GET', '/requests')).received

test('a payout under a raised minimum is refused before any request, the field named', async () => {
  const limits = { countries: { 225: { iso: 'CI', nationalDigits: [8, 10], minAmount: 5000 } } }
  const client = new Client(sandbox.clientOptions({ limits }))
  await assert.rejects(client.pay([payout('under-minimum', 1000)]), (err) => {
    assert.ok(err instanceof ValidationError, String(err))
    assert.equal(err.field, 'amount')
    assert.equal(err.index, 0)
    assert.match(err.message, /5[ ,]?000/)
    return true
  })
  assert.equal(await received(), 0)
  // The same payout passes with the core's own minimum (200), and a big enough one with the raised one.
  const [byDefault] = await new Client(sandbox.clientOptions()).pay([payout('default-minimum', 1000)])
  assert.equal(byDefault.outcome, 'accepted')
  const [over] = await client.pay([payout('over-minimum', 5000)])
  assert.equal(over.outcome, 'accepted')
})

test('a field left out keeps the core default', async () => {
  const client = new Client(sandbox.clientOptions({ limits: { maxAmount: 1500 } }))
  for (const amount of [2000, 501]) {
    await assert.rejects(client.pay([payout(`refused-${amount}`, amount)]), { name: 'ValidationError', field: 'amount' })
  }
  assert.equal(await received(), 0)
})

test('a bad limit is a ValidationError naming its path (the core\'s, in camelCase), before any request', async () => {
  const cases = [
    [{ maxAmount: 0 }, 'limits.maxAmount'],
    [{ amountMultiple: 0 }, 'limits.amountMultiple'],
    [{ defaultMinAmount: 2_000_000 }, 'limits.defaultMinAmount'],
    [{ defaultNationalDigits: [9, 3] }, 'limits.defaultNationalDigits'],
    [{ maxAmount: 1.5 }, 'limits.maxAmount'],
    [{ countries: { 225: { iso: 'CI', nationalDigits: [8, 10], minAmount: 0 } } }, 'limits.countries.225.minAmount'],
    [{ countries: { '+225': { iso: 'CI', nationalDigits: [8, 10], minAmount: 200 } } }, 'limits.countries'],
  ]
  for (const [limits, field] of cases) {
    assert.throws(() => new Client(sandbox.clientOptions({ limits })), (err) => {
      assert.ok(err instanceof ValidationError, `${JSON.stringify(limits)}: ${err}`)
      assert.equal(err.field, field, `${JSON.stringify(limits)}: ${err}`)
      return true
    })
  }
  assert.equal(await received(), 0)
})

test('lang is read by the core', () => {
  assert.ok(new Client({ apiKey: 'k', password: 'p', lang: 'fr' }))
  assert.throws(() => new Client({ apiKey: 'k', password: 'p', lang: 'de' }), (err) => {
    assert.ok(err instanceof ValidationError)
    assert.equal(err.field, 'lang')
    assert.match(err.message, /"de"/)
    assert.equal(err.isRetryable, false)
    return true
  })
})

test('isRetryable and isFinal are the core decisions', async () => {
  const unreachable = new Client({ apiKey: 'k', password: 'p', baseUrl: 'http://127.0.0.1:9/v1', maxAttempts: 1 })
  await assert.rejects(unreachable.balance(), (err) => {
    assert.ok(err instanceof TransportError, String(err))
    assert.equal(err.isRetryable, true)
    return true
  })
  // Per-item errors inside results carry the same decision.
  const [refused] = await new Client(sandbox.clientOptions()).send([payout('not-a-contact', 500)])
  assert.equal(refused.error.kind, 'not_a_contact')
  assert.equal(refused.error.isRetryable, false)
  assert.deepEqual(
    ['NEW', 'REC', 'NOS', 'VAL', 'REJ', 'HOLD'].map(isFinal),
    [false, false, false, true, true, false],
  )
})
