//! Errors as Kotlin and Swift see them: one sealed hierarchy, one subclass per kind of the core.
//!
//! The Rust enum is named `CinetPayError` because uniffi renames error types for Kotlin by
//! replacing a trailing `Error` with `Exception`: Kotlin reads `CinetPayException` with subclasses
//! `CinetPayException.InsufficientBalance`, ... (a Rust enum named `CinetPayException` would give
//! `CinetPayExceptionException`); Swift keeps `CinetPayError`.
//!
//! Every variant carries the same fields as the core's [`cinetpay_transfer::Error`] accessors.
//! None is called `message`: that would clash with `Throwable.message` and break the Kotlin build.
//! The Kotlin `message` is uniffi's dump of the fields (`detail=..., code=..., ...`), `toString()`
//! is the core's text. `kind()` and `details()` work on the base class, so callers who do not want
//! a `when` over the subclasses still get every field. Per-item failures inside results (a payout
//! of a batch refused) are not thrown: they are an [`ErrorDetails`] record in the item.
//!
//! The variant list is written once, in the `kinds!` invocation below, and generates the
//! exception, the [`ErrorKind`] enum and the conversions, so the three cannot drift apart.

use cinetpay_transfer as core;

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal ),* $(,)?) => {
        /// A failed call. One subclass per kind; every kind has the same fields.
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
        #[uniffi::export(Display)]
        pub enum CinetPayError {
            $(
                $(#[$doc])*
                $variant {
                    /// Human-readable explanation (the core's text).
                    detail: String,
                    /// CinetPay's response code (`602`, `724`, ...), when the service answered with one.
                    code: Option<i64>,
                    /// CinetPay's `message` (`INSUFFICIENT_BALANCE`, ...).
                    api_message: Option<String>,
                    /// CinetPay's `description`, in the language asked for.
                    description: Option<String>,
                    /// HTTP status of the answer, when there was one.
                    http_status: Option<i32>,
                    /// For validation errors: the input field at fault, in Kotlin/Swift letter
                    /// case (`amount`, `notifyUrl`, `limits.countries.225.minAmount`, ...).
                    field: Option<String>,
                    /// For validation errors on a list: the position of the item at fault.
                    index: Option<i32>,
                    /// For `OutcomeUnknown`: the payouts to look up before any new attempt.
                    client_transaction_ids: Vec<String>,
                    /// Whether the same request may succeed later (transport failure, 5xx, 429):
                    /// the core's rule.
                    is_retryable: bool,
                },
            )*
        }

        /// What the caller can do about a failure; the same kinds in every language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum ErrorKind {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorKind {
            /// The core's stable snake_case name (`"insufficient_balance"`, ...).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( ErrorKind::$variant => $name, )*
                }
            }

            fn from_core(kind: core::ErrorKind) -> Self {
                match kind.as_str() {
                    $( $name => ErrorKind::$variant, )*
                    // The core's enum is non_exhaustive: a kind added there and not here yet
                    // surfaces as a service error (the raw code and detail are still attached).
                    // `every_core_kind_has_a_variant` below catches it in CI.
                    _ => ErrorKind::Service,
                }
            }
        }

        impl CinetPayError {
            fn from_details(d: ErrorDetails) -> Self {
                let ErrorDetails {
                    kind, detail, code, api_message, description, http_status, field, index,
                    client_transaction_ids, is_retryable,
                } = d;
                match kind {
                    $( ErrorKind::$variant => CinetPayError::$variant {
                        detail, code, api_message, description, http_status, field, index,
                        client_transaction_ids, is_retryable,
                    }, )*
                }
            }

            fn to_details(&self) -> ErrorDetails {
                match self.clone() {
                    $( CinetPayError::$variant {
                        detail, code, api_message, description, http_status, field, index,
                        client_transaction_ids, is_retryable,
                    } => ErrorDetails {
                        kind: ErrorKind::$variant,
                        detail, code, api_message, description, http_status, field, index,
                        client_transaction_ids, is_retryable,
                    }, )*
                }
            }
        }
    };
}

