// Compiled with `tsc --noEmit` against the INSTALLED package (test.sh): every call, option,
// result and error is typed, and wrong uses are refused (@ts-expect-error fails if they are not).
import express from 'express'
import {
  Client,
  CinetPayError,
  ValidationError,
  OutcomeUnknownError,
  parseNotification,
  isFinal,
  isFinalStatus,
  type Balance,
  type ClientOptions,
  type ContactResult,
  type ErrorKind,
  type ItemError,
  type Limits,
  type NotificationEvent,
  type SendResult,
  type Transfer,
  type TransferInfo,
  type TreatmentStatus,
} from 'cinetpay-transfer'
import { notificationHandler, tokenHandler } from 'cinetpay-transfer/express'
import { Sandbox, type LedgerEntry, type NotificationDelivery } from 'cinetpay-transfer/testing'

export async function usage(): Promise<void> {
  const options: ClientOptions = {
    apiKey: 'k',
    password: 'p',
    baseUrl: 'http://127.0.0.1:1/v1',
    lang: 'fr',
    connectTimeoutMs: 1000,
    requestTimeoutMs: 5000,
    maxAttempts: 3,
    chunkSize: 50,
    maxConcurrency: 4,
  }
  const client = new Client(options)

  const balance: Balance = await client.balance()
  const ci: number | undefined = balance.countries['CI']?.available
  const held: number = balance.inUsing

  const contacts: ContactResult[] = await client.addContacts([
    { prefix: '225', phone: '0701020304', name: 'A', surname: 'B', email: 'a@b.co' },
    { phone: '+2250505060708', name: 'C', surname: 'D' },
  ])
  const refused: ItemError | null = contacts[0].error
  const kind: ErrorKind | undefined = refused?.kind

  const transfer: Transfer = { prefix: '225', phone: '0701020304', amount: 500, notifyUrl: 'https://x.y/n' }
  const results: SendResult[] = await client.send([{ ...transfer, clientTransactionId: 'order-42' }])
  const outcome: 'accepted' | 'failed' | 'unknown' = results[0].outcome
  const paid: SendResult[] = await client.pay([{ ...transfer, paymentMethod: 'OM', name: 'A' }])

  const infos: TransferInfo[] = await client.transferStatus({ clientTransactionId: 'order-42' })
  await client.transferStatus({ transactionId: 'EA1' })
  await client.transferStatus({ lot: '123' })
  const status: TreatmentStatus = infos[0].treatmentStatus
  const known: boolean = status === 'VAL' || status === 'SOMETHING_NEW'
  const done: boolean = infos[0].isFinal && isFinalStatus(status)
  const when: string | null = infos[0].validatedAt

  const event: NotificationEvent = parseNotification({ transaction_id: 'T' }, 'POST')
  if (event.type === 'notification') {
    const confirmed: TransferInfo = await client.confirmNotification(event)
    const claimed: number | null = event.amount
    void confirmed, claimed
  } else {
    const ping: 'ping' = event.type
    void ping
  }
  parseNotification('transaction_id=T')
  parseNotification(Buffer.from(''), 'GET')

  try {
    await client.balance()
  } catch (error) {
    if (error instanceof ValidationError) {
      const field: string | null = error.field
      const index: number | null = error.index
      const k: 'validation' = error.kind
      void field, index, k
    } else if (error instanceof OutcomeUnknownError) {
      const ids: string[] = error.clientTransactionIds
      void ids
    } else if (error instanceof CinetPayError) {
      const code: number | null = error.code
      const http: number | null = error.httpStatus
      const text: string | null = error.apiMessage ?? error.description
      void code, http, text
    }
  }

  // @ts-expect-error amounts are numbers, never strings
  await client.send([{ ...transfer, amount: '500' }])
  // @ts-expect-error notifyUrl is required
  await client.send([{ prefix: '225', phone: '0701020304', amount: 500 }])
  // @ts-expect-error exactly one id
  await client.transferStatus({})
  // @ts-expect-error exactly one id
  await client.transferStatus({ transactionId: 'a', lot: 'b' })
  // @ts-expect-error lang is en or fr
  new Client({ apiKey: 'k', password: 'p', lang: 'de' })
  // @ts-expect-error the password is required
  new Client({ apiKey: 'k' })
  const limits: Limits = { maxAmount: 500_000, countries: { '225': { iso: 'CI', nationalDigits: [8, 10], minAmount: 500 } } }
  new Client({ apiKey: 'k', password: 'p', limits })
  // @ts-expect-error nationalDigits is a [min, max] pair
  new Client({ apiKey: 'k', password: 'p', limits: { countries: { '225': { iso: 'CI', nationalDigits: 8, minAmount: 500 } } } })
  const retry: boolean = isFinal('VAL') || new CinetPayError('x').isRetryable
  void retry

  const app = express()
  app.all(
    '/cinetpay/notify',
    express.urlencoded({ extended: false }),
    notificationHandler({
      client,
      onConfirmed: async (t: TransferInfo) => {
        const id: string = t.transactionId
        void id
      },
    }),
  )

  app.get('/cinetpay/token', tokenHandler({ client, authorize: (req) => req.headers['x-session'] === 'alice' }))
  // @ts-expect-error authorize is required
  tokenHandler({ client })
  const issued = await new Client({ ...options, tokenStore: 'redis://127.0.0.1:6379/0' }).issueToken()
  const bearer: string = issued.token
  const until: Date = issued.expiresAt
  const seconds: number = issued.expiresIn
  void [bearer, until, seconds]

  const sandbox = await Sandbox.start({ quirks: 'documented', tokenLifetime: 60, clock: 'manual', whitelisted: true })
  const local = new Client(sandbox.clientOptions({ maxAttempts: 1 }))
  const same: Client = sandbox.client({ maxAttempts: 1 })
  const pid: number = sandbox.pid
  void [same, pid]
  await sandbox.advanceClock(20)
  await sandbox.addFault({ endpoint: 'send', kind: 'drop_after', count: 1, latencyMs: 10 })
  await sandbox.setBalance('CI', 100)
  const ledger: LedgerEntry[] = await sandbox.ledger()
  const deliveries: NotificationDelivery[] = await sandbox.notifications({ waitFor: 1, timeout: 5 })
  const fields: Record<string, string> = deliveries[0].fields
  const clock: { nowMs: number; steps: number } = await sandbox.advanceClock(1)
  const confirmed: number = await sandbox.confirm({ transactionId: 'x', apiKey: sandbox.apiKey })
  void [clock, confirmed]
  const expired: number = await sandbox.expireTokens()
  await sandbox.reset()
  await sandbox.close()
  // @ts-expect-error unknown fault kinds are refused
  await sandbox.addFault({ endpoint: 'send', kind: 'explode' })

  void ci, held, kind, outcome, paid, known, done, when, local, ledger, fields, expired
}
