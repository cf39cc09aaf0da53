//! The notification CinetPay sends to a payout's `notify_url`, and why it is never trusted alone.
//!
//! Transfer notifications carry no signature: anyone who learns the URL can post a "VAL". The
//! provider's advice is to treat the body as a hint and ask the API for the truth, which is what
//! [`crate::Client::confirm_notification`] does. This module only reads the body. The service
//! also pings the URL with bare requests carrying no data; those are recognised as
//! [`NotificationEvent::Ping`] so that web handlers can answer 200 and move on.
//!
//! What to answer CinetPay is decided here too, once for every web framework
//! ([`NotificationReply`]): the status tells CinetPay whether to post the notification again, and
//! a wrong answer either loses a genuine notification (a 4xx to one the lookup has not caught up
//! with) or makes CinetPay retry garbage forever. The rule:
//!
//! | request | status |
//! |---|---|
//! | GET, or no field at all (a ping) | 200 |
//! | body over [`NOTIFICATION_BODY_LIMIT`] (64 KiB; a real one is under 1 KiB) | 413, nothing read further, nothing asked |
//! | unreadable (not a form, no `transaction_id`, amount not a number) | 400 |
//! | the lookup fails: 723 (the service does not show the transfer yet), network, 5xx, 429, credentials | 503: CinetPay retries later |
//! | `client_transaction_id` or `amount` disagree with the service | 400: not genuine, never handed over |
//! | the service does not show the transfer final yet (NEW, REC, NOS, unknown status) | 503: the notification outran the lookup |
//! | final, but not the status the body claims | 400 |
//! | final and agreeing | 200, after the application handled [`NotificationReply::transfer`] |
//!
//! 723 is answered 503, not 400, because a genuine notification can arrive before the lookup shows
//! its transfer; a forged id gets the same 503 and never reaches the application. 413 rather than
//! 400 for a large body because the size, not the content, is refused.

use serde::Serialize;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Message;
use crate::model::{TransferInfo, TransferQuery, TreatmentStatus};
use crate::wire::read_int;

/// The largest notify-URL body read, in bytes (64 KiB). Read at most one byte more than this
/// from the request: a larger body is answered 413 without being parsed.
pub const NOTIFICATION_BODY_LIMIT: usize = 64 * 1024;

/// What arrived at the notify URL.
// Built once per webhook request: boxing the large variant would only complicate matching.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationEvent {
    /// A bare request with no data: answer 200, nothing to do.
    Ping,
    /// A transfer notification, to confirm with [`crate::Client::confirm_notification`].
    Transfer(Notification),
}

/// The fields of a transfer notification, as posted (unverified).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// CinetPay's id: the one thing used to re-query the transfer.
    pub transaction_id: String,
    /// The merchant's id, as claimed by the body.
    pub client_transaction_id: Option<String>,
    /// Batch number.
    pub lot: Option<String>,
    /// Amount claimed by the body, whole XOF.
    pub amount: Option<i64>,
    /// Payee number.
    pub receiver: Option<String>,
    /// `CONFIRM` / `PENDING`, as sent.
    pub sending_status: Option<String>,
    /// Processing status claimed by the body.
    pub treatment_status: Option<TreatmentStatus>,
    /// Free text.
    pub comment: Option<String>,
    /// Operator's reference.
    pub operator_transaction_id: Option<String>,
    /// Operator (older notifications).
    pub operator: Option<String>,
    /// Validation time, as sent.
    pub validated_at: Option<String>,
}

impl NotificationEvent {
    /// Reads a request to the notify URL: its form-encoded body and `method` (`GET`, `POST`).
    /// The body comes first, as in every binding's `parse_notification(body, method = "POST")`.
    pub fn from_request(body: &[u8], method: &str) -> Result<Self> {
        if is_ping_method(method) || body.iter().all(u8::is_ascii_whitespace) {
            return Ok(NotificationEvent::Ping);
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|e| {
            Error::of(
                ErrorKind::Validation,
                Message::new("notification-not-form").text("reason", e),
            )
        })?;
        // A body that carries something but no field (JSON, a relay's wrapper) is not a ping:
        // answering it 200 would drop a notification that may be genuine.
        if pairs.iter().all(|(_, v)| v.trim().is_empty()) {
            return Err(Error::of(
                ErrorKind::Validation,
                Message::new("notification-no-field"),
            ));
        }
        Self::from_fields(pairs, method)
    }

