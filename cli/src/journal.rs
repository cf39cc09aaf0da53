//! The journal of a payout run: one SQLite file that makes `payout` safe to run again.
//!
//! Money commands get interrupted (Ctrl-C, a crash, a lost network). The journal records, for
//! every CSV row, the idempotency key it is sent under and what became of it, and every state
//! change is committed before the next step: rows are marked `sending` in a transaction *before*
//! their request leaves (all the rows of a run in one), and each request's rows are updated as soon
//! as it settles. A rerun therefore knows exactly which rows may have
//! reached CinetPay without us hearing back (`sending`, `unknown`) and asks about those before
//! sending anything (see `tracking::reconcile`).
//!
//! Schema (version 1, in `PRAGMA user_version`):
//! - `run`: one row: the CSV path, its SHA-256, when the run was created and last changed.
//! - `payout`: one row per CSV row: line, client_transaction_id (unique), prefix, phone, amount,
//!   state, CinetPay's transaction_id and lot, the last treatment_status, the last error.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::exit::{CliError, Exit};

const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS run (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    csv_path    TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS payout (
    line                  INTEGER PRIMARY KEY,
    client_transaction_id TEXT NOT NULL UNIQUE,
    prefix                TEXT NOT NULL,
    phone                 TEXT NOT NULL,
    amount                INTEGER NOT NULL,
    state                 TEXT NOT NULL CHECK (state IN
                          ('pending','sending','accepted','failed','unknown','paid','rejected')),
    transaction_id        TEXT,
    lot                   TEXT,
    treatment_status      TEXT,
    error                 TEXT,
    updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
";

/// Where a row is in its life. Only `pending` and `failed` rows are ever (re)sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    /// Not sent yet (or a lookup proved it never reached CinetPay).
    Pending,
    /// Its request left or was about to leave; the outcome is not recorded yet.
    Sending,
    /// CinetPay recorded it; not final yet.
    Accepted,
    /// Refused or never delivered; no money left. A rerun sends it again.
    Failed,
    /// May or may not have been recorded: a rerun looks it up before anything else.
    Unknown,
    /// Final: paid (VAL).
    Paid,
    /// Final: rejected by the operator (REJ), money back on the balance.
    Rejected,
}

impl RowState {
    const ALL: [RowState; 7] = [
        RowState::Pending,
        RowState::Sending,
        RowState::Accepted,
        RowState::Failed,
        RowState::Unknown,
        RowState::Paid,
        RowState::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Pending => "pending",
            RowState::Sending => "sending",
            RowState::Accepted => "accepted",
            RowState::Failed => "failed",
            RowState::Unknown => "unknown",
            RowState::Paid => "paid",
            RowState::Rejected => "rejected",
        }
    }

    fn parse(raw: &str) -> Option<RowState> {
        RowState::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the row still needs to be sent by a payout run.
    pub fn to_send(self) -> bool {
        matches!(self, RowState::Pending | RowState::Failed)
    }

    /// Whether CinetPay may hold the row without us knowing: look it up before sending.
    pub fn to_reconcile(self) -> bool {
        matches!(self, RowState::Sending | RowState::Unknown)
    }
}

/// The run a journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub csv_path: String,
    pub file_sha256: String,
    pub created_at: String,
}

/// A row to record at the start of a run (or when a changed file is accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    pub line: u64,
    pub client_transaction_id: String,
    /// True when the id came from the CSV rather than being derived from the file's hash.
    pub id_from_file: bool,
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
}

/// One journaled row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalRow {
    pub line: u64,
    pub client_transaction_id: String,
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
    pub state: RowState,
    pub transaction_id: Option<String>,
    pub lot: Option<String>,
    pub treatment_status: Option<String>,
    pub error: Option<String>,
}

/// A new state for the row with this `client_transaction_id`. `None` ids keep the stored ones;
/// the error is replaced (cleared by `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub client_transaction_id: String,
    pub state: RowState,
    pub transaction_id: Option<String>,
    pub lot: Option<String>,
    pub treatment_status: Option<String>,
    pub error: Option<String>,
}

impl Change {
    pub fn state(client_transaction_id: &str, state: RowState) -> Self {
        Change {
            client_transaction_id: client_transaction_id.to_owned(),
            state,
            transaction_id: None,
            lot: None,
            treatment_status: None,
            error: None,
        }
    }
}

/// An open journal file.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
}

