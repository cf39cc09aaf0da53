// The notify URL in an Express app: CinetPay's notification is parsed, CONFIRMED by re-querying
// the transfer (notifications carry no signature), and only then handed to your code.
//
//   node express-notify.mjs     # sandbox: pays once, the sandbox notifies this app, then it exits
import express from 'express'
import { Client } from 'cinetpay-transfer'
import { notificationHandler } from 'cinetpay-transfer/express'
import { Sandbox } from 'cinetpay-transfer/testing'
import { LANG, say, xof } from './live.mjs'

const sandbox = await Sandbox.start({ clock: 'real' })
const client = new Client({ ...sandbox.clientOptions(), lang: LANG })

let done
const finished = new Promise((resolve) => (done = resolve))

const app = express()
app.all(
  '/cinetpay/notify',
  express.urlencoded({ extended: false }),
  notificationHandler({
    client,
    // `transfer` is the service's view, not the posted body. Make this idempotent: CinetPay may
    // notify the same transfer more than once (dedupe on transfer.transactionId).
    onConfirmed: async (transfer) => {
      const what = `${transfer.transactionId}: ${transfer.treatmentStatus}, ${xof(transfer.amount)}`
      console.log(say(`confirmed ${what}`, `confirmé ${what}`))
      done()
    },
  }),
)

const server = app.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const notifyUrl = `http://127.0.0.1:${server.address().port}/cinetpay/notify`
console.log(say(`notify URL: ${notifyUrl}`, `URL de notification : ${notifyUrl}`))

const [sent] = await client.pay([{ phone: '+2250701020304', amount: 1000, notifyUrl, name: 'Awa', surname: 'Kone' }])
console.log(say(`payout ${sent.outcome}: ${sent.transactionId}`, `transfert ${sent.outcome} : ${sent.transactionId}`))

await finished
server.close()
await sandbox.close()
