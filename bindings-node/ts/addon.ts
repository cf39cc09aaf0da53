// The native addon (native/index.js, the loader napi-rs generates), with its errors turned into
// CinetPayError subclasses. Internal: not exported by the package.
//
// Why: a napi `async fn` can only reject with a plain Error (code `GenericFailure`), so
// src/errors.rs puts the whole core error in the message as ERROR_TAG + JSON. `fromNative` reads
// that back into its class (errors.ts), so `instanceof ValidationError` and `err.field` work.
// Errors that do not carry the tag (a wrong argument type caught by napi, say) pass through
// untouched; a kind this package does not know yet still becomes a CinetPayError with that `kind`.

import native = require('../native/index.js')
import { CinetPayError, errorClasses, type CinetPayErrorFields } from './errors.js'

export { native }

/** The CinetPayError a native error stands for, or the error itself when it is not one. */
export function fromNative(error: unknown): unknown {
  if (!(error instanceof Error) || typeof error.message !== 'string' || !error.message.startsWith(native.ERROR_TAG)) {
    return error
  }
  let payload: CinetPayErrorFields & { message: string }
  try {
    payload = JSON.parse(error.message.slice(native.ERROR_TAG.length))
  } catch {
    return error
  }
  const Cls = errorClasses[payload.kind as keyof typeof errorClasses] ?? CinetPayError
  const converted = new Cls(payload.message, payload)
  Error.captureStackTrace?.(converted, fromNative)
  return converted
}

/** Runs a native call; its rejection becomes a CinetPayError. */
export async function call<T>(invoke: () => Promise<T>): Promise<T> {
  try {
    return await invoke()
  } catch (error) {
    throw fromNative(error)
  }
}

/** Runs a synchronous native call; what it throws becomes a CinetPayError. */
export function callSync<T>(invoke: () => T): T {
  try {
    return invoke()
  } catch (error) {
    throw fromNative(error)
  }
}
