// `cinetpay-transfer/express`: the notify URL and the token endpoint as Express (or plain
// node:http) handlers.
//
// `notificationHandler`: transfer notifications carry no signature, so nothing here trusts the
// body: the core reads it, asks the service for the transfer and decides which status answers the
// request (client.replyToNotification, the same rule in every language). This handler only moves
// bytes:
//   reply 200 with a transfer       -> onConfirmed(transfer, notification) resolved, then 200
//   onConfirmed threw               -> next(error) (Express answers 500), or 500
//   any other reply                 -> its status (200 ping, 400 refused, 413 too large, 503 retry later)
// It uses only the node:http response API, so it works without Express too, and reads the raw body
// itself when no body parser ran (a forgotten express.urlencoded() must not turn every
// notification into a "ping"); it never keeps more than NOTIFICATION_BODY_LIMIT + 1 bytes of it.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { NOTIFICATION_BODY_LIMIT, type Client, type Notification, type TransferInfo } from './index.js'

/** Express's `next`: called with the error a handler could not answer (Express answers 500). */
type Next = (error?: unknown) => void

export interface NotificationHandlerOptions {
  /** The client used to re-query the notified transfer. */
  client: Pick<Client, 'replyToNotification'>
  /**
   * Called once the service confirmed the transfer, with the SERVICE's view of it (and the
   * notification as posted). Await your own work here; throwing makes the handler call
   * `next(error)` (Express answers 500) so CinetPay notifies again later.
   */
  onConfirmed: (transfer: TransferInfo, notification: Notification) => unknown
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  res.end(text)
}

/** The decoded fields when a parser ran, else the raw body, cut after the limit + 1 bytes. */
async function bodyOf(req: IncomingMessage & { body?: unknown }): Promise<string | Buffer | Record<string, string>> {
  if (req.body !== undefined && req.body !== null) {
    const empty = typeof req.body === 'object' && !Buffer.isBuffer(req.body) && Object.keys(req.body).length === 0
    // A parser that ran on a request it did not understand leaves `{}`; fall through to the stream.
    if (!empty || req.readableEnded) return req.body as string | Buffer | Record<string, string>
  }
  if (req.readableEnded) return ''
  const chunks: Buffer[] = []
  let kept = 0
  // Read to the end (so that the answer reaches the sender), keeping only what the core may read.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (kept > NOTIFICATION_BODY_LIMIT) continue
    const part = chunk.subarray(0, NOTIFICATION_BODY_LIMIT + 1 - kept)
    chunks.push(part)
    kept += part.length
  }
  return Buffer.concat(chunks)
}

/**
 * A handler for the notify URL, for `app.all(path, express.urlencoded({ extended: false }), handler)`
 * (a body parser is optional: the raw body is read when none ran). The status is the core's
 * (`client.replyToNotification`): GET pings -> 200; a final transfer confirmed by re-query ->
 * `onConfirmed`, then 200; unreadable or disagreeing with the service -> 400; a body over 64 KiB
 * -> 413; the service does not show the transfer final yet, or cannot be asked -> 503 (CinetPay
 * retries). `onConfirmed` is called only for 200.
 */
export function notificationHandler(
  options: NotificationHandlerOptions,
): (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: Next) => Promise<void> {
  // Checked at run time too: JavaScript callers have no compiler to tell them.
  const { client, onConfirmed } = options ?? ({} as Partial<NotificationHandlerOptions>)
  if (!client || typeof client.replyToNotification !== 'function') {
    throw new TypeError('notificationHandler needs { client }, a cinetpay-transfer Client')
  }
  if (typeof onConfirmed !== 'function') {
    throw new TypeError('notificationHandler needs { onConfirmed }, a function receiving the confirmed transfer')
  }
  return async function cinetpayNotificationHandler(req, res, next) {
    let answer
    try {
      answer = await client.replyToNotification(req.method ?? 'POST', await bodyOf(req))
    } catch (error) {
      if (typeof next === 'function') return next(error)
      return reply(res, 500, 'the notification could not be read')
    }
    if (answer.transfer) {
      try {
        await onConfirmed(answer.transfer, answer.notification as Notification)
      } catch (error) {
        if (typeof next === 'function') return next(error)
        return reply(res, 500, 'the notification handler failed')
      }
    }
    return reply(res, answer.status, answer.body)
  }
}

export interface TokenHandlerOptions {
  /** The client whose token is handed out (`issueToken`). */
  client: Pick<Client, 'issueToken'>
  /**
   * Decides whether this request may have a token (the app's user is logged in to your backend,
   * and may pay out). Resolve truthy to hand it out; falsy answers 403; throwing calls
   * `next(error)`. Never hand a token to a caller you have not authenticated: it spends the
   * merchant's balance.
   */
  authorize: (req: IncomingMessage) => unknown
}

/**
 * A handler that gives the client's token to callers `authorize` accepts, so that phone apps
 * (the mobile SDK's `TokenProvider`) never hold the API password: 200
 * `{"token", "expires_at", "expires_in"}`, 403 when refused, 503 `{"error": "token_unavailable"}`
 * when no token could be had. A caller asking again sends its old token in `X-Previous-Token`:
 * when the service no longer takes it, a new one is handed out instead of the same. Answers carry
 * `Cache-Control: no-store`.
 *
 *   authorize resolved truthy  -> 200 {"token", "expires_at" (ISO 8601 UTC), "expires_in" (s)}
 *   authorize resolved falsy   -> 403, no token
 *   authorize threw            -> next(error) (Express answers 500), or 500; no token
 *   no token could be had      -> 503 {"error": "token_unavailable", "kind"}; the app retries later
 * The token is never logged nor put in an error.
 */
export function tokenHandler(
  options: TokenHandlerOptions,
): (req: IncomingMessage, res: ServerResponse, next?: Next) => Promise<void> {
  const { client, authorize } = options ?? ({} as Partial<TokenHandlerOptions>)
  if (!client || typeof client.issueToken !== 'function') {
    throw new TypeError('tokenHandler needs { client }, a cinetpay-transfer Client')
  }
  if (typeof authorize !== 'function') {
    throw new TypeError('tokenHandler needs { authorize }, a function that accepts or refuses a request')
  }
  return async function cinetpayTokenHandler(req, res, next) {
    const json = (status: number, body: unknown): void => {
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
      const kind = (error as { kind?: unknown } | null)?.kind
      return json(503, { error: 'token_unavailable', kind: kind ? kind : null })
    }
    return json(200, {
      token: issued.token,
      expires_at: issued.expiresAt.toISOString(),
      expires_in: issued.expiresIn,
    })
  }
}
