// The public entry point of `cinetpay-transfer`.
//
// Everything the SDK does happens in the Rust core through the native addon. This module only
// gives the native client a JS face: `Client` keeps the native object in a private field (nothing
// about the credentials is reachable from JS) and turns every native error into a CinetPayError
// subclass (addon.ts). No API behaviour here. The data types are the declarations napi-rs
// generates from the Rust structs (native/index.d.ts), re-exported, so they cannot drift.

import { inspect } from 'node:util'
import { call, callSync, native } from './addon.js'
import { bulk, contactResults, contactRow, sendResults, transferRow } from './lists.js'
import type {
  Balance,
  ClientOptions,
  Contact,
  ContactResult,
  Notification,
  NotificationReply,
  PayoutLookup,
  Ping,
  SendResult,
  Transfer,
  TransferInfo,
  TreatmentStatus,
} from '../native/index.js'

export type {
  Balance,
  ClientOptions,
  Contact,
  ContactResult,
  CountryBalance,
  CountryRule,
  ErrorKind,
  ItemError,
  Limits,
  Notification,
  NotificationReply,
  PayoutLookup,
  Ping,
  SendOutcome,
  SendResult,
  SendingStatus,
  Transfer,
  TransferInfo,
  TreatmentStatus,
} from '../native/index.js'

export * from './errors.js'

/** Which transfers `transferStatus` asks about: exactly one id (a lot gives the whole batch). */
export type TransferQuery =
  | { transactionId: string; clientTransactionId?: undefined; lot?: undefined }
  | { clientTransactionId: string; transactionId?: undefined; lot?: undefined }
  | { lot: string; transactionId?: undefined; clientTransactionId?: undefined }

/** What arrived at the notify URL: a ping (answer 200) or an unverified notification. */
export type NotificationEvent = Ping | Notification

/** What a notify URL received: the raw form-encoded body, or the fields a body parser decoded. */
type NotificationInput = string | Buffer | Record<string, string>

let issue: (token: string, expiresAt: Date) => IssuedToken

/**
 * A token from `client.issueToken()`. `token` is a getter over a private field: `console.log`,
 * `util.inspect` and `JSON.stringify` never show it.
 */
export class IssuedToken {
  readonly #token: string
  /** When the client renews it: ask again before then. */
  readonly expiresAt: Date

  private constructor(token: string, expiresAt: Date) {
    this.#token = token
    this.expiresAt = expiresAt
    Object.freeze(this)
  }

  static {
    // Only the client makes these (the constructor is private to the typings).
    issue = (token, expiresAt) => new IssuedToken(token, expiresAt)
  }

  /** The token, for the caller's `Authorization` header. */
  get token(): string {
    return this.#token
  }

  /** Whole seconds left before `expiresAt` (0 when past). */
  get expiresIn(): number {
    return Math.max(0, Math.floor((this.expiresAt.getTime() - Date.now()) / 1000))
  }

  /** @internal */
  [inspect.custom](): string {
    return `IssuedToken { token: '***', expiresAt: ${this.expiresAt.toISOString()} }`
  }
}

/**
 * A client of the CinetPay Transfer API. Create one per application and share it: concurrent
 * calls share one connection pool and one login token. Every call returns a Promise, runs off the
 * JS thread, and rejects with a `CinetPayError` subclass.
 */
export class Client {
  readonly #native: native.NativeClient

  /** Checks the options and builds the client; makes no request. Throws `ValidationError`. */
  constructor(options: ClientOptions) {
    this.#native = callSync(() => new native.NativeClient(options))
  }

