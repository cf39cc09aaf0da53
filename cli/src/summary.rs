//! What a set of payouts adds up to, and the exit code it means.
//!
//! The journal has seven row states; a person wants five answers: paid, rejected (by the
//! operator, money back), failed (refused or never delivered, no money left), still pending, and
//! unknown (may have been recorded; a rerun looks it up). Each with a count and an XOF total.

use serde::Serialize;

use crate::exit::Exit;
use crate::journal::{JournalRow, RowState};

/// Count and total amount of one bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub count: u64,
    pub amount_xof: i64,
}

impl Tally {
    fn add(&mut self, amount: i64) {
        self.count += 1;
        self.amount_xof += amount;
    }

    fn remove(&mut self, amount: i64) {
        self.count = self.count.saturating_sub(1);
        self.amount_xof -= amount;
    }
}

/// The five buckets of a run, and their sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub paid: Tally,
    pub rejected: Tally,
    pub failed: Tally,
    pub pending: Tally,
    pub unknown: Tally,
    pub total: Tally,
}

impl Totals {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a JournalRow>) -> Totals {
        let mut totals = Totals::default();
        for row in rows {
            totals.bucket_mut(row.state).add(row.amount);
            totals.total.add(row.amount);
        }
        totals
    }

    /// The totals of counts and XOF per state (`Journal::tallies`), without reading the rows.
    pub fn of_tallies(tallies: &[(RowState, u64, i64)]) -> Totals {
        let mut totals = Totals::default();
        for &(state, count, amount) in tallies {
            let bucket = totals.bucket_mut(state);
            bucket.count += count;
            bucket.amount_xof += amount;
            totals.total.count += count;
            totals.total.amount_xof += amount;
        }
        totals
    }

    /// Moves one payout of `amount` from one state to another: a run keeps its totals as it
    /// records changes, instead of adding up every row again.
    pub fn shift(&mut self, from: RowState, to: RowState, amount: i64) {
        self.bucket_mut(from).remove(amount);
        self.bucket_mut(to).add(amount);
    }

    fn bucket_mut(&mut self, state: RowState) -> &mut Tally {
        match state {
            RowState::Paid => &mut self.paid,
            RowState::Rejected => &mut self.rejected,
            RowState::Failed => &mut self.failed,
            RowState::Pending | RowState::Accepted => &mut self.pending,
            RowState::Sending | RowState::Unknown => &mut self.unknown,
        }
    }

    /// The buckets with their names, in display order.
    pub fn named(&self) -> [(&'static str, Tally); 5] {
        [
            ("paid", self.paid),
            ("rejected", self.rejected),
            ("failed", self.failed),
            ("pending", self.pending),
            ("unknown", self.unknown),
        ]
    }

    /// Anything undecided wins (exit 4: look again later), then any failure (3), else 0.
    pub fn exit(&self) -> Exit {
        if self.pending.count + self.unknown.count > 0 {
            Exit::Unfinished
        } else if self.rejected.count + self.failed.count > 0 {
            Exit::PartialFailure
        } else {
            Exit::Ok
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: RowState, amount: i64) -> JournalRow {
        JournalRow {
            line: 2,
            client_transaction_id: "x".into(),
            prefix: "225".into(),
            phone: "0701020304".into(),
            amount,
            notify_url: "https://m.example/n".into(),
            state,
            transaction_id: None,
            lot: None,
            treatment_status: None,
            error: None,
            earlier: false,
            rowid: 0,
        }
    }

    #[test]
    fn buckets_totals_and_exit_codes() {
        let rows = [
            row(RowState::Paid, 500),
            row(RowState::Paid, 700),
            row(RowState::Rejected, 200),
        ];
        let totals = Totals::of(&rows);
        assert_eq!(
            totals.paid,
            Tally {
                count: 2,
                amount_xof: 1200
            }
        );
        assert_eq!(totals.total.amount_xof, 1400);
        assert_eq!(totals.exit(), Exit::PartialFailure);
        assert_eq!(Totals::of(&rows[..2]).exit(), Exit::Ok);
        let with_unknown = [row(RowState::Rejected, 200), row(RowState::Sending, 200)];
        assert_eq!(Totals::of(&with_unknown).exit(), Exit::Unfinished);

        let mut shifted = Totals::of(&with_unknown);
        shifted.shift(RowState::Sending, RowState::Paid, 200);
        assert_eq!(
            shifted,
            Totals::of(&[row(RowState::Rejected, 200), row(RowState::Paid, 200)])
        );
        let tallies = [(RowState::Paid, 2, 1200), (RowState::Rejected, 1, 200)];
        assert_eq!(Totals::of_tallies(&tallies), totals);
    }
}
