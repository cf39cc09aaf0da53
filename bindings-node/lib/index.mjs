// ESM entry: the same objects as the CommonJS entry (one addon instance, one set of classes).
import cjs from './index.js'

export const {
  Client,
  IssuedToken,
  NOTIFICATION_BODY_LIMIT,
  parseNotification,
  isFinal,
  isFinalStatus,
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
  errorClasses,
} = cjs
export default cjs
