import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Client, Notification, TransferInfo } from './index'

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

/**
 * A handler for the notify URL, for `app.all(path, express.urlencoded({ extended: false }), handler)`
 * (a body parser is optional: the raw body is read when none ran). The status is the core's
 * (`client.replyToNotification`): GET pings -> 200; a final transfer confirmed by re-query ->
 * `onConfirmed`, then 200; unreadable or disagreeing with the service -> 400; a body over 64 KiB
 * -> 413; the service does not show the transfer final yet, or cannot be asked -> 503 (CinetPay
 * retries). `onConfirmed` is called only for 200.
 */
export declare function notificationHandler(
  options: NotificationHandlerOptions,
): (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>

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
 */
export declare function tokenHandler(
  options: TokenHandlerOptions,
): (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>
