'use strict'
// `cinetpay-transfer/testing`: the SDK's in-process sandbox for your own test suites.
//
// `Sandbox.start()` runs the Rust sandbox (a stateful fake of the CinetPay Transfer API, with its
// quirks) inside this process on 127.0.0.1 and a free port: no Docker, no fixed port, no money.
// Give `sandbox.clientOptions()` (or baseUrl/apiKey/password) to a Client. The helpers below drive
// the sandbox through its HTTP admin API (/_sandbox), the one every language's tests use; they
// return camelCase objects (form fields of notifications are kept as posted).

const native = require('../native/index.js')

const DEFAULT_API_KEY = 'sandbox-api-key'
const DEFAULT_PASSWORD = 'sandbox-password'

class SandboxAdminError extends Error {
  constructor(message, status, body) {
    super(message)
    this.name = 'SandboxAdminError'
    this.status = status
    this.body = body
  }
}

function camel(key) {
  return key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
}

/** Top-level keys to camelCase; nested values (like a notification's form `fields`) untouched. */
function camelKeys(object) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [camel(k), v]))
}

let oldOptionsWarned = false
/**
 * The first spellings of the start options (`tokenLifetimeSeconds`, `clock: 'demo'`) as the
 * sandbox's own names (`tokenLifetime`, `clock: 'real'`), with one DeprecationWarning per process.
 * They go in the next release (ADR 6).
 */
function currentOptions(options) {
  if (options == null || typeof options !== 'object') return options ?? null
  const { tokenLifetimeSeconds, ...current } = options
  const old = []
  if (tokenLifetimeSeconds !== undefined) {
    old.push('tokenLifetimeSeconds (now tokenLifetime)')
    current.tokenLifetime ??= tokenLifetimeSeconds
  }
  if (current.clock === 'demo') {
    old.push("clock: 'demo' (now clock: 'real')")
    current.clock = 'real'
  }
  if (old.length && !oldOptionsWarned) {
    oldOptionsWarned = true
    process.emitWarning(`Sandbox.start: deprecated option ${old.join(', ')}`, {
      type: 'DeprecationWarning',
      code: 'CINETPAY_DEP_SANDBOX_OPTIONS',
    })
  }
  return current
}

class Sandbox {
  #native

  /**
   * Starts a sandbox; it accepts requests when the Promise resolves. The options are the sandbox
   * crate's names, as Python's `Sandbox(quirks=, token_lifetime=, clock=, whitelisted=)` takes them.
   * @param {{ quirks?: 'real' | 'documented', tokenLifetime?: number, clock?: 'manual' | 'real', whitelisted?: boolean }} [options]
   */
  static async start(options) {
    return new Sandbox(await native.startSandbox(currentOptions(options)))
  }

  constructor(nativeSandbox) {
    if (!(nativeSandbox instanceof native.NativeSandbox)) {
      throw new TypeError('use `await Sandbox.start()` to get a Sandbox')
    }
    this.#native = nativeSandbox
    /** API base URL (`http://127.0.0.1:PORT/v1`), the client's `baseUrl`. */
    this.baseUrl = nativeSandbox.baseUrl
    /** Admin API base URL (`http://127.0.0.1:PORT/_sandbox`). */
    this.adminUrl = nativeSandbox.adminUrl
    /** The seeded merchant: whitelisted unless started with `whitelisted: false`, 1,000,000 XOF per country. */
    this.apiKey = DEFAULT_API_KEY
    this.password = DEFAULT_PASSWORD
  }

  /** `{ apiKey, password, baseUrl }` for `new Client(...)`, plus any options given. */
  clientOptions(extra = {}) {
    return { apiKey: this.apiKey, password: this.password, baseUrl: this.baseUrl, ...extra }
  }

