'use strict'
// Error classes and their fields: what a caller's `catch` sees for each kind of failure.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')

const sdk = require('cinetpay-transfer')
const { Sandbox } = require('cinetpay-transfer/testing')
const {
  Client,
  CinetPayError,
  ValidationError,
  AuthenticationError,
  InsufficientBalanceError,
  NotFoundError,
  NotAContactError,
  OutcomeUnknownError,
  TransportError,
  NotificationMismatchError,
  parseNotification,
} = sdk

const NOTIFY = 'http://127.0.0.1:9/notify'
const FAST = { maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10 }

let sandbox
test.before(async () => {
  sandbox = await Sandbox.start()
})
test.after(() => sandbox.close())
test.beforeEach(() => sandbox.reset())

test('every error kind of the core has its class, exported and typed', () => {
  // The list comes from the core (ErrorKind::ALL): a kind added there and not exposed here fails by name.
  assert.ok(sdk.errorKinds.length > 0)
  const dts = fs.readFileSync(require.resolve('cinetpay-transfer/package.json').replace(/package\.json$/, 'native/index.d.ts'), 'utf8')
  for (const kind of sdk.errorKinds) {
    const name = kind.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('') + 'Error'
    assert.equal(typeof sdk[name], 'function', `core error kind '${kind}' has no exported class ${name}`)
    assert.equal(sdk.errorClasses[kind], sdk[name], `'${kind}' is not turned into ${name}`)
    assert.ok(dts.includes(`| '${kind}'`), `core error kind '${kind}' is missing from the ErrorKind type`)
  }
  assert.deepEqual(Object.keys(sdk.errorClasses).sort(), [...sdk.errorKinds].sort())
})

test('every kind has its own class, all CinetPayError and Error', () => {
  for (const [kind, Cls] of Object.entries(sdk.errorClasses)) {
    const error = new Cls('x')
    assert.ok(error instanceof CinetPayError && error instanceof Error)
    assert.equal(error.kind, kind)
    assert.equal(error.name, Cls.name)
    assert.ok(Cls.name.endsWith('Error'))
  }
})

test('a non-integer amount is a ValidationError naming amount and the item, before any request', async () => {
  const client = new Client(sandbox.clientOptions(FAST))
  for (const amount of [500.5, Number.NaN, Infinity, 2 ** 53]) {
    const error = await client
      .send([
        { prefix: '225', phone: '0701020304', amount: 500, notifyUrl: NOTIFY, clientTransactionId: 'a' },
        { prefix: '225', phone: '0701020304', amount, notifyUrl: NOTIFY, clientTransactionId: 'b' },
      ])
      .then(() => assert.fail('should reject'), (e) => e)
    assert.ok(error instanceof ValidationError, String(error))
    assert.equal(error.kind, 'validation')
    assert.equal(error.field, 'amount')
    assert.equal(error.index, 1)
    assert.equal(error.code, null)
    assert.match(error.message, /amount/)
  }
  assert.deepEqual(await sandbox.ledger(), [])
})

test('field names are spelled as in JavaScript', async () => {
  const client = new Client(sandbox.clientOptions(FAST))
  const error = await client
    .send([{ prefix: '225', phone: '0701020304', amount: 500, notifyUrl: 'not a url' }])
    .catch((e) => e)
  assert.ok(error instanceof ValidationError)
  assert.equal(error.field, 'notifyUrl')
  assert.equal(error.index, 0)
})

test('bad options throw ValidationError from the constructor', () => {
  assert.throws(() => new Client({ apiKey: '', password: 'p' }), (e) => e instanceof ValidationError && e.field === 'apiKey')
  assert.throws(() => new Client({ apiKey: 'k', password: 'p', baseUrl: 'ftp://x' }), (e) => e.field === 'baseUrl')
  assert.throws(() => new Client({ apiKey: 'k', password: 'p', chunkSize: 0 }), (e) => e.field === 'chunkSize')
  assert.throws(() => new Client({ apiKey: 'k', password: 'p', requestTimeoutMs: 1.5 }), ValidationError)
  assert.throws(() => new Client({ apiKey: 'k', password: 'p', lang: 'de' }), (e) => e.field === 'lang')
})

test('service refusals carry the API code, message, description and HTTP status', async () => {
  const wrong = new Client({ ...sandbox.clientOptions(FAST), password: 'wrong' })
  const auth = await wrong.balance().catch((e) => e)
  assert.ok(auth instanceof AuthenticationError)
  assert.equal(auth.code, 701)
  assert.equal(auth.apiMessage, 'INVALID_CREDENTIALS')
  assert.equal(typeof auth.description, 'string')
  assert.equal(auth.httpStatus, 401)
  assert.ok(!auth.message.includes('wrong'), 'the password never appears in the message')
  assert.ok(!JSON.stringify(auth).includes('wrong'))

  const client = new Client(sandbox.clientOptions(FAST))
  const missing = await client.transferStatus({ transactionId: 'EA000000.000000.M000000' }).catch((e) => e)
  assert.ok(missing instanceof NotFoundError)
  assert.equal(missing.code, 723)

  await client.addContacts([{ prefix: '225', phone: '0701020304', name: 'A', surname: 'B' }])
  await sandbox.setBalance('CI', 100)
  const poor = await client
    .send([{ prefix: '225', phone: '0701020304', amount: 500, notifyUrl: NOTIFY }])
    .catch((e) => e)
  assert.ok(poor instanceof InsufficientBalanceError)
  assert.equal(poor.code, 602)
  assert.equal(poor.apiMessage, 'INSUFFICIENT_BALANCE')
})

