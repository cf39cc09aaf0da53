'use strict'
// CinetPayError and its subclasses, one per error kind of the core.
//
// Why this file exists: a napi `async fn` can only reject with a plain Error (code
// `GenericFailure`), so src/errors.rs puts the whole core error in the message as ERROR_TAG + JSON.
// `fromNative` reads that back into a real class, so `instanceof ValidationError` and `err.field`
// work. Errors that do not carry the tag (a wrong argument type caught by napi, say) pass through
// untouched. The kind names are the core's stable snake_case names; a kind this file does not know
// yet still becomes a CinetPayError with that `kind`.

const { ERROR_TAG, errorKinds } = require('../native/index.js')

class CinetPayError extends Error {
  /**
   * @param {string} message
   * @param {object} [fields] kind, code (`apiCode`: its deprecated name), apiMessage, description, httpStatus, field, index,
   *   clientTransactionIds, isRetryable (as in the native payload)
   */
  constructor(message, fields = {}) {
    super(message)
    this.name = new.target.name
    this.kind = fields.kind ?? new.target.kind ?? 'service'
    // CinetPay's response code, the core's `Error::code` (ADR 6). It shadows Node's habit of a
    // string `err.code` on system errors: here it is CinetPay's number, or null.
    this.code = fields.code ?? fields.apiCode ?? null
    this.apiMessage = fields.apiMessage ?? null
    this.description = fields.description ?? null
    this.httpStatus = fields.httpStatus ?? null
    this.field = fields.field ?? null
    this.index = fields.index ?? null
    this.clientTransactionIds = fields.clientTransactionIds ?? []
    this.isRetryable = fields.isRetryable ?? false
  }
}

let apiCodeWarned = false
Object.defineProperty(CinetPayError.prototype, 'apiCode', {
  /** @deprecated the earlier name of `code` (ADR 6); goes in the next release. */
  get() {
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

const classes = {}
function kindClass(name, kind) {
  // A named class per kind, so stack traces and `err.name` say which one it is.
  const cls = { [name]: class extends CinetPayError {} }[name]
  cls.kind = kind
  classes[kind] = cls
  return cls
}

const AuthenticationError = kindClass('AuthenticationError', 'authentication')
const ValidationError = kindClass('ValidationError', 'validation')
const InsufficientBalanceError = kindClass('InsufficientBalanceError', 'insufficient_balance')
const NotFoundError = kindClass('NotFoundError', 'not_found')
const NotAContactError = kindClass('NotAContactError', 'not_a_contact')
const DuplicateTransactionError = kindClass('DuplicateTransactionError', 'duplicate_transaction')
const OperatorUnavailableError = kindClass('OperatorUnavailableError', 'operator_unavailable')
const ServiceError = kindClass('ServiceError', 'service')
const TransportError = kindClass('TransportError', 'transport')
const OutcomeUnknownError = kindClass('OutcomeUnknownError', 'outcome_unknown')
const ProtocolError = kindClass('ProtocolError', 'protocol')
const NotificationMismatchError = kindClass('NotificationMismatchError', 'notification_mismatch')

/** The CinetPayError a native error stands for, or the error itself when it is not one. */
function fromNative(error) {
  if (!(error instanceof Error) || typeof error.message !== 'string' || !error.message.startsWith(ERROR_TAG)) {
    return error
  }
  let payload
  try {
    payload = JSON.parse(error.message.slice(ERROR_TAG.length))
  } catch {
    return error
  }
  const Cls = classes[payload.kind] ?? CinetPayError
  const converted = new Cls(payload.message, payload)
  Error.captureStackTrace?.(converted, fromNative)
  return converted
}

module.exports = {
  CinetPayError,
  AuthenticationError,
  ValidationError,
  InsufficientBalanceError,
  NotFoundError,
  NotAContactError,
  DuplicateTransactionError,
  OperatorUnavailableError,
  ServiceError,
  TransportError,
  OutcomeUnknownError,
  ProtocolError,
  NotificationMismatchError,
  errorClasses: Object.freeze({ ...classes }),
  // Every kind the core knows (ErrorKind::ALL); the tests check each has its class above.
  errorKinds: Object.freeze(errorKinds()),
  fromNative,
}
