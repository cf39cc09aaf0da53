// Pays one payee and follows the payout until it is final.
//
//   node payout.mjs                      # against the in-process sandbox (no money moves)
//   CINETPAY_API_KEY=... CINETPAY_API_PASSWORD=... node payout.mjs +2250701020304 500
//                                        # against the live service: REAL MONEY
import { Client, CinetPayError, OutcomeUnknownError } from 'cinetpay-transfer'
import { Sandbox } from 'cinetpay-transfer/testing'

const [phone = '+2250701020304', amount = '500'] = process.argv.slice(2)
const live = Boolean(process.env.CINETPAY_API_KEY)

// The sandbox's demo clock moves payouts on by themselves (NEW -> REC -> VAL in about a second).
const sandbox = live ? null : await Sandbox.start({ clock: 'demo' })
const client = new Client(
  live
    ? { apiKey: process.env.CINETPAY_API_KEY, password: process.env.CINETPAY_API_PASSWORD }
    : sandbox.clientOptions(),
)

try {
  const { available } = await client.balance()
  console.log(`available: ${available} XOF`)

  // `pay` registers the payee as a contact when needed, then sends. The clientTransactionId is the
  // idempotency key: keep it with your order, and never reuse it for another payout.
  const clientTransactionId = `example-${Date.now()}`
  const [result] = await client.pay([
    { phone, amount: Number(amount), notifyUrl: 'https://shop.example/cinetpay/notify', clientTransactionId, name: 'Awa', surname: 'Kone' },
  ])
  if (result.outcome !== 'accepted') {
    console.error(`not sent (${result.outcome}): ${result.error?.message}`)
    process.exitCode = 1
  } else {
    console.log(`accepted: ${result.transactionId} (lot ${result.lot})`)
    for (;;) {
      const [info] = await client.transferStatus({ clientTransactionId })
      console.log(`  ${info.treatmentStatus}${info.comment ? ` - ${info.comment}` : ''}`)
      if (info.isFinal) break
      await new Promise((resolve) => setTimeout(resolve, live ? 10_000 : 250))
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