    /// Reads a request whose form fields a web framework already decoded (`request.POST`,
    /// `req.body`). A GET is a ping whatever it carries, and so is a request with no field at
    /// all; fields without `transaction_id` are an error.
    pub fn from_fields<I, K, V>(pairs: I, method: &str) -> Result<Self>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        if is_ping_method(method) {
            return Ok(NotificationEvent::Ping);
        }
        let fields: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().trim().to_owned()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if fields.is_empty() {
            return Ok(NotificationEvent::Ping);
        }
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let transaction_id = get("transaction_id").ok_or_else(|| {
            Error::invalid(
                "transaction_id",
                None,
                Message::new("notification-no-transaction-id"),
            )
        })?;
        let amount = match get("amount") {
            None => None,
            Some(raw) => Some(read_int(&serde_json::Value::String(raw.clone())).ok_or_else(|| {
                Error::invalid(
                    "amount",
                    None,
                    Message::new("notification-bad-amount").quoted("value", &raw),
                )
            })?),
        };
        Ok(NotificationEvent::Transfer(Notification {
            transaction_id,
            client_transaction_id: get("client_transaction_id"),
            lot: get("lot"),
            amount,
            receiver: get("receiver"),
            sending_status: get("sending_status"),
            treatment_status: get("treatment_status").map(|s| TreatmentStatus::parse(&s)),
            comment: get("comment"),
            operator_transaction_id: get("operator_transaction_id"),
            operator: get("operator"),
            validated_at: get("validated_at"),
        }))
    }
}

impl Notification {
    /// Compares the body's claims with the service's view; any disagreement is an error.
    pub(crate) fn check_against(&self, info: &TransferInfo) -> Result<()> {
        self.check_identity(info)?;
        self.check_status(info)
    }

    /// The payout's identity: `client_transaction_id` and `amount`, when the body gives them.
    fn check_identity(&self, info: &TransferInfo) -> Result<()> {
        if let Some(claimed) = &self.client_transaction_id {
            if info.client_transaction_id.as_deref() != Some(claimed.as_str()) {
                return Err(mismatch(
                    "client_transaction_id",
                    claimed,
                    info.client_transaction_id.as_deref().unwrap_or("none"),
                ));
            }
        }
        if let Some(claimed) = self.amount {
            if claimed != info.amount {
                return Err(mismatch("amount", &claimed.to_string(), &info.amount.to_string()));
            }
        }
        Ok(())
    }

    /// The status, when the body gives one.
    fn check_status(&self, info: &TransferInfo) -> Result<()> {
        // A body claiming a status the service does not report (a forged "VAL", or one sent ahead
        // of the service's own state) is refused; CinetPay retries genuine notifications.
        if let Some(claimed) = &self.treatment_status {
            if claimed != &info.treatment_status {
                return Err(mismatch(
                    "treatment_status",
                    claimed.as_str(),
                    info.treatment_status.as_str(),
                ));
            }
        }
        Ok(())
    }
}

/// What to answer a request to the notify URL (the rule is in the module docs), and the transfer
/// to hand to the application when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationReply {
    /// The HTTP status to answer: 200, 400, 413 or 503.
    pub status: u16,
    /// A short plain-text body to answer with.
    pub body: &'static str,
    /// Why, in a sentence, for the merchant's logs (no secret in it; not meant for CinetPay).
    pub reason: String,
    /// The notification as posted, when the body was read as one.
    pub notification: Option<Notification>,
    /// The service's view of the transfer, final and agreeing with the notification: only with
    /// status 200. Handle it (idempotently: the same notification may come again) before
    /// answering; if handling fails, answer 500 instead so that CinetPay posts it again.
    pub transfer: Option<TransferInfo>,
}

impl NotificationReply {
    /// Reads a request to the notify URL (`method` and its raw body) and confirms it with the
    /// service. Give it at most [`NOTIFICATION_BODY_LIMIT`] + 1 bytes of the body.
    pub async fn for_request(client: &Client, method: &str, body: &[u8]) -> NotificationReply {
        if body.len() > NOTIFICATION_BODY_LIMIT {
            return too_large();
        }
        Self::for_event(client, NotificationEvent::from_request(body, method)).await
    }

