'use strict'
// The notify URL handler inside a real Express app on 127.0.0.1, over HTTP: the sandbox delivers
// its real notifications and pings to it (and retries them, as CinetPay does); then the same
// notification, a forged one and an unknown one are posted by hand; a notification ahead of the
// lookup and a transient failure to confirm must ask CinetPay to retry (503); a body over 64 KiB
// is refused (413).

const test = require('node:test')
const assert = require('node:assert/strict')
const express = require('express')

const { Client, NOTIFICATION_BODY_LIMIT } = require('cinetpay-transfer')
const { notificationHandler } = require('cinetpay-transfer/express')
const { Sandbox } = require('cinetpay-transfer/testing')

let sandbox
let server
let base
let client
// A sandbox of its own for the lag tests: its status faults must meet no other test's lookups.
let lagSandbox
let lagClient
const confirmed = []

test.before(async () => {
  sandbox = await Sandbox.start()
  client = new Client(sandbox.clientOptions({ maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10 }))
  lagSandbox = await Sandbox.start()
  lagClient = new Client(lagSandbox.clientOptions({ maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10 }))
  const app = express()
  const handler = notificationHandler({
    client,
    onConfirmed: async (transfer, notification) => {
      confirmed.push({ transfer, notification })
    },
  })
  app.all('/cinetpay/notify', express.urlencoded({ extended: false }), handler)
  app.all('/raw/notify', handler) // no body parser: the handler reads the body itself
  app.all(
    '/lag/notify',
    express.urlencoded({ extended: false }),
    notificationHandler({
      client: lagClient,
      onConfirmed: async (transfer, notification) => {
        confirmed.push({ transfer, notification })
      },
    }),
  )
  app.all(
    '/failing/notify',
    express.urlencoded({ extended: false }),
    notificationHandler({
      client,
      onConfirmed: () => {
        throw new Error('database down')
      },
    }),
  )
  app.use((error, req, res, next) => res.status(500).send(`app error: ${error.message}`))
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  base = `http://127.0.0.1:${server.address().port}`
})

test.after(async () => {
  await new Promise((resolve) => server.close(resolve))
  await sandbox.close()
  await lagSandbox.close()
})

test.beforeEach(async () => {
  await sandbox.clearFaults()
  confirmed.length = 0
})

const post = (path, fields) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })

/**
 * Moves the payout to VAL and waits until the sandbox has posted its notification (other payouts
 * left pending by earlier tests may be notified first).
 */
async function settle(sent) {
  let want = (await sandbox.notifications()).length + 1
  await sandbox.advanceClock(20)
  for (;;) {
    const deliveries = await sandbox.notifications({ waitFor: want, timeout: 10 })
    const mine = deliveries.find((d) => d.transactionId === sent.transactionId)
    if (mine) return mine
    want = deliveries.length + 1
  }
}

async function paidTransfer(id) {
  const [sent] = await client.pay([
    { prefix: '225', phone: '0701020304', amount: 1500, notifyUrl: `${base}/cinetpay/notify`, clientTransactionId: id },
  ])
  assert.equal(sent.outcome, 'accepted')
  return sent
}

test('GET ping is answered 200 and confirms nothing', async () => {
  const response = await fetch(`${base}/cinetpay/notify`)
  assert.equal(response.status, 200)
  const ping = await sandbox.ping(`${base}/cinetpay/notify`)
  assert.equal(ping.method, 'GET')
  assert.equal(ping.outcome, 'delivered')
  assert.equal(ping.httpStatus, 200)
  assert.equal(confirmed.length, 0)
})

test("the sandbox's own notification is confirmed by re-query and handed over", async () => {
  const sent = await paidTransfer('exp-1')
  const delivery = await settle(sent)
  assert.equal(delivery.outcome, 'delivered')
  assert.equal(delivery.httpStatus, 200)
  assert.equal(confirmed.length, 1)
  const [{ transfer, notification }] = confirmed
  assert.equal(transfer.transactionId, sent.transactionId)
  assert.equal(transfer.clientTransactionId, 'exp-1')
  assert.equal(transfer.treatmentStatus, 'VAL')
  assert.equal(transfer.isFinal, true)
  assert.equal(transfer.amount, 1500)
  assert.equal(notification.type, 'notification')

  // The same body posted again (CinetPay retries) is confirmed again: the handler is idempotent
  // as far as the SDK goes; deduplication is the application's (by transactionId).
  const again = await post('/cinetpay/notify', delivery.fields)
  assert.equal(again.status, 200)
  assert.equal(confirmed.length, 2)

  // Without a body parser the handler reads the raw body.
  const raw = await post('/raw/notify', delivery.fields)
  assert.equal(raw.status, 200)
  assert.equal(confirmed.length, 3)
})

