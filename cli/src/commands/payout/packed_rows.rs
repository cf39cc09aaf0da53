//! Rows on their way from the thread that checks a file to the thread that stores them
//! (`PayoutFile::check_with_ids`), every cell of a batch in one string.
//!
//! Handed over as they were made, each row's strings were freed by the storing thread, not by the
//! thread that allocated them, which glibc's malloc does under the allocating thread's arena lock
//! while that thread keeps allocating: a fifth of the storing thread's time on 100,000 rows, the
//! thread the start waited for (issue 13, `perf record`). Packed, the checking thread frees its
//! own rows, the storing thread rebuilds each row from the batch and frees it itself, and one
//! string per batch crosses threads.

use crate::csv_input::PayoutRow;

/// Rows with their ids, in the order they were pushed.
#[derive(Default)]
pub(super) struct PackedRows {
    text: String,
    rows: Vec<PackedRow>,
}

/// Where a row's cells are in `PackedRows::text`; `None` for an optional cell left empty.
struct PackedRow {
    line: u64,
    amount: i64,
    id: Cell,
    prefix: Cell,
    phone: Cell,
    name: Cell,
    surname: Cell,
    notify_url: Cell,
    email: Option<Cell>,
    payment_method: Option<Cell>,
    client_transaction_id: Option<Cell>,
}

type Cell = std::ops::Range<usize>;

impl PackedRows {
    pub fn with_capacity(rows: usize) -> Self {
        PackedRows {
            text: String::new(),
            rows: Vec::with_capacity(rows),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds a copy of `row`, whose id is `id`.
    pub fn push(&mut self, id: &str, row: &PayoutRow) {
        let mut cell = |value: &str| {
            let start = self.text.len();
            self.text.push_str(value);
            start..self.text.len()
        };
        let packed = PackedRow {
            line: row.line,
            amount: row.amount,
            id: cell(id),
            prefix: cell(&row.prefix),
            phone: cell(&row.phone),
            name: cell(&row.name),
            surname: cell(&row.surname),
            notify_url: cell(&row.notify_url),
            email: row.email.as_deref().map(&mut cell),
            payment_method: row.payment_method.as_deref().map(&mut cell),
            client_transaction_id: row.client_transaction_id.as_deref().map(&mut cell),
        };
        self.rows.push(packed);
    }

    /// The rows and their ids, each made anew on the calling thread.
    pub fn rows(&self) -> impl Iterator<Item = (String, PayoutRow)> + '_ {
        let text = |cell: &Cell| self.text[cell.clone()].to_owned();
        self.rows.iter().map(move |r| {
            let row = PayoutRow {
                line: r.line,
                prefix: text(&r.prefix),
                phone: text(&r.phone),
                amount: r.amount,
                name: text(&r.name),
                surname: text(&r.surname),
                email: r.email.as_ref().map(text),
                payment_method: r.payment_method.as_ref().map(text),
                client_transaction_id: r.client_transaction_id.as_ref().map(text),
                notify_url: text(&r.notify_url),
            };
            (text(&r.id), row)
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn any_row() -> impl Strategy<Value = (String, PayoutRow)> {
        let cell = || "\\PC{0,12}";
        let optional = || proptest::option::of("\\PC{0,12}");
        (
            (cell(), any::<u64>(), cell(), cell(), any::<i64>()),
            (cell(), cell(), optional(), optional(), optional(), cell()),
        )
            .prop_map(
                |(
                    (id, line, prefix, phone, amount),
                    (name, surname, email, payment_method, client_transaction_id, notify_url),
                )| {
                    let row = PayoutRow {
                        line,
                        prefix,
                        phone,
                        amount,
                        name,
                        surname,
                        email,
                        payment_method,
                        client_transaction_id,
                        notify_url,
                    };
                    (id, row)
                },
            )
    }

    proptest! {
        /// Every row comes back as it was pushed, with its id, in order: empty cells, optional
        /// cells given empty or left out, and text of any script included.
        #[test]
        fn rows_come_back_as_they_were_pushed(rows in proptest::collection::vec(any_row(), 0..20)) {
            let mut packed = PackedRows::with_capacity(rows.len());
            for (id, row) in &rows {
                packed.push(id, row);
            }
            prop_assert_eq!(packed.len(), rows.len());
            prop_assert_eq!(packed.rows().collect::<Vec<_>>(), rows);
        }
    }
}