impl Journal {
    /// Opens (creating when absent) the journal at `path`.
    pub fn open(path: &Path) -> Result<Journal, CliError> {
        let conn = Connection::open(path).map_err(|e| storage(path, &e))?;
        let journal = Journal {
            conn,
            path: path.to_owned(),
        };
        journal.init().map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) => CliError::new(
                Exit::Error,
                format!(
                    "the journal {} is in use by another cinetpay process: wait for it to finish",
                    path.display()
                ),
            ),
            _ => journal.fail(&e),
        })?;
        Ok(journal)
    }

    /// Opens an existing journal (for `watch`); a missing file is an input error.
    pub fn open_existing(path: &Path) -> Result<Journal, CliError> {
        if !path.is_file() {
            return Err(CliError::invalid(format!(
                "no journal at {}: give the path used by `cinetpay payout --journal`, or FILE.csv.journal.sqlite",
                path.display()
            )));
        }
        Journal::open(path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn init(&self) -> rusqlite::Result<()> {
        // One process per journal: two runs of the same file at once could each send a row the
        // other has marked. The exclusive lock is taken now and held until the process ends.
        self.conn
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")?;
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(rusqlite::Error::InvalidQuery);
        }
        self.conn.execute_batch("PRAGMA synchronous = FULL;")?;
        self.conn.execute_batch(SCHEMA)?;
        self.conn
            .execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION};"))
    }

    fn fail(&self, e: &rusqlite::Error) -> CliError {
        storage(&self.path, e)
    }

    /// The run this journal holds, if one was started.
    pub fn run(&self) -> Result<Option<Run>, CliError> {
        self.conn
            .query_row(
                "SELECT csv_path, file_sha256, created_at FROM run WHERE id = 1",
                [],
                |r| {
                    Ok(Run {
                        csv_path: r.get(0)?,
                        file_sha256: r.get(1)?,
                        created_at: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.fail(&e))
    }

    /// Starts the run: records the file and every row as `pending`, in one transaction.
    pub fn create_run(&mut self, csv_path: &str, file_sha256: &str, rows: &[NewRow]) -> Result<(), CliError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| storage(&path, &e))?;
        let result = (|| {
            tx.execute(
                "INSERT INTO run (id, csv_path, file_sha256) VALUES (1, ?1, ?2)",
                params![csv_path, file_sha256],
            )?;
            for row in rows {
                insert_row(&tx, row)?;
            }
            Ok(())
        })();
        result.and_then(|()| tx.commit()).map_err(|e| storage(&path, &e))
    }

    /// Accepts a changed file (`--allow-changed-file`). Rows are matched by line: an unchanged row
    /// keeps its id and state; a changed or new row that was never sent gets the new content and
    /// is pending; a row that is gone is dropped when never sent. A row that was sent (or may have
    /// been) and changed or disappeared is refused: its payout exists whatever the file says now.
    pub fn accept_changed_file(&mut self, file_sha256: &str, rows: &[NewRow]) -> Result<(), CliError> {
        let old: Vec<JournalRow> = self.rows()?;
        let mut conflicts = Vec::new();
        for previous in &old {
            let now = rows.iter().find(|r| r.line == previous.line);
            if !unchanged(previous, now) && !previous.state.to_send() {
                conflicts.push(format!(
                    "line {} ({}, {} XOF) is {} but {} in the new file",
                    previous.line,
                    previous.client_transaction_id,
                    previous.amount,
                    previous.state.as_str(),
                    if now.is_some() { "differs" } else { "missing" }
                ));
            }
        }
        if !conflicts.is_empty() {
            return Err(CliError::invalid(format!(
                "the changed file cannot continue this journal:\n  {}\nstart a new journal with --journal PATH",
                conflicts.join("\n  ")
            )));
        }
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| storage(&path, &e))?;
        let result = (|| {
            for previous in &old {
                if !unchanged(previous, rows.iter().find(|r| r.line == previous.line)) {
                    tx.execute("DELETE FROM payout WHERE line = ?1", params![previous.line])?;
                }
            }
            for row in rows {
                let kept: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM payout WHERE line = ?1)",
                    params![row.line],
                    |r| r.get(0),
                )?;
                if !kept {
                    insert_row(&tx, row)?;
                }
            }
            tx.execute(
                "UPDATE run SET file_sha256 = ?1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                params![file_sha256],
            )?;
            Ok(())
        })();
        result.and_then(|()| tx.commit()).map_err(|e| storage(&path, &e))
    }

    /// Every row, by line.
    pub fn rows(&self) -> Result<Vec<JournalRow>, CliError> {
        let read = || -> rusqlite::Result<Vec<JournalRow>> {
            let mut stmt = self.conn.prepare(
                "SELECT line, client_transaction_id, prefix, phone, amount, state, transaction_id, lot,
                        treatment_status, error
                 FROM payout ORDER BY line",
            )?;
            let rows = stmt.query_map([], |r| {
                let state: String = r.get(5)?;
                Ok(JournalRow {
                    line: r.get(0)?,
                    client_transaction_id: r.get(1)?,
                    prefix: r.get(2)?,
                    phone: r.get(3)?,
                    amount: r.get(4)?,
                    state: RowState::parse(&state).unwrap_or(RowState::Unknown),
                    transaction_id: r.get(6)?,
                    lot: r.get(7)?,
                    treatment_status: r.get(8)?,
                    error: r.get(9)?,
                })
            })?;
            rows.collect()
        };
        read().map_err(|e| self.fail(&e))
    }

    /// Applies changes in one transaction (committed before this returns).
    pub fn apply(&mut self, changes: &[Change]) -> Result<(), CliError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| storage(&path, &e))?;
        let result = (|| {
            for c in changes {
                tx.execute(
                    "UPDATE payout SET state = ?2,
                        transaction_id = COALESCE(?3, transaction_id),
                        lot = COALESCE(?4, lot),
                        treatment_status = COALESCE(?5, treatment_status),
                        error = ?6,
                        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                     WHERE client_transaction_id = ?1",
                    params![
                        c.client_transaction_id,
                        c.state.as_str(),
                        c.transaction_id,
                        c.lot,
                        c.treatment_status,
                        c.error
                    ],
                )?;
            }
            Ok(())
        })();
        result.and_then(|()| tx.commit()).map_err(|e| storage(&path, &e))
    }
}