test('a forged notification is refused with 400 and never reaches onConfirmed', async () => {
  const sent = await paidTransfer('exp-2')
  const delivery = await settle(sent)
  assert.equal(delivery.outcome, 'delivered')
  confirmed.length = 0
  const forged = await post('/cinetpay/notify', { ...delivery.fields, amount: '150000' })
  assert.equal(forged.status, 400)
  const stolen = await post('/cinetpay/notify', { ...delivery.fields, client_transaction_id: 'someone-else' })
  assert.equal(stolen.status, 400)
  // An id the service does not show may be the lookup lagging behind a genuine notification: 503.
  const unknown = await post('/cinetpay/notify', { transaction_id: 'EA000000.000000.M000000', amount: '500' })
  assert.equal(unknown.status, 503)
  const garbage = await post('/cinetpay/notify', { amount: '500' })
  assert.equal(garbage.status, 400)
  assert.equal(confirmed.length, 0)
})

test('a transient failure to confirm answers 503 so that CinetPay retries', async () => {
  const sent = await paidTransfer('exp-3')
  await sandbox.addFault({ endpoint: 'status', kind: 'server_error', count: 5 })
  const response = await post('/cinetpay/notify', {
    transaction_id: sent.transactionId,
    client_transaction_id: 'exp-3',
    amount: '1500',
  })
  assert.equal(response.status, 503)
  assert.equal(confirmed.length, 0)
})

for (const lag of ['status_lag', 'not_yet_visible']) {
  test(`a notification ahead of the lookup (${lag}) gets 503, and the sandbox's retry 200`, async () => {
    const id = `exp-lag-${lag}`
    const [sent] = await lagClient.pay([
      { prefix: '225', phone: '0701020304', amount: 1500, notifyUrl: `${base}/lag/notify`, clientTransactionId: id },
    ])
    await lagSandbox.addFault({ endpoint: 'status', kind: lag, count: 1 })
    const before = (await lagSandbox.notifications()).length
    await lagSandbox.advanceClock(20)
    // The first attempt meets the lagging lookup; the sandbox retries 500 ms later, as CinetPay does.
    const deliveries = (await lagSandbox.notifications({ waitFor: before + 2, timeout: 10 })).slice(before)
    assert.deepEqual(
      deliveries.map((d) => [d.transactionId, d.attempt, d.httpStatus]),
      [
        [sent.transactionId, 1, 503],
        [sent.transactionId, 2, 200],
      ],
    )
    assert.deepEqual(
      confirmed.map((c) => [c.transfer.clientTransactionId, c.transfer.treatmentStatus]),
      [[id, 'VAL']],
    )
  })
}

test('a body over 64 KiB is refused with 413, parsed or raw', async () => {
  const sent = await paidTransfer('exp-big')
  const delivery = await settle(sent)
  const handedOver = () => confirmed.filter((c) => c.transfer.clientTransactionId === 'exp-big').length
  const before = handedOver()
  const big = { ...delivery.fields, comment: 'x'.repeat(NOTIFICATION_BODY_LIMIT) }
  assert.equal((await post('/cinetpay/notify', big)).status, 413)
  assert.equal((await post('/raw/notify', big)).status, 413)
  assert.equal(handedOver(), before)
  // The same notification at its real size is confirmed.
  assert.equal((await post('/raw/notify', delivery.fields)).status, 200)
  assert.equal(handedOver(), before + 1)
})

test("an error in onConfirmed goes to Express's error handler", async () => {
  const sent = await paidTransfer('exp-4')
  const delivery = await settle(sent)
  const response = await post('/failing/notify', delivery.fields)
  assert.equal(response.status, 500)
  assert.match(await response.text(), /database down/)
})

test('the handler refuses to be built without a client or a callback', () => {
  assert.throws(() => notificationHandler({ onConfirmed() {} }), TypeError)
  assert.throws(() => notificationHandler({ client }), TypeError)
})
