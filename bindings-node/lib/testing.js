'use strict'
// `cinetpay-transfer/testing`: a local CinetPay Transfer API for your own test suites.
//
// `Sandbox.start()` runs the project's sandbox binary, `cinetpay-sandbox` (a stateful fake of the
// Transfer API, with its quirks), as a child process on 127.0.0.1 and a free port: no Docker, no
// fixed port, no money. Every language's helper does exactly this, with the same options and admin
// calls (ADR 10), so the sandbox is not linked into this package's addon: it comes from the
// optional dev package `cinetpay-transfer-sandbox`. The binary is found, in this order:
//   1. the environment variable CINETPAY_SANDBOX_BIN (a path; an error if nothing is there),
//   2. the package `cinetpay-transfer-sandbox`, when installed (`npm install --save-dev ...`),
//   3. `cinetpay-sandbox` on PATH (`cargo install --locked --path sandbox` from a checkout).
// The helpers below drive it through its HTTP admin API (/_sandbox) and return camelCase objects
// (form fields of notifications are kept as posted).

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const DEFAULT_API_KEY = 'sandbox-api-key'
const DEFAULT_PASSWORD = 'sandbox-password'
const BINARY = process.platform === 'win32' ? 'cinetpay-sandbox.exe' : 'cinetpay-sandbox'
const INSTALL =
  'install it with `npm install --save-dev cinetpay-transfer-sandbox`, or from a checkout of the SDK with ' +
  '`cargo install --locked --path sandbox`, or set CINETPAY_SANDBOX_BIN to the path of a cinetpay-sandbox binary'
/** How long the binary may take to print where it listens. */
const START_TIMEOUT_MS = 30000

class SandboxAdminError extends Error {
  constructor(message, status, body) {
    super(message)
    this.name = 'SandboxAdminError'
    this.status = status
    this.body = body
  }
}

/** No sandbox binary where the discovery order looked (the message says what to install). */
class SandboxNotFoundError extends Error {
  constructor(message) {
    super(message)
    this.name = 'SandboxNotFoundError'
  }
}

function camel(key) {
  return key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
}

/** Top-level keys to camelCase; nested values (like a notification's form `fields`) untouched. */
function camelKeys(object) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [camel(k), v]))
}

const isFile = (file) => {
  try {
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** The path of the binary shipped by `cinetpay-transfer-sandbox`, or null when it is not installed. */
function fromPackage() {
  let entry
  try {
    entry = require.resolve('cinetpay-transfer-sandbox', { paths: [__dirname, process.cwd()] })
  } catch (e) {
    if (e.code === 'MODULE_NOT_FOUND') return null
    throw e
  }
  return require(entry).binaryPath
}

function onPath() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const file = dir && path.join(dir, BINARY)
    if (file && isFile(file)) return file
  }
  return null
}

/** The `cinetpay-sandbox` binary to start, by the discovery order above. */
function sandboxBinary() {
  const fromEnv = process.env.CINETPAY_SANDBOX_BIN
  if (fromEnv) {
    if (isFile(fromEnv)) return fromEnv
    throw new SandboxNotFoundError(`CINETPAY_SANDBOX_BIN is ${fromEnv}, where there is no file: fix the path, or unset it and ${INSTALL}`)
  }
  const found = fromPackage() ?? onPath()
  if (found) return found
  throw new SandboxNotFoundError(`the CinetPay sandbox binary (cinetpay-sandbox) is not installed: ${INSTALL}`)
}

let oldOptionsWarned = false
/**
 * The first spellings of the start options (`tokenLifetimeSeconds`, `clock: 'demo'`) as the
 * sandbox's own names (`tokenLifetime`, `clock: 'real'`), with one DeprecationWarning per process.
 * They go in the next release (ADR 6).
 */
