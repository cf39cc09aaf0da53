// CinetPayError and its subclasses, one per error kind of the core.
//
// Each class is declared here once: its name, its kind and its doc. The registry `errorClasses`
// (which `addon.ts` uses to turn a native error into its class), the typings and the ESM entry
// are all derived from these declarations. The kind names are the core's stable snake_case names
// (`ErrorKind`, generated from the core into native/index.d.ts); the tests check that every kind
// of the core (`errorKinds`, the core's `ErrorKind::ALL`) has its class here.

import native = require('../native/index.js')
import type { ErrorKind } from '../native/index.js'

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

const classes: Partial<Record<string, typeof CinetPayError>> = {}

/**
 * Any failure of the SDK. `kind` says what you can do about it (the core's stable names, the same
 * in every language); the raw API code, message and description stay attached for logs and
 * support. Use the subclasses with `instanceof`, or switch on `kind`.
 */
export class CinetPayError extends Error {
  /** What the caller can do about it (`'insufficient_balance'`, ...). */
  readonly kind: ErrorKind | (string & {})
  /**
   * CinetPay's response code (`602`, `724`, ...), when the service answered with one: the core's
   * `Error::code` (ADR 6). It shadows Node's habit of a string `err.code` on system errors.
   */
  readonly code: number | null
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

  constructor(message: string, fields: CinetPayErrorFields = {}) {
    super(message)
    this.name = new.target.name
    this.kind = fields.kind ?? (new.target as { kind?: ErrorKind }).kind ?? 'service'
    this.code = fields.code ?? fields.apiCode ?? null
    this.apiMessage = fields.apiMessage ?? null
    this.description = fields.description ?? null
    this.httpStatus = fields.httpStatus ?? null
    this.field = fields.field ?? null
    this.index = fields.index ?? null
    this.clientTransactionIds = fields.clientTransactionIds ?? []
    this.isRetryable = fields.isRetryable ?? false
  }

  /**
   * @deprecated the earlier name of `code` (ADR 6); goes in the next release. Reading it emits one
   * `DeprecationWarning` (code `CINETPAY_DEP_API_CODE`) per process.
   */
  declare readonly apiCode: number | null
}

/** Files a subclass under its kind, for `errorClasses` (each subclass calls it once, below). */
function register(cls: typeof CinetPayError & { readonly kind: ErrorKind }): void {
  classes[cls.kind] = cls
}

let apiCodeWarned = false
// A getter on the prototype (not an own field): an error's fields stay what JSON.stringify shows.
Object.defineProperty(CinetPayError.prototype, 'apiCode', {
  get(this: CinetPayError) {
    if (!apiCodeWarned) {
      apiCodeWarned = true
      process.emitWarning('CinetPayError#apiCode is deprecated: read err.code (the same number)', {
        type: 'DeprecationWarning',
        code: 'CINETPAY_DEP_API_CODE',
      })
    }
    return this.code
  },
  enumerable: false,
  configurable: true,
})

// Each subclass: its kind (static, for `new ValidationError('x')`, and as the instance's type) and
// its registration. `declare` keeps the instance field the base constructor set.

/** Credentials or token refused (701, 703; 705-707 once a fresh login did not help). */
export class AuthenticationError extends CinetPayError {
  static readonly kind = 'authentication'
  declare readonly kind: typeof AuthenticationError.kind
  static {
    register(this)
  }
}

/** Input refused, by the SDK before sending or by the service; see `field` and `index`. */
export class ValidationError extends CinetPayError {
  static readonly kind = 'validation'
  declare readonly kind: typeof ValidationError.kind
  static {
    register(this)
  }
}

/** The transfer balance is too low (602): nothing was sent. */
export class InsufficientBalanceError extends CinetPayError {
  static readonly kind = 'insufficient_balance'
  declare readonly kind: typeof InsufficientBalanceError.kind
  static {
    register(this)
  }
}

/** No such transfer, lot or id (723). */
export class NotFoundError extends CinetPayError {
  static readonly kind = 'not_found'
  declare readonly kind: typeof NotFoundError.kind
  static {
    register(this)
  }
}

/** The number is not one of your contacts (724): add it first, or use `pay`. */
export class NotAContactError extends CinetPayError {
  static readonly kind = 'not_a_contact'
  declare readonly kind: typeof NotAContactError.kind
  static {
    register(this)
  }
}

/** The clientTransactionId was used before (805). */
export class DuplicateTransactionError extends CinetPayError {
  static readonly kind = 'duplicate_transaction'
  declare readonly kind: typeof DuplicateTransactionError.kind
  static {
    register(this)
  }
}

/** The operator or payment method is not supported (721, 804). */
export class OperatorUnavailableError extends CinetPayError {
  static readonly kind = 'operator_unavailable'
  declare readonly kind: typeof OperatorUnavailableError.kind
  static {
    register(this)
  }
}

/** The service failed or refused for its own reasons (-1, 702, 708-715, 5xx, 429, unknown codes). */
export class ServiceError extends CinetPayError {
  static readonly kind = 'service'
  declare readonly kind: typeof ServiceError.kind
  static {
    register(this)
  }
}

/** The request could not be delivered (connection refused, DNS, timeout of a read). */
export class TransportError extends CinetPayError {
  static readonly kind = 'transport'
  declare readonly kind: typeof TransportError.kind
  static {
    register(this)
  }
}

/**
 * A payout request may or may not have been executed: look up `clientTransactionIds` with
 * `transferStatus` before sending them again.
 */
export class OutcomeUnknownError extends CinetPayError {
  static readonly kind = 'outcome_unknown'
  declare readonly kind: typeof OutcomeUnknownError.kind
  static {
    register(this)
  }
}

/** The service answered something the SDK cannot read. */
export class ProtocolError extends CinetPayError {
  static readonly kind = 'protocol'
  declare readonly kind: typeof ProtocolError.kind
  static {
    register(this)
  }
}

/** A notification disagrees with what the service says about the transfer: do not trust it. */
export class NotificationMismatchError extends CinetPayError {
  static readonly kind = 'notification_mismatch'
  declare readonly kind: typeof NotificationMismatchError.kind
  static {
    register(this)
  }
}

/** The class of each kind. */
export const errorClasses: Readonly<Record<ErrorKind, typeof CinetPayError>> = Object.freeze({ ...classes }) as Record<
  ErrorKind,
  typeof CinetPayError
>

/** Every error kind of the core, by its stable snake_case name. */
export const errorKinds: readonly ErrorKind[] = Object.freeze(native.errorKinds() as ErrorKind[])
