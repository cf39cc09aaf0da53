//! The notification CinetPay sends to a payout's `notify_url`, and why it is never trusted alone.
//!
//! Transfer notifications carry no signature: anyone who learns the URL can post a "VAL". The
//! provider's advice is to treat the body as a hint and ask the API for the truth, which is what
//! [`crate::Client::confirm_notification`] does. This module only reads the body. The service
//! also pings the URL with bare requests carrying no data; those are recognised as
//! [`NotificationEvent::Ping`] so that web handlers can answer 200 and move on.

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{TransferInfo, TreatmentStatus};
use crate::wire::read_int;

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
    /// Reads a request to the notify URL: `method` (`GET`, `POST`) and its form-encoded body.
    pub fn from_request(method: &str, body: &[u8]) -> Result<Self> {
        if is_ping_method(method) || body.iter().all(u8::is_ascii_whitespace) {
            return Ok(NotificationEvent::Ping);
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|e| {
            Error::new(
                ErrorKind::Validation,
                format!("notification body is not form-encoded: {e}"),
            )
        })?;
        Self::from_fields(method, pairs)
    }

    /// Reads a request whose form fields a web framework already decoded (`request.POST`,
    /// `req.body`). A GET is a ping whatever it carries, and so is a request with no field at
    /// all; fields without `transaction_id` are an error.
    pub fn from_fields<I, K, V>(method: &str, pairs: I) -> Result<Self>
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
            Error::validation("transaction_id", None, "the notification has no transaction_id")
        })?;
        let amount = match get("amount") {
            None => None,
            Some(raw) => Some(read_int(&serde_json::Value::String(raw.clone())).ok_or_else(|| {
                Error::validation(
                    "amount",
                    None,
                    format!("notification amount {raw:?} is not a whole number"),
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

/// CinetPay pings the notify URL with bare GETs; notifications are POSTs.
fn is_ping_method(method: &str) -> bool {
    method.eq_ignore_ascii_case("GET")
}

fn mismatch(field: &str, notified: &str, actual: &str) -> Error {
    let mut err = Error::new(
        ErrorKind::NotificationMismatch,
        format!("notification says {field} {notified:?} but CinetPay says {actual:?}: not trusted"),
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
            NotificationEvent::from_request("GET", b"").unwrap(),
            NotificationEvent::Ping
        );
        assert_eq!(
            NotificationEvent::from_request("POST", b"").unwrap(),
            NotificationEvent::Ping
        );
        let body =
            b"transaction_id=EA1.2.M3&client_transaction_id=order-1&amount=500&treatment_status=VAL&lot=9";
        let NotificationEvent::Transfer(n) = NotificationEvent::from_request("POST", body).unwrap() else {
            panic!("not a transfer notification");
        };
        assert_eq!(n.amount, Some(500));
        assert_eq!(n.treatment_status, Some(TreatmentStatus::Val));
        let err = NotificationEvent::from_request("POST", b"amount=500").unwrap_err();
        assert_eq!(err.field(), Some("transaction_id"));
    }
}
