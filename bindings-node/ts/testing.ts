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
// (form fields of notifications are kept as posted). This module loads the native addon only when
// `sandbox.client()` is called.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs = require('node:fs')
import path = require('node:path')
import type { Client, ClientOptions, SendingStatus, TreatmentStatus } from './index.js'

export const DEFAULT_API_KEY = 'sandbox-api-key'
export const DEFAULT_PASSWORD = 'sandbox-password'
const BINARY = process.platform === 'win32' ? 'cinetpay-sandbox.exe' : 'cinetpay-sandbox'
const INSTALL =
  'install it with `npm install --save-dev cinetpay-transfer-sandbox`, or from a checkout of the SDK with ' +
  '`cargo install --locked --path sandbox`, or set CINETPAY_SANDBOX_BIN to the path of a cinetpay-sandbox binary'
/** How long the binary may take to print where it listens. */
const START_TIMEOUT_MS = 30000

export interface SandboxStartOptions {
  /** `real` (default): the live service's quirks; `documented`: the documented shapes. */
  quirks?: 'real' | 'documented'
  /** Lifetime of issued tokens on the sandbox clock, seconds (default 300). */
  tokenLifetime?: number
  /** @deprecated the earlier name of `tokenLifetime` (warns); goes in the next release. */
  tokenLifetimeSeconds?: number
  /**
   * `manual` (default): time moves with `advanceClock`; `real`: payouts settle by themselves in
   * about 1 s of wall-clock time. `demo` is the deprecated earlier name of `real` (warns).
   */
  clock?: 'manual' | 'real' | 'demo'
  /** `true` (default): the seeded merchant's payouts go on; `false`: they wait (NOS) for `confirm`. */
  whitelisted?: boolean
}

export type SandboxEndpoint = 'login' | 'balance' | 'contact' | 'send' | 'status'
export type SandboxFaultKind =
  | 'latency'
  | 'server_error'
  | 'drop_before'
  | 'drop_after'
  | 'malformed_json'
  | 'rate_limited'
  | 'rate_limited_empty'
  | 'not_yet_visible'
  | 'api_error'
  | 'item_error'
  | 'slow_processing'
  | 'status_lag'

export interface SandboxFault {
  endpoint: SandboxEndpoint
  kind: SandboxFaultKind
  /** How many requests it applies to (default 1). */
  count?: number
  /** Delay before the fault acts, ms (all that `latency` does). */
  latencyMs?: number
  /** HTTP status of a `server_error` (default 502). */
  status?: number
  /** API code of an `api_error` or `item_error` (default -1). */
  code?: number
  /** `api_error` / `item_error`: process the request before answering the error. */
  processed?: boolean
}

/** A fault as the sandbox queued it (its defaults filled in). Not exported: `addFault`'s result. */
type QueuedFault = Required<Omit<SandboxFault, 'status' | 'code' | 'processed'>> & {
  status?: number
  code?: number
  processed?: boolean
}

/** One payout recorded by the sandbox. */
export interface LedgerEntry {
  merchant: string
  transactionId: string
  clientTransactionId: string
  lot: string
  prefix: string
  phone: string
  country: string
  amount: number
  operator: string
  notifyUrl: string
  treatmentStatus: TreatmentStatus
  sendingStatus: SendingStatus
  comment: string | null
  acceptedAtMs: number
  validatedAt: string | null
  operatorTransactionId: string | null
  /** How many send requests recorded it: always 1 (a payout is never recorded twice). */
  acceptedCount: number
  /** Processed send requests that carried its clientTransactionId (805 answers included). */
  sendAttempts: number
}

/** One notification delivery attempt of the sandbox. */
export interface NotificationDelivery {
  /** Empty for a ping. */
  transactionId: string
  /** `POST` for a notification, `GET` for a ping. */
  method: string
  url: string
  attempt: number
  outcome: 'delivered' | 'failed' | 'skipped'
  httpStatus: number | null
  error: string | null
  /** The form fields posted, as posted (snake_case keys): feed them to `parseNotification`. */
  fields: Record<string, string>
}

/** A non-2xx answer of the sandbox's admin API. */
export class SandboxAdminError extends Error {
  readonly status: number
  readonly body: unknown

  constructor(message: string, status: number, body: unknown) {
    super(message)
    this.name = 'SandboxAdminError'
    this.status = status
    this.body = body
  }
}

/** No `cinetpay-sandbox` binary where `Sandbox.start` looked; the message says what to install. */
export class SandboxNotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SandboxNotFoundError'
  }
}