    /// The same for form fields a web framework already decoded; their size counts as the body's.
    pub async fn for_fields<I, K, V>(client: &Client, method: &str, fields: I) -> NotificationReply
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let fields: Vec<(K, V)> = fields.into_iter().collect();
        let size: usize = fields
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
            .sum();
        if size > NOTIFICATION_BODY_LIMIT {
            return too_large();
        }
        Self::for_event(client, NotificationEvent::from_fields(fields, method)).await
    }

    async fn for_event(client: &Client, read: Result<NotificationEvent>) -> NotificationReply {
        let notification = match read {
            Err(e) => {
                return reply(
                    400,
                    "invalid notification",
                    format!("unreadable notification: {e}"),
                    None,
                )
            }
            Ok(NotificationEvent::Ping) => return reply(200, "OK", "a ping".into(), None),
            Ok(NotificationEvent::Transfer(n)) => n,
        };
        let query = TransferQuery::TransactionId(notification.transaction_id.clone());
        match client.transfer_status(&query).await {
            Ok(infos) => {
                let info = infos
                    .into_iter()
                    .find(|i| i.transaction_id == notification.transaction_id);
                Self::decide(notification, info)
            }
            Err(e) if e.kind() == ErrorKind::Validation => reply(
                400,
                "notification refused",
                format!("the notified transaction_id cannot be looked up: {e}"),
                Some(notification),
            ),
            Err(e) => {
                let why = if e.kind() == ErrorKind::NotFound {
                    "CinetPay does not show the notified transfer yet".to_string()
                } else {
                    format!("CinetPay could not be asked about the notified transfer: {e}")
                };
                reply(503, "try again later", why, Some(notification))
            }
        }
    }

    /// The answer once the service was asked: `info` is what it shows under the notified id.
    fn decide(notification: Notification, info: Option<TransferInfo>) -> NotificationReply {
        let Some(info) = info else {
            let why = "CinetPay does not show the notified transfer yet".to_string();
            return reply(503, "try again later", why, Some(notification));
        };
        if let Err(e) = notification.check_identity(&info) {
            return reply(400, "notification refused", e.to_string(), Some(notification));
        }
        if !info.treatment_status.is_final() {
            let why = format!(
                "CinetPay shows the notified transfer as {}, not final yet",
                info.treatment_status.as_str()
            );
            return reply(503, "try again later", why, Some(notification));
        }
        if let Err(e) = notification.check_status(&info) {
            return reply(400, "notification refused", e.to_string(), Some(notification));
        }
        let why = format!("confirmed: {}", info.treatment_status.as_str());
        NotificationReply {
            transfer: Some(info),
            ..reply(200, "OK", why, Some(notification))
        }
    }
}

fn reply(
    status: u16,
    body: &'static str,
    reason: String,
    notification: Option<Notification>,
) -> NotificationReply {
    NotificationReply {
        status,
        body,
        reason,
        notification,
        transfer: None,
    }
}

fn too_large() -> NotificationReply {
    let why = format!("notification body over {NOTIFICATION_BODY_LIMIT} bytes: not read");
    reply(413, "notification too large", why, None)
}

/// CinetPay pings the notify URL with bare GETs; notifications are POSTs.
fn is_ping_method(method: &str) -> bool {
    method.eq_ignore_ascii_case("GET")
}

