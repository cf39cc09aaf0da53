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