/// Whether a line of the new file is the payout the journal already holds for that line.
fn unchanged(previous: &JournalRow, now: Option<&NewRow>) -> bool {
    now.is_some_and(|r| {
        r.prefix == previous.prefix
            && r.phone == previous.phone
            && r.amount == previous.amount
            && (!r.id_from_file || r.client_transaction_id == previous.client_transaction_id)
    })
}

fn insert_row(tx: &Transaction<'_>, row: &NewRow) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO payout (line, client_transaction_id, prefix, phone, amount, state)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending')",
        params![
            row.line,
            row.client_transaction_id,
            row.prefix,
            row.phone,
            row.amount
        ],
    )
}

fn storage(path: &Path, e: &rusqlite::Error) -> CliError {
    CliError::new(Exit::Error, format!("journal {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_row(line: u64, phone: &str, amount: i64) -> NewRow {
        NewRow {
            line,
            client_transaction_id: format!("id-{line}-{phone}"),
            id_from_file: false,
            prefix: "225".into(),
            phone: phone.into(),
            amount,
        }
    }

    #[test]
    fn states_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let mut journal = Journal::open(&path).unwrap();
        journal
            .create_run(
                "p.csv",
                "abc",
                &[new_row(2, "0701020304", 500), new_row(3, "0701020305", 700)],
            )
            .unwrap();
        journal
            .apply(&[Change {
                transaction_id: Some("T1".into()),
                lot: Some("L1".into()),
                ..Change::state("id-2-0701020304", RowState::Accepted)
            }])
            .unwrap();
        journal
            .apply(&[Change::state("id-2-0701020304", RowState::Paid)])
            .unwrap();
        drop(journal);
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.run().unwrap().unwrap().file_sha256, "abc");
        let rows = journal.rows().unwrap();
        assert_eq!(rows[0].state, RowState::Paid);
        assert_eq!(rows[0].transaction_id.as_deref(), Some("T1"));
        assert_eq!(rows[1].state, RowState::Pending);
    }

    #[test]
    fn a_changed_file_keeps_sent_rows_and_refuses_to_rewrite_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        journal
            .create_run(
                "p.csv",
                "abc",
                &[new_row(2, "0701020304", 500), new_row(3, "0701020305", 700)],
            )
            .unwrap();
        journal
            .apply(&[Change::state("id-2-0701020304", RowState::Accepted)])
            .unwrap();
        let mut changed_sent = new_row(2, "0701020304", 900);
        changed_sent.client_transaction_id = "other".into();
        assert!(journal.accept_changed_file("def", &[changed_sent]).is_err());
        journal
            .accept_changed_file(
                "def",
                &[new_row(2, "0701020304", 500), new_row(3, "0701020399", 700)],
            )
            .unwrap();
        let rows = journal.rows().unwrap();
        assert_eq!(rows[0].state, RowState::Accepted);
        assert_eq!(rows[1].phone, "0701020399");
        assert_eq!(journal.run().unwrap().unwrap().file_sha256, "def");
    }
}
