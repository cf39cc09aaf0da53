import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Client, Notification, TransferInfo } from './index'

export interface NotificationHandlerOptions {
  /** The client used to re-query the notified transfer. */
  client: Pick<Client, 'confirmNotification'>
  /**
   * Called once the service confirmed the transfer, with the SERVICE's view of it (and the
   * notification as posted). Await your own work here; throwing makes the handler call
   * `next(error)` (Express answers 500) so CinetPay notifies again later.
   */
  onConfirmed: (transfer: TransferInfo, notification: Notification) => unknown
}

/**
 * A handler for the notify URL, for `app.all(path, express.urlencoded({ extended: false }), handler)`
 * (a body parser is optional: the raw body is read when none ran). GET pings -> 200; POST ->
 * parsed, confirmed by re-query, `onConfirmed`, 200; a forged, mismatched or unknown transfer ->
 * 400 and `onConfirmed` is never called; a transient failure to confirm -> 503.
 */
export declare function notificationHandler(
  options: NotificationHandlerOptions,
): (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>
