//! One payout and its life: NEW, (NOS while awaiting confirmation,) REC, then VAL or REJ.
//!
//! A step is taken at its scheduled sandbox time and says when the next one falls due; the books
//! keep those times in a queue (`due.rs`), so moving the clock (by hand or in real time) replays
//! exactly the steps that fell due, each stamped with its own scheduled time.
//!
//! The rejection rule tests rely on: a payout whose national phone number ends in `000` is rejected
//! (REJ) when processed; every other payout is paid (VAL).

use serde::{Deserialize, Serialize};

use crate::clock::{millis, Civil};
use crate::config::Delays;

/// `treatment_status` of a payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TreatmentStatus {
    /// Accepted, waiting to be processed.
    New,
    /// Awaiting the merchant's confirmation.
    Nos,
    /// Being processed.
    Rec,
    /// Paid (final).
    Val,
    /// Rejected and refunded (final).
    Rej,
}

impl TreatmentStatus {
    /// The wire value (`"NEW"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TreatmentStatus::New => "NEW",
            TreatmentStatus::Nos => "NOS",
            TreatmentStatus::Rec => "REC",
            TreatmentStatus::Val => "VAL",
            TreatmentStatus::Rej => "REJ",
        }
    }
}

/// `sending_status` of a payout: whether the merchant confirmed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SendingStatus {
    /// Confirmed (always, for a whitelisted merchant).
    Confirm,
    /// Awaiting the merchant's confirmation.
    Pending,
}

impl SendingStatus {
    /// The wire value (`"CONFIRM"` or `"PENDING"`).
    pub fn as_str(self) -> &'static str {
        match self {
            SendingStatus::Confirm => "CONFIRM",
            SendingStatus::Pending => "PENDING",
        }
    }
}

/// A payout as the ledger shows it (admin API and [`crate::Sandbox::ledger`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// API key of the merchant who sent it.
    pub merchant: String,
    /// The service's id (`EA180627.122753.M279245`).
    pub transaction_id: String,
    /// The merchant's id, its idempotency key.
    pub client_transaction_id: String,
    /// The batch (one per accepted send request).
    pub lot: String,
    /// Calling prefix without `+`.
    pub prefix: String,
    /// National number.
    pub phone: String,
    /// ISO country code of the prefix (the balance debited).
    pub country: String,
    /// Amount in XOF.
    pub amount: u64,
    /// Operator paying it (the `payment_method` given, or the one detected).
    pub operator: String,
    /// Where the final notification goes.
    pub notify_url: String,
    /// Current treatment status.
    pub treatment_status: TreatmentStatus,
    /// Current sending status.
    pub sending_status: SendingStatus,
    /// `comment` as check/money shows it.
    pub comment: Option<String>,
    /// Acceptance time, milliseconds since the epoch on the sandbox clock.
    pub accepted_at_ms: u64,
    /// Time of VAL (`YYYY-MM-DD HH:MM:SS`, UTC), null otherwise.
    pub validated_at: Option<String>,
    /// Operator's reference, set on VAL.
    pub operator_transaction_id: Option<String>,
    /// How many send requests recorded this payout: 1, always (the invariant tests assert).
    pub accepted_count: u32,
    /// How many processed send requests carried its `client_transaction_id`, 805 answers included.
    pub send_attempts: u32,
}

/// A payout in the sandbox's state.
#[derive(Debug, Clone)]
pub struct Payout {
    /// What the ledger shows.
    pub entry: LedgerEntry,
}

/// What a step did, when it made the payout final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Final {
    /// Paid: the hold leaves the account.
    Paid,
    /// Rejected: the hold goes back to `available`.
    Rejected,
}

/// What follows a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stepped {
    /// The next step falls due at this sandbox time.
    Next(u64),
    /// Nothing is scheduled: the payout awaits the merchant's confirmation, or was already final.
    Idle,
    /// The step made the payout final.
    Final(Final),
}

impl Payout {
    /// Takes the step scheduled at `at` (sandbox time), stamped with that time.
    pub fn step(&mut self, at: u64, delays: &Delays) -> Stepped {
        let e = &mut self.entry;
        match e.treatment_status {
            TreatmentStatus::New if e.sending_status == SendingStatus::Pending => {
                e.treatment_status = TreatmentStatus::Nos;
                e.comment = Some("Awaiting merchant confirmation".into());
                Stepped::Idle
            }
            TreatmentStatus::New | TreatmentStatus::Nos => {
                e.treatment_status = TreatmentStatus::Rec;
                e.comment = None;
                Stepped::Next(at + millis(delays.to_final))
            }
            TreatmentStatus::Rec => {
                if e.phone.ends_with("000") {
                    e.treatment_status = TreatmentStatus::Rej;
                    e.comment = Some("Rejected by the operator (sandbox rule: number ends in 000)".into());
                    Stepped::Final(Final::Rejected)
                } else {
                    e.treatment_status = TreatmentStatus::Val;
                    e.comment = Some("Transfer successful".into());
                    let when = Civil::from_ms(at);
                    let serial = e.transaction_id.rsplit('M').next().unwrap_or_default();
                    e.validated_at = Some(when.datetime());
                    e.operator_transaction_id = Some(format!("MP{}.{serial}", when.compact()));
                    Stepped::Final(Final::Paid)
                }
            }
            TreatmentStatus::Val | TreatmentStatus::Rej => Stepped::Idle,
        }
    }

    /// Records the merchant's confirmation of a pending payout. True when it was waiting for it
    /// (NOS) and goes to REC now; a NEW one keeps its schedule.
    pub fn confirm(&mut self) -> bool {
        self.entry.sending_status = SendingStatus::Confirm;
        self.entry.treatment_status == TreatmentStatus::Nos
    }

    /// The notification form fields, as the service posts them.
    pub fn notification_fields(&self) -> Vec<(String, String)> {
        let e = &self.entry;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("transaction_id".into(), e.transaction_id.clone()),
            ("client_transaction_id".into(), e.client_transaction_id.clone()),
            ("lot".into(), e.lot.clone()),
            ("amount".into(), e.amount.to_string()),
            ("receiver".into(), e.phone.clone()),
            ("sending_status".into(), e.sending_status.as_str().into()),
            ("comment".into(), opt(&e.comment)),
            ("treatment_status".into(), e.treatment_status.as_str().into()),
            ("operator_transaction_id".into(), opt(&e.operator_transaction_id)),
            ("validated_at".into(), opt(&e.validated_at)),
        ]
    }
}
