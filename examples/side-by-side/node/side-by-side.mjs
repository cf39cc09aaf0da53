// The side-by-side program in Node (see ../README.md): the balance, two payouts, their final
// statuses, then their notifications read and confirmed the way a notify URL handler does.
// It talks only to a local sandbox named in the environment, never to the real API:
//
//   cargo run -q -p cinetpay-sandbox -- --clock real --addr 127.0.0.1:8089 &
//   CINETPAY_SANDBOX_URL=http://127.0.0.1:8089/v1 node examples/side-by-side/node/side-by-side.mjs
import { Client, isFinal, parseNotification } from 'cinetpay-transfer'

const LOCAL = ['http://127.0.0.1:', 'http://localhost:', 'http://[::1]:']
const NOTIFY_URL = 'https://shop.example/cinetpay/notify'
const PAYOUTS = [['+2250701020304', 5_000], ['+2250701020000', 3_000]] // ...000: rejected
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const POLLS = 150 // 200 ms apart: give up after 30 s

const baseUrl = process.env.CINETPAY_SANDBOX_URL ?? ''
if (!LOCAL.some((local) => baseUrl.startsWith(local))) {
  console.error('set CINETPAY_SANDBOX_URL to a local sandbox (http://127.0.0.1:PORT/v1); nothing was sent')
  process.exit(2)
}
const apiKey = process.env.CINETPAY_SANDBOX_API_KEY ?? 'sandbox-api-key'
const password = process.env.CINETPAY_SANDBOX_PASSWORD ?? 'sandbox-password'
const client = new Client({ apiKey, password, baseUrl })

console.log(`available: ${(await client.balance()).available} XOF`)

const run = Date.now() // the ids are the idempotency keys
const ids = PAYOUTS.map((_, i) => `side-by-side-${run}-${i + 1}`)
const transfers = PAYOUTS.map(([phone, amount], i) => ({
  prefix: '', phone, amount, notifyUrl: NOTIFY_URL, clientTransactionId: ids[i],
}))
for (const [i, result] of (await client.pay(transfers)).entries()) {
  console.log(`payout ${i + 1}: ${result.outcome}`)
}

for (const [i, clientTransactionId] of ids.entries()) {
  let status
  for (let poll = 1; ; poll++) {
    status = (await client.transferStatus({ clientTransactionId }))[0].treatmentStatus
    if (isFinal(status)) break
    if (poll === POLLS) throw new Error(`payout ${i + 1} is still not final after 30 s`)
    await sleep(200)
  }
  console.log(`payout ${i + 1}: ${status}`)
}

// What the sandbox posted to notify_url: the form fields a web framework hands a handler.
const posted = baseUrl.replace(/\/v1$/, '') + '/_sandbox/notifications'
for (const [i, id] of ids.entries()) {
  let mine
  for (let poll = 1; ; poll++) {
    mine = (await (await fetch(posted)).json()).map((d) => d.fields).filter((f) => f.client_transaction_id === id)
    if (mine.length > 0) break
    if (poll === POLLS) throw new Error(`no notification for payout ${i + 1} after 30 s`)
    await sleep(200)
  }
  const event = parseNotification(mine.at(-1), 'POST')
  if (event.kind === 'ping') continue
  const info = await client.confirmNotification(event) // asks the service, never trusts the body
  console.log(`notification for payout ${i + 1}: ${info.treatmentStatus}, confirmed`)
}
