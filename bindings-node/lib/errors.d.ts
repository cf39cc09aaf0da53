import type { ErrorKind } from '../native/index'

/** Fields every CinetPay error carries (`null` when they do not apply). */
export interface CinetPayErrorFields {
  kind?: ErrorKind | (string & {})
  code?: number | null
  /** @deprecated the earlier name of `code`. */
  apiCode?: number | null
  apiMessage?: string | null
  description?: string | null
  httpStatus?: number | null
  field?: string | null
  index?: number | null
  clientTransactionIds?: string[]
  isRetryable?: boolean
}

/**
 * Any failure of the SDK. `kind` says what you can do about it (the core's stable names, the same
 * in every language); the raw API code, message and description stay attached for logs and
 * support. Use the subclasses with `instanceof`, or switch on `kind`.
 */
export declare class CinetPayError extends Error {
  constructor(message: string, fields?: CinetPayErrorFields)
  /** What the caller can do about it (`'insufficient_balance'`, ...). */
  readonly kind: ErrorKind | (string & {})
  /** CinetPay's response code (`602`, `724`, ...), when the service answered with one. */
  readonly code: number | null
  /**
   * @deprecated the earlier name of `code` (ADR 6); goes in the next release. Reading it emits one
   * `DeprecationWarning` (code `CINETPAY_DEP_API_CODE`) per process.
   */
  readonly apiCode: number | null
  /** CinetPay's `message` (`INSUFFICIENT_BALANCE`, ...). */
  readonly apiMessage: string | null
  /** CinetPay's `description`, in the client's language. */
  readonly description: string | null
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus: number | null
  /** For validation errors: the input field at fault, as spelled in JS (`amount`, `notifyUrl`, ...). */
  readonly field: string | null
  /** For validation errors on a list: the position of the item at fault. */
  readonly index: number | null
  /** For `outcome_unknown`: the payouts to look up by clientTransactionId before sending again. */
  readonly clientTransactionIds: string[]
  /** Whether the same request may succeed later (transport failure, 5xx, 429): the core's rule. */
  readonly isRetryable: boolean
}

/** Credentials or token refused (701, 703; 705-707 once a fresh login did not help). */
export declare class AuthenticationError extends CinetPayError {
  readonly kind: 'authentication'
}
/** Input refused, by the SDK before sending or by the service; see `field` and `index`. */
export declare class ValidationError extends CinetPayError {
  readonly kind: 'validation'
}
/** The transfer balance is too low (602): nothing was sent. */
export declare class InsufficientBalanceError extends CinetPayError {
  readonly kind: 'insufficient_balance'
}
/** No such transfer, lot or id (723). */
export declare class NotFoundError extends CinetPayError {
  readonly kind: 'not_found'
}
/** The number is not one of your contacts (724): add it first, or use `pay`. */
export declare class NotAContactError extends CinetPayError {
  readonly kind: 'not_a_contact'
}
/** The clientTransactionId was used before (805). */
export declare class DuplicateTransactionError extends CinetPayError {
  readonly kind: 'duplicate_transaction'
}
/** The operator or payment method is not supported (721, 804). */
export declare class OperatorUnavailableError extends CinetPayError {
  readonly kind: 'operator_unavailable'
}
/** The service failed or refused for its own reasons (-1, 702, 708-715, 5xx, 429, unknown codes). */
export declare class ServiceError extends CinetPayError {
  readonly kind: 'service'
}
/** The request could not be delivered (connection refused, DNS, timeout of a read). */
export declare class TransportError extends CinetPayError {
  readonly kind: 'transport'
}
/**
 * A payout request may or may not have been executed: look up `clientTransactionIds` with
 * `transferStatus` before sending them again.
 */
export declare class OutcomeUnknownError extends CinetPayError {
  readonly kind: 'outcome_unknown'
}
/** The service answered something the SDK cannot read. */
export declare class ProtocolError extends CinetPayError {
  readonly kind: 'protocol'
}
/** A notification disagrees with what the service says about the transfer: do not trust it. */
export declare class NotificationMismatchError extends CinetPayError {
  readonly kind: 'notification_mismatch'
}

/** The class of each kind. */
export declare const errorClasses: Readonly<Record<ErrorKind, typeof CinetPayError>>
/** Every error kind of the core, by its stable snake_case name. */
export declare const errorKinds: readonly ErrorKind[]