function currentOptions(options) {
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

/** The binary's flags for the start options, each checked by name before anything starts. */
function flags(options) {
  if (options == null) return []
  if (typeof options !== 'object') throw new TypeError('Sandbox.start takes an options object')
  const { quirks, tokenLifetime, clock, whitelisted, ...unknown } = currentOptions(options)
  const extra = Object.keys(unknown)
  if (extra.length) throw new TypeError(`Sandbox.start: unknown option ${extra.join(', ')}`)
  const args = []
  if (quirks !== undefined) {
    if (quirks !== 'real' && quirks !== 'documented') {
      throw new TypeError(`quirks must be 'real' or 'documented', got ${JSON.stringify(quirks)}`)
    }
    args.push(`--quirks=${quirks}`)
  }
  if (tokenLifetime !== undefined) {
    if (typeof tokenLifetime !== 'number' || !Number.isFinite(tokenLifetime) || tokenLifetime < 0) {
      throw new TypeError(`tokenLifetime must be a number of seconds >= 0, got ${JSON.stringify(tokenLifetime)}`)
    }
    args.push(`--token-lifetime=${tokenLifetime}`)
  }
  if (clock !== undefined) {
    if (clock !== 'manual' && clock !== 'real') {
      throw new TypeError(`clock must be 'manual' or 'real', got ${JSON.stringify(clock)}`)
    }
    args.push(`--clock=${clock}`)
  }
  if (whitelisted !== undefined) {
    if (typeof whitelisted !== 'boolean') throw new TypeError(`whitelisted must be true or false, got ${JSON.stringify(whitelisted)}`)
    args.push(`--whitelisted=${whitelisted}`)
  }
  return args
}

/** Every child still running, killed when this process exits (one listener for them all). */
const running = new Set()
let exitHooked = false
function track(child) {
  running.add(child)
  child.once('exit', () => running.delete(child))
  if (!exitHooked) {
    exitHooked = true
    process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')))
  }
}

/** Starts the binary and resolves to its base URL, read from the first line of its stdout. */
function spawnSandbox(binary, args) {
  const child = spawn(binary, ['--addr=127.0.0.1:0', '--exit-with-stdin', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  })
  track(child)
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (text) => {
    stderr = (stderr + text).slice(-4000)
  })
  return new Promise((resolve, reject) => {
    let stdout = ''
    const fail = (message) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(message))
    }
    const timer = setTimeout(() => fail(`the sandbox (${binary}) printed no address in ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)
    child.once('error', (e) => fail(`the sandbox (${binary}) did not start: ${e.message}`))
    child.once('exit', (code, signal) =>
      fail(`the sandbox (${binary}) stopped before it listened (${signal ?? `exit code ${code}`}): ${stderr.trim()}`),
    )
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text) => {
      stdout += text
      const end = stdout.indexOf('\n')
      if (end < 0) return
      clearTimeout(timer)
      child.removeAllListeners('error')
      child.removeAllListeners('exit')
      child.once('exit', () => running.delete(child))
      resolve({ child, baseUrl: stdout.slice(0, end).trim() })
    })
  })
}

let oldNotificationsWarned = false

class Sandbox {
  #child
  #closed

  /**
   * Starts a sandbox; it accepts requests when the Promise resolves. The options are the sandbox
   * crate's names, as Python's `Sandbox(quirks=, token_lifetime=, clock=, whitelisted=)` takes them.
   * @param {{ quirks?: 'real' | 'documented', tokenLifetime?: number, clock?: 'manual' | 'real', whitelisted?: boolean }} [options]
   */
  static async start(options) {
    const args = flags(options)
    const { child, baseUrl } = await spawnSandbox(sandboxBinary(), args)
    // A sandbox a test forgot to close must not keep the process alive (`close` re-refs it).
    child.unref()
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream.unref?.()
    return new Sandbox(child, baseUrl, starting)
  }

  constructor(child, baseUrl, token) {
    if (token !== starting) throw new TypeError('use `await Sandbox.start()` to get a Sandbox')
    this.#child = child
    this.#closed = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('exit', () => resolve())
    })
    /** API base URL (`http://127.0.0.1:PORT/v1`), the client's `baseUrl`. */
    this.baseUrl = baseUrl
    /** Admin API base URL (`http://127.0.0.1:PORT/_sandbox`). */
    this.adminUrl = baseUrl.replace(/\/v1$/, '/_sandbox')
    /** The seeded merchant: whitelisted unless started with `whitelisted: false`, 1,000,000 XOF per country. */
    this.apiKey = DEFAULT_API_KEY
    this.password = DEFAULT_PASSWORD
  }

  /** The process id of the sandbox binary. */
  get pid() {
    return this.#child.pid
  }

  /** `{ apiKey, password, baseUrl }` for `new Client(...)`, plus any options given. */
  clientOptions(extra = {}) {
    return { apiKey: this.apiKey, password: this.password, baseUrl: this.baseUrl, ...extra }
  }

  /** A `Client` logged in as the seeded merchant, with any client options given. */
  client(extra = {}) {
    const { Client } = require('./index.js')
    return new Client(this.clientOptions(extra))
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

  /** Moves the sandbox clock (payouts: NEW -> REC after 5 s -> VAL/REJ 10 s later); resolves to `{ nowMs, steps }`. */
  async advanceClock(seconds) {
    return camelKeys(await this.admin('POST', '/clock/advance', { seconds }))
  }

  /**
   * Queues a fault for the next `count` requests to an endpoint; resolves to the faults queued.
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
   * Notification delivery attempts; with `waitFor`, waits (up to `timeout` seconds, default 10)
   * until at least that many are recorded. Each has `fields`: the form fields posted, as posted.
   * The first form, `notifications(waitFor, timeoutMs)`, still works this release, with a warning.
   */
  async notifications(options = {}, oldTimeoutMs) {
    if (typeof options === 'number') {
      if (!oldNotificationsWarned) {
        oldNotificationsWarned = true
        process.emitWarning('sandbox.notifications(waitFor, timeoutMs) is deprecated: use notifications({ waitFor, timeout }) (seconds)', {
          type: 'DeprecationWarning',
          code: 'CINETPAY_DEP_SANDBOX_NOTIFICATIONS',
        })
      }
      options = { waitFor: options, timeout: (oldTimeoutMs ?? 10000) / 1000 }
    }
    const { waitFor, timeout = 10 } = options
    const query = waitFor == null ? '' : `?wait_for=${waitFor}&timeout_ms=${Math.round(timeout * 1000)}`
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

  /** Stops the sandbox process; resolves once it has exited (its port closed). Safe to call twice. */
  async close() {
    const child = this.#child
    if (child.exitCode === null && child.signalCode === null) {
      child.ref()
      child.kill('SIGKILL')
    }
    await this.#closed
  }
}

const starting = Symbol('starting')

if (Symbol.asyncDispose) {
  Sandbox.prototype[Symbol.asyncDispose] = function dispose() {
    return this.close()
  }
}

module.exports = { Sandbox, SandboxAdminError, SandboxNotFoundError, sandboxBinary, DEFAULT_API_KEY, DEFAULT_PASSWORD }