  /** The transfer balance, with the per-country breakdown when the service sends it. */
  balance(): Promise<Balance> {
    return call(() => this.#native.balance())
  }

  /**
   * The client's token and when it renews it, for a backend that hands tokens to its apps (see
   * `tokenHandler` in `cinetpay-transfer/express`): from the shared `tokenStore` when there is
   * one, logging in only when needed. Hand it only to callers you authenticated. `previous`: the
   * token the caller had; when it is still the current one, the service is asked whether it
   * still takes it, and a revoked token is replaced instead of handed out again.
   */
  async issueToken({ previous }: { previous?: string } = {}): Promise<IssuedToken> {
    const issued = await call(() => this.#native.issueToken(previous ?? null))
    return issue(issued.token, new Date(issued.expiresAtMs))
  }

  /** Registers payees (required before sending to them); one already registered counts as added. */
  addContacts(contacts: Contact[]): Promise<ContactResult[]> {
    return bulk(contacts, contactRow, native.contactRows, contactResults, (n, list) => this.#native.addContacts(n, list))
  }

  /**
   * Sends payouts to registered contacts, results in input order. Every item is checked before
   * anything leaves; a payout is never sent twice (`clientTransactionId` is the idempotency key).
   * When the answer of a request is lost and a lookup cannot tell, rejects with
   * `OutcomeUnknownError` (single request) or reports `outcome: 'unknown'` per item.
   */
  send(transfers: Transfer[]): Promise<SendResult[]> {
    return bulk(transfers, transferRow, native.transferRows, sendResults, (n, list) => this.#native.send(n, list))
  }

  /** Registers the payees this client does not know yet, then sends. */
  pay(transfers: Transfer[]): Promise<SendResult[]> {
    return bulk(transfers, transferRow, native.transferRows, sendResults, (n, list) => this.#native.pay(n, list))
  }

  /** The state of transfers, by exactly one id. Rejects with `NotFoundError` for an unknown id. */
  transferStatus(query: TransferQuery): Promise<TransferInfo[]> {
    return call(() => this.#native.transferStatus(query))
  }

  /**
   * What the service holds under `transfer.clientTransactionId` (required), compared with that
   * payout: `found` (same number and amount), `conflict` (the id is taken by another payout) or
   * `not_found` (which, right after a request that may have been processed, proves nothing: a
   * payout being recorded may not be visible yet). The rule the SDK settles lost answers with,
   * for callers that keep their own record of payouts.
   */
  lookUp(transfer: Transfer): Promise<PayoutLookup> {
    return call(() => this.#native.lookUp(transfer))
  }

  /**
   * Confirms a notification the way CinetPay asks: re-queries the transfer by its id and checks
   * the notification's claims against it. Resolves to the service's view of the transfer; rejects
   * with `NotificationMismatchError` (forged or stale) or `NotFoundError`.
   */
  confirmNotification(notification: Notification): Promise<TransferInfo> {
    return call(() => this.#native.confirmNotification(notification))
  }

  /**
   * What to answer a request to the notify URL, decided by the core (the same rule in every
   * language): reads the body (raw string or Buffer, at most `NOTIFICATION_BODY_LIMIT` + 1 bytes
   * of it, or the fields a body parser decoded), re-queries the transfer, and resolves to the
   * status to answer (200, 400, 413, 503) with `transfer` set only when it is final and agrees.
   * Never rejects for the request's content.
   */
  replyToNotification(method: string, input: NotificationInput): Promise<NotificationReply> {
    return call(() => this.#native.replyToNotification(String(method ?? 'POST'), input ?? ''))
  }

  /** @internal */
  get [Symbol.toStringTag](): string {
    return 'CinetPayClient'
  }
}

/** The largest notify-URL body the core reads, in bytes (64 KiB); larger ones are answered 413. */
export const NOTIFICATION_BODY_LIMIT: number = native.NOTIFICATION_BODY_LIMIT

/**
 * Reads a request to the notify URL: the raw form-encoded body (string or Buffer) or the fields a
 * body parser decoded, and the HTTP method (default `POST`). A GET or an empty body is a ping.
 * Throws `ValidationError` for a body without `transaction_id` or with a non-integer amount.
 */
export function parseNotification(input: NotificationInput, method?: string): NotificationEvent {
  return callSync(() => native.parseNotification(input ?? '', method ?? null))
}

/** True for `VAL` and `REJ`: the transfer will not change any more (the core's `is_final`). */
export function isFinal(status: TreatmentStatus): boolean {
  return native.isFinalStatus(String(status))
}

/** @deprecated the earlier name of `isFinal`. */
export const isFinalStatus: (status: TreatmentStatus) => boolean = isFinal