fn mismatch(field: &str, notified: &str, actual: &str) -> Error {
    let mut err = Error::of(
        ErrorKind::NotificationMismatch,
        Message::new("notification-mismatch")
            .text("field", field)
            .quoted("notified", notified)
            .quoted("actual", actual),
    );
    err.set_field(field);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_and_notifications_are_told_apart() {
        assert_eq!(
            NotificationEvent::from_request(b"", "GET").unwrap(),
            NotificationEvent::Ping
        );
        assert_eq!(
            NotificationEvent::from_request(b"", "POST").unwrap(),
            NotificationEvent::Ping
        );
        let body =
            b"transaction_id=EA1.2.M3&client_transaction_id=order-1&amount=500&treatment_status=VAL&lot=9";
        let NotificationEvent::Transfer(n) = NotificationEvent::from_request(body, "POST").unwrap() else {
            panic!("not a transfer notification");
        };
        assert_eq!(n.amount, Some(500));
        assert_eq!(n.treatment_status, Some(TreatmentStatus::Val));
        let err = NotificationEvent::from_request(b"amount=500", "POST").unwrap_err();
        assert_eq!(err.field(), Some("transaction_id"));
    }

    fn info(status: TreatmentStatus) -> TransferInfo {
        TransferInfo {
            transaction_id: "EA1.2.M3".into(),
            client_transaction_id: Some("order-1".into()),
            lot: Some("9".into()),
            amount: 500,
            receiver: None,
            receiver_e164: None,
            operator: None,
            sending_status: None,
            transfer_valid: None,
            treatment_status: status,
            comment: None,
            validated_at: None,
            operator_transaction_id: None,
        }
    }

    fn notified(fields: &str) -> Notification {
        match NotificationEvent::from_request(fields.as_bytes(), "POST").unwrap() {
            NotificationEvent::Transfer(n) => n,
            NotificationEvent::Ping => panic!("a ping"),
        }
    }

    const GENUINE: &str =
        "transaction_id=EA1.2.M3&client_transaction_id=order-1&amount=500&treatment_status=VAL";

    #[test]
    fn a_final_agreeing_transfer_is_handed_over_with_200() {
        let r = NotificationReply::decide(notified(GENUINE), Some(info(TreatmentStatus::Val)));
        assert_eq!((r.status, r.body), (200, "OK"));
        assert_eq!(r.transfer, Some(info(TreatmentStatus::Val)));
    }

    #[test]
    fn a_transfer_the_lookup_does_not_show_final_or_at_all_yet_is_503() {
        for lagging in [TreatmentStatus::Rec, TreatmentStatus::New, TreatmentStatus::Nos] {
            let r = NotificationReply::decide(notified(GENUINE), Some(info(lagging)));
            assert_eq!((r.status, r.transfer), (503, None), "{}", r.reason);
        }
        let r = NotificationReply::decide(notified(GENUINE), None);
        assert_eq!((r.status, r.transfer), (503, None));
        // Without a claimed status, a non-final transfer is still not handed over.
        let r = NotificationReply::decide(
            notified("transaction_id=EA1.2.M3"),
            Some(info(TreatmentStatus::Rec)),
        );
        assert_eq!(r.status, 503);
    }

    #[test]
    fn an_id_amount_or_final_status_that_disagrees_is_400_even_while_lagging() {
        let forged_amount = GENUINE.replace("amount=500", "amount=90000");
        let forged_id = GENUINE.replace("order-1", "order-2");
        for body in [forged_amount, forged_id] {
            for status in [TreatmentStatus::Val, TreatmentStatus::Rec] {
                let r = NotificationReply::decide(notified(&body), Some(info(status)));
                assert_eq!((r.status, r.transfer), (400, None), "{}", r.reason);
            }
        }
        let r = NotificationReply::decide(notified(GENUINE), Some(info(TreatmentStatus::Rej)));
        assert_eq!((r.status, r.transfer), (400, None));
        assert!(r.reason.contains("treatment_status"), "{}", r.reason);
    }

    #[tokio::test]
    async fn pings_garbage_and_large_bodies_are_answered_without_asking_the_service() {
        // Nothing listens on port 9: any lookup would end in a 503, not in these answers.
        let client = Client::builder()
            .credentials("key", "password")
            .base_url("http://127.0.0.1:9/v1")
            .retry(crate::RetryPolicy {
                max_attempts: 1,
                initial_backoff: std::time::Duration::from_millis(1),
                max_backoff: std::time::Duration::from_millis(1),
            })
            .build()
            .unwrap();
        let ping = NotificationReply::for_request(&client, "GET", b"").await;
        assert_eq!((ping.status, ping.notification), (200, None));
        let garbage = NotificationReply::for_request(&client, "POST", b"amount=500").await;
        assert_eq!(garbage.status, 400);
        let mut large = GENUINE.as_bytes().to_vec();
        large.extend(std::iter::repeat_n(b'x', NOTIFICATION_BODY_LIMIT));
        assert_eq!(
            NotificationReply::for_request(&client, "POST", &large)
                .await
                .status,
            413
        );
        let comment = "x".repeat(NOTIFICATION_BODY_LIMIT);
        let fields = [("transaction_id", "EA1.2.M3"), ("comment", comment.as_str())];
        assert_eq!(
            NotificationReply::for_fields(&client, "POST", fields)
                .await
                .status,
            413
        );
        let unreachable = NotificationReply::for_request(&client, "POST", GENUINE.as_bytes()).await;
        assert_eq!(unreachable.status, 503, "{}", unreachable.reason);
        assert!(unreachable.notification.is_some());
    }
}
