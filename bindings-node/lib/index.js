'use strict'
// The public entry point of `cinetpay-transfer`.
//
// Everything the SDK does happens in the Rust core through the native addon (native/index.js is
// the loader napi-rs generates). This file only gives the native client a JS face: `Client` keeps
// the native object in a private field (nothing about the credentials is reachable from JS) and
// turns every native error into a CinetPayError subclass (see errors.js). No API behaviour here.

const { inspect } = require('node:util')
const native = require('../native/index.js')
const errors = require('./errors.js')

const { fromNative } = errors

async function call(invoke) {
  try {
    return await invoke()
  } catch (error) {
    throw fromNative(error)
  }
}

/**
 * A token for a caller the merchant's backend authenticated (a phone app), and when the client
 * renews it. The token is a getter over a private field: `console.log`, `util.inspect` and
 * `JSON.stringify` never show it; read `.token` where it is sent.
 */
class IssuedToken {
  #token

  constructor(token, expiresAt) {
    this.#token = token
    this.expiresAt = expiresAt
    Object.freeze(this)
  }

  get token() {
    return this.#token
  }

  /** Whole seconds left before `expiresAt` (0 when past). */
  get expiresIn() {
    return Math.max(0, Math.floor((this.expiresAt.getTime() - Date.now()) / 1000))
  }

  [inspect.custom]() {
    return `IssuedToken { token: '***', expiresAt: ${this.expiresAt.toISOString()} }`
  }
}

class Client {
  #native

  /** Checks the options and builds the client; makes no request. Throws ValidationError. */
  constructor(options) {
    try {
      this.#native = new native.NativeClient(options)
    } catch (error) {
      throw fromNative(error)
    }
  }

  balance() {
    return call(() => this.#native.balance())
  }

  async issueToken({ previous } = {}) {
    const issued = await call(() => this.#native.issueToken(previous ?? null))
    return new IssuedToken(issued.token, new Date(issued.expiresAtMs))
  }

  addContacts(contacts) {
    return call(() => this.#native.addContacts(contacts))
  }

  send(transfers) {
    return call(() => this.#native.send(transfers))
  }

  pay(transfers) {
    return call(() => this.#native.pay(transfers))
  }

  transferStatus(query) {
    return call(() => this.#native.transferStatus(query))
  }

  lookUp(transfer) {
    return call(() => this.#native.lookUp(transfer))
  }

  confirmNotification(notification) {
    return call(() => this.#native.confirmNotification(notification))
  }

  replyToNotification(method, input) {
    return call(() => this.#native.replyToNotification(String(method ?? 'POST'), input ?? ''))
  }

  get [Symbol.toStringTag]() {
    return 'CinetPayClient'
  }
}

/** Reads a request to the notify URL: `{ type: 'ping' }` or an unverified notification. */
function parseNotification(input, method) {
  try {
    return native.parseNotification(input ?? '', method ?? null)
  } catch (error) {
    throw fromNative(error)
  }
}

/** True for `VAL` and `REJ`: the transfer will not change any more (the core's `is_final`). */
function isFinal(status) {
  return native.isFinalStatus(String(status))
}

module.exports = {
  Client,
  IssuedToken,
  NOTIFICATION_BODY_LIMIT: native.NOTIFICATION_BODY_LIMIT,
  parseNotification,
  isFinal,
  /** @deprecated the earlier name of `isFinal` */
  isFinalStatus: isFinal,
  ...errors,
}
delete module.exports.fromNative
