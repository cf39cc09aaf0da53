// Pays one payee and follows the payout until it is final.
//
//   node payout.mjs                          # the in-process sandbox: a demo payee, no money moves
//   node payout.mjs --live PHONE AMOUNT      # the live service: REAL MONEY (see live.mjs)
//
// Credentials in the environment are read only with --live; the payee and the amount then come
// from the command line, and the run shows them with the balance and asks before paying.
import { Client, CinetPayError, OutcomeUnknownError } from 'cinetpay-transfer'
import { Sandbox } from 'cinetpay-transfer/testing'
import { LANG, confirmLive, liveArgs, say, xof } from './live.mjs'

const live = liveArgs() // null: the sandbox
// The sandbox's real clock moves payouts on by themselves (NEW -> REC -> VAL in about a second).
const sandbox = live ? null : await Sandbox.start({ clock: 'real' })
const client = new Client(live ? live.clientOptions : { ...sandbox.clientOptions(), lang: LANG })
const { phone, amount } = live ?? { phone: '+2250701020304', amount: 500 }
if (!live) console.log(say('sandbox: no money moves', 'bac à sable : aucun argent ne bouge'))

try {
  const { available } = await client.balance()
  if (!live) console.log(say(`available: ${xof(available)}`, `disponible : ${xof(available)}`))
  if (live && !(await confirmLive(live, available))) {
    console.log(say('stopped: nothing was sent', 'arrêté : rien n’a été envoyé'))
    process.exit(1)
  }

  // `pay` registers the payee as a contact when needed, then sends. The clientTransactionId is the
  // idempotency key: keep it with your order, and never reuse it for another payout.
  const clientTransactionId = `example-${Date.now()}`
  const notifyUrl = 'https://shop.example/cinetpay/notify'
  const [result] = await client.pay([{ phone, amount, notifyUrl, clientTransactionId, name: 'Example', surname: 'Payee' }])
  if (result.outcome !== 'accepted') {
    const why = result.error?.message
    console.error(say(`not sent (${result.outcome}): ${why}`, `non envoyé (${result.outcome}) : ${why}`))
    process.exitCode = 1
  } else {
    const where = `${result.transactionId} (lot ${result.lot}, clientTransactionId ${clientTransactionId})`
    console.log(say(`accepted: ${where}`, `accepté : ${where}`))
    for (;;) {
      const [info] = await client.transferStatus({ clientTransactionId })
      console.log(`  ${info.treatmentStatus}${info.comment ? ` - ${info.comment}` : ''}`)
      if (info.isFinal) break
      await new Promise((resolve) => setTimeout(resolve, live ? 5_000 : 250))
    }
  }
} catch (error) {
  if (error instanceof OutcomeUnknownError) {
    const ids = error.clientTransactionIds.join(', ')
    console.error(
      say(
        `outcome unknown: look up ${ids} before sending again`,
        `sort inconnu : recherchez ${ids} avant tout nouvel envoi`,
      ),
    )
  } else if (error instanceof CinetPayError) {
    console.error(`${error.name} (${error.kind}, code ${error.apiCode}): ${error.message}`)
  } else {
    throw error
  }
  process.exitCode = 1
} finally {
  await sandbox?.close()
}