kinds! {
    /// Credentials or token refused (701, 703, and 705/706/707 once a fresh token did not help),
    /// or the token provider refused.
    Authentication = "authentication",
    /// Input refused, by the SDK before sending or by the service (704, 716-720, 725, 801, 802).
    Validation = "validation",
    /// The transfer balance is too low (602).
    InsufficientBalance = "insufficient_balance",
    /// No such transfer, lot or id (723).
    NotFound = "not_found",
    /// The phone number is not in the merchant's contacts (724): add it first, or use `pay`.
    NotAContact = "not_a_contact",
    /// The `client_transaction_id` was used before (805).
    DuplicateTransaction = "duplicate_transaction",
    /// The operator or payment method is not supported (721, 804).
    OperatorUnavailable = "operator_unavailable",
    /// The service failed or refused for its own reasons (-1, 702, 708-715, 5xx, 429, unknown codes).
    Service = "service",
    /// The request could not be delivered (connection refused, DNS, timeout of a read call).
    Transport = "transport",
    /// A payout may or may not have been executed: look `client_transaction_ids` up before retrying.
    OutcomeUnknown = "outcome_unknown",
    /// The service answered something the SDK cannot read.
    Protocol = "protocol",
    /// A notification disagrees with what the service says about the transfer: do not trust it.
    NotificationMismatch = "notification_mismatch",
}

/// The fields of an error as a plain record: thrown errors give it through `details()`, and
/// results carry it for items that failed inside a successful call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorDetails {
    /// What the caller can do about it.
    pub kind: ErrorKind,
    /// Human-readable explanation.
    pub detail: String,
    /// CinetPay's response code, when the service answered with one.
    pub code: Option<i64>,
    /// CinetPay's `message`.
    pub api_message: Option<String>,
    /// CinetPay's `description`.
    pub description: Option<String>,
    /// HTTP status of the answer, when there was one.
    pub http_status: Option<i32>,
    /// The input field at fault: the core's path in camelCase (`core::Error::field_camel_case`).
    pub field: Option<String>,
    /// The position of the item at fault in the list given.
    pub index: Option<i32>,
    /// Payouts to look up before any new attempt (outcome unknown).
    pub client_transaction_ids: Vec<String>,
    /// Whether the same request may succeed later: the core's rule.
    pub is_retryable: bool,
}

impl From<&core::Error> for ErrorDetails {
    fn from(e: &core::Error) -> Self {
        ErrorDetails {
            kind: ErrorKind::from_core(e.kind()),
            detail: e.detail().to_owned(),
            code: e.code(),
            api_message: e.api_message().map(str::to_owned),
            description: e.description().map(str::to_owned),
            http_status: e.http_status().map(i32::from),
            field: e.field_camel_case(),
            index: e.index().map(|i| i32::try_from(i).unwrap_or(i32::MAX)),
            client_transaction_ids: e.client_transaction_ids().to_vec(),
            is_retryable: e.is_retryable(),
        }
    }
}

impl From<core::Error> for CinetPayError {
    fn from(e: core::Error) -> Self {
        CinetPayError::from_details(ErrorDetails::from(&e))
    }
}

#[uniffi::export]
impl CinetPayError {
    /// The kind, without a `when` over the subclasses.
    pub fn kind(&self) -> ErrorKind {
        self.to_details().kind
    }

    /// Every field as a record.
    pub fn details(&self) -> ErrorDetails {
        self.to_details()
    }
}

impl std::fmt::Display for CinetPayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.to_details();
        write!(f, "{}: {}", d.kind.as_str(), d.detail)?;
        if let Some(field) = &d.field {
            write!(f, " [field: {field}")?;
            if let Some(i) = d.index {
                write!(f, ", item {i}")?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl std::error::Error for CinetPayError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_the_cores_path_in_camel_case() {
        let err: CinetPayError = core::Error::validation("notify_url", Some(1), "not a URL").into();
        assert_eq!(err.details().field.as_deref(), Some("notifyUrl"));
    }

    #[test]
    fn every_core_kind_has_a_variant_of_the_same_name() {
        for &kind in core::ErrorKind::ALL {
            assert_eq!(
                ErrorKind::from_core(kind).as_str(),
                kind.as_str(),
                "core kind {kind:?} has no Kotlin/Swift variant"
            );
        }
    }

    #[test]
    fn fields_survive_the_conversion() {
        let err: CinetPayError =
            core::Error::from_api(602, Some("INSUFFICIENT_BALANCE".into()), None, Some(402)).into();
        let CinetPayError::InsufficientBalance {
            code, http_status, ..
        } = &err
        else {
            panic!("wrong variant: {err:?}");
        };
        assert_eq!((*code, *http_status), (Some(602), Some(402)));
        assert_eq!(err.kind(), ErrorKind::InsufficientBalance);
        assert_eq!(err.details().api_message.as_deref(), Some("INSUFFICIENT_BALANCE"));
        assert!(!err.details().is_retryable);
        let unavailable: CinetPayError = core::Error::from_api(-1, None, None, Some(503)).into();
        assert!(unavailable.details().is_retryable);
    }
}
