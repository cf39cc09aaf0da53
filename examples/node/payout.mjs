// Pays one payee and follows the payout until it is final.
//
//   node payout.mjs                          # the in-process sandbox: a demo payee, no money moves
//   node payout.mjs --live PHONE AMOUNT      # the live service: REAL MONEY (see live.mjs)
//
// Credentials in the environment are read only with --live; the payee and the amount then come
// from the command line, and the run shows them with the balance and asks before paying.
import { Client, CinetPayError, OutcomeUnknownError } from 'cinetpay-transfer'
import { Sandbox } from 'cinetpay-transfer/testing'
import { confirmLive, liveArgs } from './live.mjs'

const live = liveArgs() // null: the sandbox
// The sandbox's demo clock moves payouts on by themselves (NEW -> REC -> VAL in about a second).
const sandbox = live ? null : await Sandbox.start({ clock: 'demo' })
const client = new Client(live ? live.clientOptions : sandbox.clientOptions())
const { phone, amount } = live ?? { phone: '+2250701020304', amount: 500 }
if (!live) console.log('sandbox: no money moves')

try {
  const { available } = await client.balance()
  if (!live) console.log(`available: ${available} XOF`)
  if (live && !(await confirmLive(live, available))) {
    console.log('stopped: nothing was sent')
    process.exit(1)
  }

  // `pay` registers the payee as a contact when needed, then sends. The clientTransactionId is the
  // idempotency key: keep it with your order, and never reuse it for another payout.
  const clientTransactionId = `example-${Date.now()}`
  const notifyUrl = 'https://shop.example/cinetpay/notify'
  const [result] = await client.pay([{ phone, amount, notifyUrl, clientTransactionId, name: 'Example', surname: 'Payee' }])
  if (result.outcome !== 'accepted') {
    console.error(`not sent (${result.outcome}): ${result.error?.message}`)
    process.exitCode = 1
  } else {
    console.log(`accepted: ${result.transactionId} (lot ${result.lot}, clientTransactionId ${clientTransactionId})`)
    for (;;) {
      const [info] = await client.transferStatus({ clientTransactionId })
      console.log(`  ${info.treatmentStatus}${info.comment ? ` - ${info.comment}` : ''}`)
      if (info.isFinal) break
      await new Promise((resolve) => setTimeout(resolve, live ? 5_000 : 250))
    }
  }
} catch (error) {
  if (error instanceof OutcomeUnknownError) {
    console.error(`outcome unknown: look up ${error.clientTransactionIds.join(', ')} before sending again`)
  } else if (error instanceof CinetPayError) {
    console.error(`${error.name} (${error.kind}, code ${error.apiCode}): ${error.message}`)
  } else {
    throw error
  }
  process.exitCode = 1
} finally {
  await sandbox?.close()
}
