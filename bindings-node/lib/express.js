'use strict'
// `notificationHandler`: the notify URL as an Express (or plain node:http) handler.
//
// Transfer notifications carry no signature, so nothing here trusts the body: the core reads it,
// asks the service for the transfer and decides which status answers the request
// (client.replyToNotification, the same rule in every language). This handler only moves bytes:
//   reply 200 with a transfer       -> onConfirmed(transfer, notification) resolved, then 200
//   onConfirmed threw               -> next(error) (Express answers 500), or 500
//   any other reply                 -> its status (200 ping, 400 refused, 413 too large, 503 retry later)
// It uses only the node:http response API, so it works without Express too, and reads the raw body
// itself when no body parser ran (a forgotten express.urlencoded() must not turn every
// notification into a "ping"); it never keeps more than NOTIFICATION_BODY_LIMIT + 1 bytes of it.

const { NOTIFICATION_BODY_LIMIT } = require('./index.js')

function reply(res, status, text) {
  res.statusCode = status
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  res.end(text)
}

/** The decoded fields when a parser ran, else the raw body, cut after the limit + 1 bytes. */
async function bodyOf(req) {
  if (req.body !== undefined && req.body !== null) {
    const empty = typeof req.body === 'object' && !Buffer.isBuffer(req.body) && Object.keys(req.body).length === 0
    // A parser that ran on a request it did not understand leaves `{}`; fall through to the stream.
    if (!empty || req.readableEnded) return req.body
  }
  if (req.readableEnded) return ''
  const chunks = []
  let kept = 0
  // Read to the end (so that the answer reaches the sender), keeping only what the core may read.
  for await (const chunk of req) {
    if (kept > NOTIFICATION_BODY_LIMIT) continue
    const part = chunk.subarray(0, NOTIFICATION_BODY_LIMIT + 1 - kept)
    chunks.push(part)
    kept += part.length
  }
  return Buffer.concat(chunks)
}

/**
 * @param {{ client: { replyToNotification(method: string, input: unknown): Promise<object> },
 *           onConfirmed: (transfer: object, notification: object) => unknown }} options
 */
function notificationHandler({ client, onConfirmed } = {}) {
  if (!client || typeof client.replyToNotification !== 'function') {
    throw new TypeError('notificationHandler needs { client }, a cinetpay-transfer Client')
  }
  if (typeof onConfirmed !== 'function') {
    throw new TypeError('notificationHandler needs { onConfirmed }, a function receiving the confirmed transfer')
  }
  return async function cinetpayNotificationHandler(req, res, next) {
    let answer
    try {
      answer = await client.replyToNotification(req.method, await bodyOf(req))
    } catch (error) {
      if (typeof next === 'function') return next(error)
      return reply(res, 500, 'the notification could not be read')
    }
    if (answer.transfer) {
      try {
        await onConfirmed(answer.transfer, answer.notification)
      } catch (error) {
        if (typeof next === 'function') return next(error)
        return reply(res, 500, 'the notification handler failed')
      }
    }
    return reply(res, answer.status, answer.body)
  }
}

/**
 * `tokenHandler`: hands the client's token to a caller `authorize(req)` accepts (a phone app of
 * the merchant, logged in to the merchant's backend), so the app never holds the API password.
 *   authorize resolved truthy  -> 200 {"token", "expires_at" (ISO 8601 UTC), "expires_in" (s)}
 *   authorize resolved falsy   -> 403, no token
 *   authorize threw            -> next(error) (Express answers 500), or 500; no token
 *   no token could be had      -> 503 {"error": "token_unavailable", "kind"}; the app retries later
 * A caller asking again sends the token it had in `X-Previous-Token`: if it is still the current
 * one, the service is asked whether it still takes it, so a revoked token is replaced rather than
 * handed out again. Every answer carries `Cache-Control: no-store`. The token is never logged
 * nor put in an error.
 *
 * @param {{ client: { issueToken(options?: { previous?: string }): Promise<{ token: string, expiresAt: Date, expiresIn: number }> },
 *           authorize: (req: object) => unknown }} options
 */
function tokenHandler({ client, authorize } = {}) {
  if (!client || typeof client.issueToken !== 'function') {
    throw new TypeError('tokenHandler needs { client }, a cinetpay-transfer Client')
  }
  if (typeof authorize !== 'function') {
    throw new TypeError('tokenHandler needs { authorize }, a function that accepts or refuses a request')
  }
  return async function cinetpayTokenHandler(req, res, next) {
    const json = (status, body) => {
      res.statusCode = status
      res.setHeader('cache-control', 'no-store')
      res.setHeader('content-type', 'application/json; charset=utf-8')
      res.end(JSON.stringify(body))
    }
    let allowed
    try {
      allowed = await authorize(req)
    } catch (error) {
      if (typeof next === 'function') return next(error)
      return json(500, { error: 'authorize_failed' })
    }
    if (!allowed) return json(403, { error: 'forbidden' })
    let issued
    try {
      // The caller's previous token (refused by the service, or about to expire) is checked, not handed out again blindly.
      const previous = req.headers['x-previous-token']
      issued = await client.issueToken(typeof previous === 'string' && previous ? { previous } : {})
    } catch (error) {
      return json(503, { error: 'token_unavailable', kind: error && error.kind ? error.kind : null })
    }
    return json(200, {
      token: issued.token,
      expires_at: issued.expiresAt.toISOString(),
      expires_in: issued.expiresIn,
    })
  }
}

module.exports = { notificationHandler, tokenHandler }
