import type { Client, ClientOptions, SendingStatus, TreatmentStatus } from './index'

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
export declare class SandboxAdminError extends Error {
  readonly status: number
  readonly body: unknown
}

/** No `cinetpay-sandbox` binary where `Sandbox.start` looked; the message says what to install. */
export declare class SandboxNotFoundError extends Error {}

/**
 * The `cinetpay-sandbox` binary `Sandbox.start` runs: `CINETPAY_SANDBOX_BIN`, else the one of the
 * `cinetpay-transfer-sandbox` package, else `cinetpay-sandbox` on PATH; throws SandboxNotFoundError.
 */
export declare function sandboxBinary(): string

/**
 * The CinetPay sandbox (a stateful fake of the Transfer API on 127.0.0.1): the `cinetpay-sandbox`
 * binary as a child process, driven through its admin API (the same helper in every language).
 */
export declare class Sandbox {
  /** Starts the sandbox binary on a free port; ready when the Promise resolves. */
  static start(options?: SandboxStartOptions): Promise<Sandbox>
  private constructor()
  /** API base URL (`http://127.0.0.1:PORT/v1`): the client's `baseUrl`. */
  readonly baseUrl: string
  /** Admin API base URL (`http://127.0.0.1:PORT/_sandbox`). */
  readonly adminUrl: string
  /** The seeded merchant's API key (whitelisted, 1,000,000 XOF per country). */
  readonly apiKey: string
  /** The seeded merchant's password. */
  readonly password: string
  /** The process id of the sandbox binary. */
  readonly pid: number
  /** `{ apiKey, password, baseUrl }` merged with `extra`, for `new Client(...)`. */
  clientOptions(extra?: Partial<ClientOptions>): ClientOptions
  /** A `Client` logged in as the seeded merchant (`clientOptions(extra)`). */
  client(extra?: Partial<ClientOptions>): Client
  /** Any admin request (see the sandbox docs); resolves to its JSON answer. */
  admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown>
  reset(): Promise<void>
  /** Moves the sandbox clock: NEW -> REC after 5 s, -> VAL/REJ 10 s later (then notifications). */
  advanceClock(seconds: number): Promise<{ nowMs: number; steps: number }>
  addFault(
    fault: SandboxFault,
  ): Promise<Array<Required<Omit<SandboxFault, 'status' | 'code' | 'processed'>> & { status?: number; code?: number; processed?: boolean }>>
  clearFaults(): Promise<void>
  /** Sets the available balance of one country (ISO code) of a merchant (default: the seeded one). */
  setBalance(country: string, available: number, apiKey?: string): Promise<void>
  addMerchant(merchant: {
    apiKey: string
    password: string
    whitelisted?: boolean
    balances?: Record<string, number>
  }): Promise<void>
  /** Confirms pending payouts (a non-whitelisted merchant's); resolves to how many. */
  confirm(options?: { transactionId?: string; apiKey?: string }): Promise<number>
  ledger(): Promise<LedgerEntry[]>
  /** Delivery attempts; with `waitFor`, waits (up to `timeout` seconds, default 10) for that many. */
  notifications(options?: { waitFor?: number; timeout?: number }): Promise<NotificationDelivery[]>
  /** @deprecated `notifications({ waitFor, timeout })` (seconds); warns, goes in the next release. */
  notifications(waitFor: number, timeoutMs?: number): Promise<NotificationDelivery[]>
  /** Sends one bare GET ping to `url`, as CinetPay pings notify URLs; resolves to the recorded attempt. */
  ping(url: string): Promise<NotificationDelivery>
  /** Expires every issued token (705 on next use); resolves to how many were valid. */
  expireTokens(): Promise<number>
  /** Stops the sandbox process; resolves once it has exited (its port closed). Safe to call twice. */
  close(): Promise<void>
}

export declare const DEFAULT_API_KEY: 'sandbox-api-key'
export declare const DEFAULT_PASSWORD: 'sandbox-password'
