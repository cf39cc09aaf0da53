'use strict'
// `notificationHandler`: the notify URL as an Express (or plain node:http) handler.
//
// Transfer notifications carry no signature, so the handler never trusts the body: it parses it,
// asks the service for the transfer (client.confirmNotification, in the core), and only then hands
// the service's view of the transfer to `onConfirmed`. The status codes tell CinetPay whether to
// try again:
//   GET / empty POST (a ping)                  -> 200, nothing else happens
//   confirmed, onConfirmed resolved            -> 200
//   unreadable body, mismatch, unknown transfer -> 400 (a forgery or garbage: retrying will not help)
//   anything else (service down, network, ...) -> 503 (CinetPay should retry later)
//   onConfirmed threw                          -> next(error) (Express answers 500), or 500
// It uses only the node:http response API, so it works without Express too, and reads the raw body
// itself when no body parser ran (a forgotten express.urlencoded() must not turn every
// notification into a "ping").

const { parseNotification } = require('./index.js')

const REFUSED = new Set(['validation', 'not_found', 'notification_mismatch'])

function reply(res, status, text) {
  res.statusCode = status
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  res.end(text)
}

async function bodyOf(req) {
  if (req.body !== undefined && req.body !== null) {
    const empty = typeof req.body === 'object' && !Buffer.isBuffer(req.body) && Object.keys(req.body).length === 0
    // A parser that ran on a request it did not understand leaves `{}`; fall through to the stream.
    if (!empty || req.readableEnded) return req.body
  }
  if (req.readableEnded) return ''
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/**
 * @param {{ client: { confirmNotification(n: object): Promise<object> },
 *           onConfirmed: (transfer: object, notification: object) => unknown }} options
 */
function notificationHandler({ client, onConfirmed } = {}) {
  if (!client || typeof client.confirmNotification !== 'function') {
    throw new TypeError('notificationHandler needs { client }, a cinetpay-transfer Client')
  }
  if (typeof onConfirmed !== 'function') {
    throw new TypeError('notificationHandler needs { onConfirmed }, a function receiving the confirmed transfer')
  }
  return async function cinetpayNotificationHandler(req, res, next) {
    let event
    try {
      event = parseNotification(await bodyOf(req), req.method)
    } catch (error) {
      return reply(res, 400, `unreadable notification: ${error.message}`)
    }
    if (event.type === 'ping') return reply(res, 200, 'OK')

    let transfer
    try {
      transfer = await client.confirmNotification(event)
    } catch (error) {
      if (REFUSED.has(error.kind)) return reply(res, 400, `notification refused: ${error.kind}`)
      return reply(res, 503, `could not confirm the notification now: ${error.kind ?? 'error'}`)
    }

    try {
      await onConfirmed(transfer, event)
    } catch (error) {
      if (typeof next === 'function') return next(error)
      return reply(res, 500, 'the notification handler failed')
    }
    return reply(res, 200, 'OK')
  }
}

module.exports = { notificationHandler }
