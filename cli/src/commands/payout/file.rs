//! The payout file, read as a stream: never held in memory, whatever its size.
//!
//! A payroll file may have 100,000 rows; holding its rows, their ids and their results at once
//! took 300 MB. So the file is read one record at a time, and as few times as possible: a run
//! starting in a new journal reads it once (`check_with_ids`: every row checked, all faults
//! reported before anything else happens, each row handed with its id to the journal as it goes,
//! the bytes hashed); a run that continues reads it once to check it and hash it (`check`), and
//! once more, checked and hashed again, when its bytes are not those of the journal's run
//! (`rows`, held in memory to be compared with the journal). A run never reads the file while
//! it sends: the journal holds what is sent. The occurrence counts of `identity::Ids` are the only
//! memory of a pass that grows with the file.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use cinetpay_transfer::Limits;
use sha2::{Digest, Sha256};

use crate::csv_input::{check_payouts, PayoutRow, RowError};
use crate::exit::{CliError, Exit};
use crate::i18n::{t, text};
use crate::identity::Ids;

use super::count_and_xof;
use super::packed_rows::PackedRows;

/// A checked payout file: where it is, and what the first pass learnt of it.
pub(super) struct PayoutFile {
    path: PathBuf,
    default_notify_url: Option<String>,
    /// Hex SHA-256 of the bytes that were checked.
    pub sha256: String,
    /// Rows of the file: count and XOF total ...
    pub all: (u64, i64),
    /// ... of which rows without their own `client_transaction_id`.
    pub derived: (u64, i64),
}

impl PayoutFile {
    /// Refuses a file that cannot be opened, as a fault of the file (exit 2).
    pub fn readable(path: &Path) -> Result<(), CliError> {
        File::open(path).map(drop).map_err(|e| cannot_read(path, &e))
    }

    /// The first pass: every row checked (every fault, by line), the bytes hashed, the totals.
    pub fn check(
        path: &Path,
        default_notify_url: Option<&str>,
    ) -> Result<Result<Self, Vec<RowError>>, CliError> {
        Self::check_each(path, default_notify_url, |_| {})
    }

    /// The first pass of a run starting now (`start::start`), with each row's id in run
    /// `run`: the file is read and checked on a thread of its own, and every row, with its id, is
    /// handed to `each` on the calling thread, a batch at a time as the pass goes, so that the
    /// journal's inserts overlap the reading. Rows are handed over only while no fault was found:
    /// a refused file may have had some of its rows handed over, never all. An error of `each`
    /// stops the handing over and is returned once the pass ends.
    pub fn check_with_ids(
        path: &Path,
        default_notify_url: Option<&str>,
        run: &str,
        mut each: impl FnMut(String, PayoutRow) -> Result<(), CliError>,
    ) -> Result<Result<Self, Vec<RowError>>, CliError> {
        const BATCH: usize = 1024;
        std::thread::scope(|scope| {
            let (batches, taken) = std::sync::mpsc::sync_channel::<PackedRows>(4);
            let checker = scope.spawn(move || {
                let mut ids = Ids::new(run);
                let mut batch = PackedRows::with_capacity(BATCH);
                let mut taking = true;
                let checked = Self::check_each(path, default_notify_url, |row| {
                    if taking {
                        batch.push(&ids.next(&row), &row);
                        if batch.len() == BATCH {
                            let full = std::mem::replace(&mut batch, PackedRows::with_capacity(BATCH));
                            taking = batches.send(full).is_ok();
                        }
                    }
                });
                if taking && !batch.is_empty() {
                    let _ = batches.send(batch);
                }
                checked
            });
            let mut handed = Ok(());
            'batches: while let Ok(batch) = taken.recv() {
                for (id, row) in batch.rows() {
                    handed = each(id, row);
                    if handed.is_err() {
                        break 'batches;
                    }
                }
            }
            drop(taken);
            let checked = checker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            handed.and(checked)
        })
    }

    fn check_each(
        path: &Path,
        default_notify_url: Option<&str>,
        mut each: impl FnMut(PayoutRow),
    ) -> Result<Result<Self, Vec<RowError>>, CliError> {
        let file = File::open(path).map_err(|e| cannot_read(path, &e))?;
        let mut reader = Hashing {
            inner: file,
            hasher: Sha256::new(),
            error: None,
        };
        let limits = Limits::default();
        let (mut all, mut derived) = ((0, 0), (0, 0));
        let checked = check_payouts(&mut reader, default_notify_url, &limits, |row| {
            let add = |(n, total): &mut (u64, i64)| {
                *n += 1;
                *total += row.amount;
            };
            add(&mut all);
            if row.client_transaction_id.is_none() {
                add(&mut derived);
            }
            each(row);
        });
        if let Some(e) = reader.error {
            return Err(cannot_read(path, &e));
        }
        // The parser may stop before the end (a bad header): hash the bytes it did not read.
        io::copy(&mut reader, &mut io::sink()).map_err(|e| cannot_read(path, &e))?;
        Ok(checked.map(|()| PayoutFile {
            path: path.to_owned(),
            default_notify_url: default_notify_url.map(str::to_owned),
            sha256: format!("{:x}", reader.hasher.finalize()),
            all,
            derived,
        }))
    }

    /// The file read again, each row with its id in run `run` (in the file's order), checked and
    /// hashed as the first pass was: what is kept of it is what was checked. A file that no longer
    /// reads as it did then (other bytes, or a fault) is refused.
    pub fn rows(&self, run: &str) -> Result<Vec<(String, PayoutRow)>, CliError> {
        let mut rows = Vec::new();
        let again = Self::check_with_ids(&self.path, self.default_notify_url.as_deref(), run, |id, row| {
            rows.push((id, row));
            Ok(())
        })?
        .map_err(|faults| self.changed(&faults))?;
        if again.sha256 != self.sha256 {
            return Err(self.changed(&[]));
        }
        Ok(rows)
    }

    /// `N row(s), X XOF` of every row of the file.
    pub fn all_rows(&self) -> String {
        count_and_xof(self.all.0, self.all.1)
    }

    fn changed(&self, faults: &[RowError]) -> CliError {
        let first = faults.first().map_or_else(String::new, |f| format!(" ({f})"));
        CliError::new(
            Exit::Error,
            t!(
                "file-changed-while-reading",
                file = text(self.path.display()),
                first = text(first)
            ),
        )
    }
}

fn cannot_read(path: &Path, e: &io::Error) -> CliError {
    CliError::invalid(t!("cannot-read", path = text(path.display()), reason = text(e)))
}

/// Hashes what is read through it; keeps the first read error (the parser reports it by line,
/// but it is about the file, not a row).
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    error: Option<io::Error>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                Ok(n)
            }
            Err(e) => {
                let again = io::Error::new(e.kind(), e.to_string());
                self.error.get_or_insert(e);
                Err(again)
            }
        }
    }
}