test('per-item refusals are data on the result, with the same fields', async () => {
  const client = new Client(sandbox.clientOptions(FAST))
  const [result] = await client.send([{ prefix: '225', phone: '0505060708', amount: 500, notifyUrl: NOTIFY }])
  assert.equal(result.outcome, 'failed')
  assert.equal(result.error.kind, 'not_a_contact')
  assert.equal(result.error.code, 724)
  assert.equal(result.error.apiCode, 724, 'the deprecated name still carries the code this release')
  assert.ok(!(result.error instanceof Error))
  assert.equal(NotAContactError.kind, 'not_a_contact')
})

test('outcome unknown lists the clientTransactionIds to look up', async () => {
  const client = new Client(sandbox.clientOptions({ ...FAST, maxAttempts: 1 }))
  await client.addContacts([{ prefix: '225', phone: '0701020304', name: 'A', surname: 'B' }])
  await sandbox.addFault({ endpoint: 'send', kind: 'drop_after' })
  await sandbox.addFault({ endpoint: 'status', kind: 'server_error', count: 10 })
  const error = await client
    .send([{ prefix: '225', phone: '0701020304', amount: 500, notifyUrl: NOTIFY, clientTransactionId: 'ou-1' }])
    .catch((e) => e)
  assert.ok(error instanceof OutcomeUnknownError, String(error))
  assert.deepEqual(error.clientTransactionIds, ['ou-1'])
})

test('an unreachable service is a TransportError', async () => {
  const client = new Client({ apiKey: 'k', password: 'p', baseUrl: 'http://127.0.0.1:9/v1', ...FAST })
  const error = await client.balance().catch((e) => e)
  assert.ok(error instanceof TransportError, String(error))
})

test('a forged notification is a NotificationMismatchError naming the field', async () => {
  const client = new Client(sandbox.clientOptions(FAST))
  const [sent] = await client.pay([
    { prefix: '225', phone: '0701020304', amount: 500, notifyUrl: NOTIFY, clientTransactionId: 'f-1' },
  ])
  const forged = parseNotification(`transaction_id=${sent.transactionId}&client_transaction_id=f-1&amount=50000`)
  const error = await client.confirmNotification(forged).catch((e) => e)
  assert.ok(error instanceof NotificationMismatchError)
  assert.equal(error.field, 'amount')
})

test('parseNotification: pings, notifications, and bodies it refuses', () => {
  assert.deepEqual(parseNotification('', 'GET'), { type: 'ping' })
  assert.deepEqual(parseNotification({}), { type: 'ping' })
  const n = parseNotification(Buffer.from('transaction_id=T1&amount=500&treatment_status=HOLD'))
  assert.equal(n.type, 'notification')
  assert.equal(n.amount, 500)
  assert.equal(n.treatmentStatus, 'HOLD', 'unknown statuses are kept as sent')
  assert.equal(n.clientTransactionId, null)
  assert.throws(() => parseNotification('amount=500'), (e) => e instanceof ValidationError && e.field === 'transactionId')
  assert.throws(() => parseNotification({ transaction_id: 'T', amount: '5.5' }), (e) => e.field === 'amount')
})

test('isFinalStatus follows the core', () => {
  assert.equal(sdk.isFinalStatus('VAL'), true)
  assert.equal(sdk.isFinalStatus('REJ'), true)
  assert.equal(sdk.isFinalStatus('NOS'), false)
  assert.equal(sdk.isFinalStatus('SOMETHING_NEW'), false)
})

test('transferStatus wants exactly one id', async () => {
  const client = new Client(sandbox.clientOptions(FAST))
  for (const query of [{}, { transactionId: 'a', lot: 'b' }]) {
    const error = await client.transferStatus(query).catch((e) => e)
    assert.ok(error instanceof ValidationError, String(error))
    assert.equal(error.field, 'transactionId') // the core's rule and field (TransferQuery::one_of)
  }
})

test('err.code is CinetPay code; apiCode is its deprecated alias, warning once per process', async () => {
  const warnings = []
  const onWarning = (w) => w.code === 'CINETPAY_DEP_API_CODE' && warnings.push(w)
  process.on('warning', onWarning)
  try {
    const error = new NotAContactError('not a contact', { code: 724 })
    assert.equal(error.code, 724)
    assert.ok(!Object.keys(error).includes('apiCode'), 'the alias is a getter, not a second field')
    assert.equal(error.apiCode, 724)
    assert.equal(new CinetPayError('old spelling', { apiCode: 602 }).apiCode, 602)
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(warnings.length, 1)
    assert.equal(warnings[0].name, 'DeprecationWarning')
    assert.match(warnings[0].message, /err\.code/)
  } finally {
    process.off('warning', onWarning)
  }
})