/** The admin API's snake_case JSON objects. */
type Json = Record<string, unknown>

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** Top-level keys to camelCase; nested values (like a notification's form `fields`) untouched. */
function camelKeys<T>(object: unknown): T {
  return Object.fromEntries(Object.entries(object as Json).map(([k, v]) => [camel(k), v])) as T
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** The path of the binary shipped by `cinetpay-transfer-sandbox`, or null when it is not installed. */
function fromPackage(): string | null {
  let entry
  try {
    entry = require.resolve('cinetpay-transfer-sandbox', { paths: [__dirname, process.cwd()] })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null
    throw e
  }
  return (require(entry) as { binaryPath: string }).binaryPath
}

function onPath(): string | null {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const file = dir && path.join(dir, BINARY)
    if (file && isFile(file)) return file
  }
  return null
}

/**
 * The `cinetpay-sandbox` binary `Sandbox.start` runs: `CINETPAY_SANDBOX_BIN`, else the one of the
 * `cinetpay-transfer-sandbox` package, else `cinetpay-sandbox` on PATH; throws SandboxNotFoundError.
 */
export function sandboxBinary(): string {
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
function currentOptions(options: SandboxStartOptions): SandboxStartOptions {
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
function flags(options: SandboxStartOptions | undefined | null): string[] {
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
const running = new Set<ChildProcessWithoutNullStreams>()
let exitHooked = false
function track(child: ChildProcessWithoutNullStreams): void {
  running.add(child)
  child.once('exit', () => running.delete(child))
  if (!exitHooked) {
    exitHooked = true
    process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')))
  }
}

/** Starts the binary and resolves to its base URL, read from the first line of its stdout. */
function spawnSandbox(binary: string, args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; baseUrl: string }> {
  const child = spawn(binary, ['--addr=127.0.0.1:0', '--exit-with-stdin', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  })
  track(child)
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000)
  })
  return new Promise((resolve, reject) => {
    let stdout = ''
    const fail = (message: string): void => {
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
    child.stdout.on('data', (text: string) => {
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
/** The token only `Sandbox.start` holds: the constructor refuses to be called otherwise. */
const starting = Symbol('starting')

/**
 * The CinetPay sandbox (a stateful fake of the Transfer API on 127.0.0.1): the `cinetpay-sandbox`
 * binary as a child process, driven through its admin API (the same helper in every language).
 */
export class Sandbox {
  readonly #child: ChildProcessWithoutNullStreams
  readonly #closed: Promise<void>
  /** API base URL (`http://127.0.0.1:PORT/v1`): the client's `baseUrl`. */
  readonly baseUrl: string
  /** Admin API base URL (`http://127.0.0.1:PORT/_sandbox`). */
  readonly adminUrl: string
  /** The seeded merchant's API key: whitelisted unless started with `whitelisted: false`, 1,000,000 XOF per country. */
  readonly apiKey: string
  /** The seeded merchant's password. */
  readonly password: string

  /**
   * Starts the sandbox binary on a free port; it accepts requests when the Promise resolves. The
   * options are the sandbox crate's names, as Python's `Sandbox(quirks=, token_lifetime=, clock=,
   * whitelisted=)` takes them.
   */
  static async start(options?: SandboxStartOptions): Promise<Sandbox> {
    const args = flags(options)
    const { child, baseUrl } = await spawnSandbox(sandboxBinary(), args)
    // A sandbox a test forgot to close must not keep the process alive (`close` re-refs it).
    child.unref()
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as { unref?: () => void }).unref?.()
    return new Sandbox(child, baseUrl, starting)
  }

  private constructor(child: ChildProcessWithoutNullStreams, baseUrl: string, token: symbol) {
    // JavaScript callers have no compiler to refuse `new Sandbox()`.
    if (token !== starting) throw new TypeError('use `await Sandbox.start()` to get a Sandbox')
    this.#child = child
    this.#closed = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('exit', () => resolve())
    })
    this.baseUrl = baseUrl
    this.adminUrl = baseUrl.replace(/\/v1$/, '/_sandbox')
    this.apiKey = DEFAULT_API_KEY
    this.password = DEFAULT_PASSWORD
  }

  /** The process id of the sandbox binary. */
  get pid(): number {
    return this.#child.pid as number
  }

  /** `{ apiKey, password, baseUrl }` merged with `extra`, for `new Client(...)`. */
  clientOptions(extra: Partial<ClientOptions> = {}): ClientOptions {
    return { apiKey: this.apiKey, password: this.password, baseUrl: this.baseUrl, ...extra }
  }

  /** A `Client` logged in as the seeded merchant (`clientOptions(extra)`). */
  client(extra: Partial<ClientOptions> = {}): Client {
    // Required here, not at the top: the rest of this module needs no native addon.
    const { Client } = require('./index.js') as typeof import('./index.js')
    return new Client(this.clientOptions(extra))
  }

  /** Any admin request (see the sandbox docs); resolves to its JSON answer, rejects with SandboxAdminError on non-2xx. */
  async admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const init: RequestInit & { headers: Record<string, string> } = { method, headers: {} }
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    const response = await fetch(this.adminUrl + path, init)
    const text = await response.text()
    const value: unknown = text ? JSON.parse(text) : null
    if (!response.ok) {
      throw new SandboxAdminError(`${method} ${path}: ${response.status} ${text}`, response.status, value)
    }
    return value
  }

  /** Back to the start state (merchants, clock, payouts, tokens, faults, notifications). */
  async reset(): Promise<void> {
    await this.admin('POST', '/reset')
  }

  /** Moves the sandbox clock: NEW -> REC after 5 s, -> VAL/REJ 10 s later (then notifications). */
  async advanceClock(seconds: number): Promise<{ nowMs: number; steps: number }> {
    return camelKeys(await this.admin('POST', '/clock/advance', { seconds }))
  }

  /** Queues a fault for the next `count` requests to an endpoint; resolves to the faults queued. */
  async addFault({ endpoint, kind, count, latencyMs, status, code, processed }: SandboxFault): Promise<QueuedFault[]> {
    const body: Json = { endpoint, kind }
    if (count !== undefined) body.count = count
    if (latencyMs !== undefined) body.latency_ms = latencyMs
    if (status !== undefined) body.status = status
    if (code !== undefined) body.code = code
    if (processed !== undefined) body.processed = processed
    return ((await this.admin('POST', '/faults', body)) as Json[]).map((fault) => camelKeys<QueuedFault>(fault))
  }

  /** Removes every queued fault. */
  async clearFaults(): Promise<void> {
    await this.admin('DELETE', '/faults')
  }

  /** Sets the available balance of one country (ISO code, e.g. 'CI') of a merchant (default: the seeded one). */
  async setBalance(country: string, available: number, apiKey?: string): Promise<void> {
    await this.admin('POST', '/balance', { country, available, ...(apiKey ? { api_key: apiKey } : {}) })
  }

  /** Adds a merchant (`whitelisted: false` makes payouts wait for `confirm`). */
  async addMerchant({
    apiKey,
    password,
    whitelisted,
    balances,
  }: {
    apiKey: string
    password: string
    whitelisted?: boolean
    balances?: Record<string, number>
  }): Promise<void> {
    const body: Json = { api_key: apiKey, password }
    if (whitelisted !== undefined) body.whitelisted = whitelisted
    if (balances !== undefined) body.balances = balances
    await this.admin('POST', '/merchants', body)
  }

  /** Confirms pending payouts (all of a merchant's, or one: a non-whitelisted merchant's); resolves to how many. */
  async confirm({ transactionId, apiKey }: { transactionId?: string; apiKey?: string } = {}): Promise<number> {
    const body: Json = {}
    if (transactionId) body.transaction_id = transactionId
    if (apiKey) body.api_key = apiKey
    return ((await this.admin('POST', '/confirm', body)) as { confirmed: number }).confirmed
  }

  /** Every payout the sandbox recorded, in acceptance order. */
  async ledger(): Promise<LedgerEntry[]> {
    return ((await this.admin('GET', '/ledger')) as Json[]).map((entry) => camelKeys<LedgerEntry>(entry))
  }

  /**
   * Notification delivery attempts; with `waitFor`, waits (up to `timeout` seconds, default 10)
   * until at least that many are recorded. Each has `fields`: the form fields posted, as posted.
   */
  notifications(options?: { waitFor?: number; timeout?: number }): Promise<NotificationDelivery[]>
  /** @deprecated `notifications({ waitFor, timeout })` (seconds); warns, goes in the next release. */
  notifications(waitFor: number, timeoutMs?: number): Promise<NotificationDelivery[]>
  async notifications(
    options: { waitFor?: number; timeout?: number } | number = {},
    oldTimeoutMs?: number,
  ): Promise<NotificationDelivery[]> {
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
    return ((await this.admin('GET', `/notifications${query}`)) as Json[]).map((n) => camelKeys<NotificationDelivery>(n))
  }

  /** Sends one bare GET ping to `url`, as CinetPay pings notify URLs; resolves to the recorded attempt. */
  async ping(url: string): Promise<NotificationDelivery> {
    return camelKeys(await this.admin('POST', '/notifications/ping', { url }))
  }

  /** Expires every issued token (705 on next use); resolves to how many were valid. */
  async expireTokens(): Promise<number> {
    return ((await this.admin('POST', '/tokens/expire')) as { expired: number }).expired
  }

  /** Stops the sandbox process; resolves once it has exited (its port closed). Safe to call twice. */
  async close(): Promise<void> {
    const child = this.#child
    if (child.exitCode === null && child.signalCode === null) {
      child.ref()
      child.kill('SIGKILL')
    }
    await this.#closed
  }
}

// `await using sandbox = await Sandbox.start()` where the runtime has explicit resource management.
if (Symbol.asyncDispose) {
  Object.defineProperty(Sandbox.prototype, Symbol.asyncDispose, {
    value: function dispose(this: Sandbox) {
      return this.close()
    },
    writable: true,
    configurable: true,
  })
}