  /** One admin request; resolves to the JSON answer, rejects with SandboxAdminError on non-2xx. */
  async admin(method, path, body) {
    const init = { method, headers: {} }
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    const response = await fetch(this.adminUrl + path, init)
    const text = await response.text()
    const value = text ? JSON.parse(text) : null
    if (!response.ok) {
      throw new SandboxAdminError(`${method} ${path}: ${response.status} ${text}`, response.status, value)
    }
    return value
  }

  /** Back to the start state (merchants, clock, payouts, tokens, faults, notifications). */
  async reset() {
    await this.admin('POST', '/reset')
  }

  /** Moves the sandbox clock (payouts: NEW -> REC after 5 s -> VAL/REJ 10 s later). */
  async advanceClock(seconds) {
    return camelKeys(await this.admin('POST', '/clock/advance', { seconds }))
  }

  /**
   * Queues a fault for the next `count` requests to an endpoint.
   * @param {{ endpoint: 'login'|'balance'|'contact'|'send'|'status', kind: string, count?: number, latencyMs?: number, status?: number, code?: number, processed?: boolean }} fault
   */
  async addFault({ endpoint, kind, count, latencyMs, status, code, processed }) {
    const body = { endpoint, kind }
    if (count !== undefined) body.count = count
    if (latencyMs !== undefined) body.latency_ms = latencyMs
    if (status !== undefined) body.status = status
    if (code !== undefined) body.code = code
    if (processed !== undefined) body.processed = processed
    return (await this.admin('POST', '/faults', body)).map(camelKeys)
  }

  /** Removes every queued fault. */
  async clearFaults() {
    await this.admin('DELETE', '/faults')
  }

  /** Sets a merchant's available balance in one country (ISO code, e.g. 'CI'). */
  async setBalance(country, available, apiKey) {
    await this.admin('POST', '/balance', { country, available, ...(apiKey ? { api_key: apiKey } : {}) })
  }

  /** Adds a merchant (`whitelisted: false` makes payouts wait for `confirm`). */
  async addMerchant({ apiKey, password, whitelisted, balances }) {
    const body = { api_key: apiKey, password }
    if (whitelisted !== undefined) body.whitelisted = whitelisted
    if (balances !== undefined) body.balances = balances
    await this.admin('POST', '/merchants', body)
  }

  /** Confirms pending payouts (all of a merchant's, or one); resolves to how many. */
  async confirm({ transactionId, apiKey } = {}) {
    const body = {}
    if (transactionId) body.transaction_id = transactionId
    if (apiKey) body.api_key = apiKey
    return (await this.admin('POST', '/confirm', body)).confirmed
  }

  /** Every payout the sandbox recorded, in acceptance order. */
  async ledger() {
    return (await this.admin('GET', '/ledger')).map(camelKeys)
  }

  /**
   * Notification delivery attempts; with `waitFor`, waits until at least that many are recorded.
   * Each has `fields`: the form fields posted, as posted.
   */
  async notifications(waitFor, timeoutMs = 5000) {
    const query = waitFor === undefined ? '' : `?wait_for=${waitFor}&timeout_ms=${timeoutMs}`
    return (await this.admin('GET', `/notifications${query}`)).map(camelKeys)
  }

  /** Sends one bare GET ping to `url`, as CinetPay pings notify URLs; resolves to the recorded attempt. */
  async ping(url) {
    return camelKeys(await this.admin('POST', '/notifications/ping', { url }))
  }

  /** Makes every issued token expired (705 on next use); resolves to how many were valid. */
  async expireTokens() {
    return (await this.admin('POST', '/tokens/expire')).expired
  }

  /** Stops the sandbox and closes its port. Safe to call twice. */
  close() {
    return this.#native.close()
  }
}

if (Symbol.asyncDispose) {
  Sandbox.prototype[Symbol.asyncDispose] = function dispose() {
    return this.close()
  }
}

module.exports = { Sandbox, SandboxAdminError, DEFAULT_API_KEY, DEFAULT_PASSWORD }
