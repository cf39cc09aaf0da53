//! The journal of a payout run: one SQLite file that makes `payout` safe to run again.
//!
//! Money commands get interrupted (Ctrl-C, a crash, a lost network). The journal records, for
//! every row of the run, the idempotency key it is sent under and what became of it: rows are
//! marked `sending` in a committed, synced transaction *before* their request leaves (a window
//! of rows at a time), and each request's rows are updated once it settles (within a few
//! milliseconds: results that settle together are committed together, see `journal_thread.rs`).
//! A rerun therefore knows exactly which rows may have reached CinetPay without us hearing back
//! (`sending`, `unknown`) and asks about those before sending anything (see
//! `tracking::reconcile`).
//!
//! Rows are keyed by their `client_transaction_id`, not by their line: an edited file keeps the
//! ids of the rows that did not change (see `identity.rs`), and the journal tells which rows of the
//! run are new, gone, or gone after being sent (`Journal::plan_changed_file`).
//!
//! The run is bound to one service and one merchant (base URL and API-key fingerprint): the
//! states it holds are what *that* account did, and mean nothing against another.
//!
//! Schema (version 4, in `PRAGMA user_version`):
//! - `run`: one row: its name, the CSV path and SHA-256, the base URL, the merchant fingerprint,
//!   when the run was created and last changed, and `in_flight_ms`: the longest time an attempt
//!   of any command of the run may have kept running at CinetPay (`--request-timeout` +
//!   `--processing-window`; `Journal::in_flight`). Added to journals of version 4 that lack it
//!   when they are opened (older versions read the rest as before).
//! - `payout`: one row per payout of the run: client_transaction_id (unique: `payout_by_id`), its
//!   current line in the file, prefix, phone, amount, notify_url, state, CinetPay's transaction_id
//!   and lot, the last treatment_status, the last error, `earlier` (found at CinetPay when the journal started),
//!   and `last_sent_at`: when the row's last attempt may have left (Unix milliseconds; set when
//!   the row is marked `sending`, when an attempt of it ends `unknown` (it left before that,
//!   maybe long after the mark: `UPDATE_ROW`), or by reconciliation to the latest moment an
//!   attempt of an earlier process may have left). A rerun does not send a row CinetPay does not
//!   show until the request timeout and the processing window have passed since then (ADR 2).
//!   Version 4 added the payee's `name`, `surname`, `email` and the `payment_method`: a run sends
//!   its rows from the journal alone, without reading the file again (issue 13).
//!
//! Version 3 changed how ids are derived (occurrences counted among rows without their own id):
//! journals of version 2 are refused, never read with other ids. Journals of version 3 get the
//! columns of version 4, empty; the next `payout` fills them from the file before sending
//! (`Journal::lacks_payees`, then `accept_changed_file`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};
use serde::Serialize;

use crate::exit::{CliError, Exit};
use crate::i18n::{count as count_arg, t, text};
use crate::output::xof;

const SCHEMA_VERSION: i64 = 4;

// The state check is a chain of `=`, not `IN (...)`: SQLite evaluates a constant `IN` list through
// a temporary b-tree opened for every row written, which made each insert and update of a run
// ~40% slower. Journals created with the `IN` form read and write the same.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS run (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    csv_path    TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    base_url    TEXT NOT NULL,
    merchant    TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    in_flight_ms INTEGER
);
CREATE TABLE IF NOT EXISTS payout (
    client_transaction_id TEXT NOT NULL,
    line                  INTEGER NOT NULL,
    prefix                TEXT NOT NULL,
    phone                 TEXT NOT NULL,
    amount                INTEGER NOT NULL,
    notify_url            TEXT NOT NULL,
    state                 TEXT NOT NULL CHECK (state = 'pending' OR state = 'sending' OR
                          state = 'accepted' OR state = 'failed' OR state = 'unknown' OR
                          state = 'paid' OR state = 'rejected'),
    transaction_id        TEXT,
    lot                   TEXT,
    treatment_status      TEXT,
    error                 TEXT,
    earlier               INTEGER NOT NULL DEFAULT 0,
    last_sent_at          INTEGER,
    updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    name                  TEXT,
    surname               TEXT,
    email                 TEXT,
    payment_method        TEXT
);
";

/// The key of the rows of a journal of version 4 (version 3 had `client_transaction_id TEXT
/// PRIMARY KEY`, kept when upgraded, beside this one). An index of its own, so that a run's start
/// inserts its rows without it and builds it once, sorted (`NewRun`): inserting 100,000 random ids
/// one by one into it was half the start's inserts.
const ID_INDEX: &str = "CREATE UNIQUE INDEX IF NOT EXISTS payout_by_id ON payout (client_transaction_id);";

/// A row without its payee (of a journal of version 3, not filled yet).
const LACKS_PAYEE: &str = "(name IS NULL OR surname IS NULL)";

/// A row that takes the payee of the file as it is now: one still to send, or without a payee.
/// (SQLite reads the row as it was before the `UPDATE` in every expression of its `SET`.)
const TAKES_PAYEE: &str = "(state = 'pending' OR state = 'failed' OR name IS NULL OR surname IS NULL)";

/// What version 4 added to a journal of version 3 (see the module doc).
const PAYEE_COLUMNS: &str = "
ALTER TABLE payout ADD COLUMN name TEXT;
ALTER TABLE payout ADD COLUMN surname TEXT;
ALTER TABLE payout ADD COLUMN email TEXT;
ALTER TABLE payout ADD COLUMN payment_method TEXT;
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
}

/// The run a journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub name: String,
    pub csv_path: String,
    pub file_sha256: String,
    /// Where it pays: the API's base URL ...
    pub base_url: String,
    /// ... and from which account: a fingerprint of the API key (`identity::merchant_fingerprint`).
    pub merchant: String,
    pub created_at: String,
}

impl Run {
    /// Refuses to continue this run against another service or merchant than its own.
    pub fn check_account(&self, base_url: &str, merchant: &str, journal: &Path) -> Result<(), CliError> {
        let (want_url, have_url) = (
            self.base_url.trim_end_matches('/'),
            base_url.trim_end_matches('/'),
        );
        if want_url == have_url && self.merchant == merchant {
            return Ok(());
        }
        let what = if want_url != have_url {
            t!(
                "journal-other-service",
                want = text(want_url),
                have = text(have_url)
            )
        } else {
            t!(
                "journal-other-merchant",
                want = text(&self.merchant),
                have = text(merchant)
            )
        };
        Err(CliError::invalid(t!(
            "journal-other-account",
            journal = text(journal.display()),
            run = text(format!("{:?}", self.name)),
            what = text(what)
        )))
    }
}

/// A row to record at the start of a run (or when a changed file is accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    pub line: u64,
    pub client_transaction_id: String,
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
    pub notify_url: String,
    pub payee: Payee,
}

/// Who a row pays, and by which operator: what the core needs besides the payout itself to
/// register the payee and send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub name: String,
    pub surname: String,
    pub email: Option<String>,
    pub payment_method: Option<String>,
}

/// One journaled row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalRow {
    pub line: u64,
    pub client_transaction_id: String,
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
    #[serde(skip)]
    pub notify_url: String,
    pub state: RowState,
    pub transaction_id: Option<String>,
    pub lot: Option<String>,
    pub treatment_status: Option<String>,
    pub error: Option<String>,
    /// Found at CinetPay when the journal started: sent by another journal of the same run.
    pub earlier: bool,
    /// Where SQLite keeps the row: a `Change` that carries it is written without a lookup of the
    /// id in the index (`Change::row`).
    #[serde(skip)]
    pub rowid: i64,
}

impl JournalRow {
    /// The payout as the core knows it, for lookups.
    pub fn transfer(&self) -> cinetpay_transfer::Transfer {
        cinetpay_transfer::Transfer {
            client_transaction_id: Some(self.client_transaction_id.clone()),
            ..cinetpay_transfer::Transfer::new(&self.prefix, &self.phone, self.amount, &self.notify_url)
        }
    }

    /// The payout to send, to `payee`.
    pub fn transfer_to(&self, payee: Payee) -> cinetpay_transfer::Transfer {
        cinetpay_transfer::Transfer {
            payment_method: payee.payment_method,
            name: Some(payee.name),
            surname: Some(payee.surname),
            email: payee.email,
            ..self.transfer()
        }
    }

    /// `+225 0701020304, 1,000 XOF (id csv-...)`: how messages name a payout.
    pub fn describe(&self) -> String {
        format!(
            "+{} {}, {} (id {})",
            self.prefix,
            self.phone,
            xof(self.amount),
            self.client_transaction_id
        )
    }
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
    /// The row's `JournalRow::rowid`, when known: the row is then found directly, not through
    /// the index of ids (half the work of each update in a large run). The id must match still.
    pub row: Option<i64>,
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
            row: None,
        }
    }
}

/// What continuing a run with a changed file would do.
#[derive(Debug, Default)]
pub struct FilePlan {
    /// Rows of the file the run does not have yet: they will be paid.
    pub added: Vec<NewRow>,
    /// Rows of the run no longer in the file and never sent: dropped.
    pub dropped: Vec<JournalRow>,
    /// Rows of the run no longer in the file (changed or removed) although they were sent, or may
    /// have been: their payout exists whatever the file says now.
    pub sent_and_gone: Vec<JournalRow>,
}

impl FilePlan {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.dropped.is_empty() && self.sent_and_gone.is_empty()
    }
}

/// An open journal file.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    /// Whether `PRAGMA synchronous` is FULL now (every commit synced before it returns), as
    /// `init` leaves it, or NORMAL (results: `apply_results`; a run's start: `begin_run`). Set
    /// only when it changes.
    synced: bool,
    /// Whether opening it made the file (`discard` removes only such a journal).
    created: bool,
}

impl Journal {
    /// Opens (creating when absent) the journal at `path`.
    pub fn open(path: &Path) -> Result<Journal, CliError> {
        // Made here, not by SQLite, so that only a file this process made is ever `discard`ed
        // (`create_new` refuses an existing file, a symlink included).
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .is_ok();
        let opened = file_identity(path);
        // The file is there (made above, or found): SQLite must not make another one.
        let flags =
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| match opened {
            Some(_) if !path.exists() => busy(path),
            _ => storage(path, &e),
        })?;
        let journal = Journal {
            conn,
            path: path.to_owned(),
            synced: true,
            created,
        };
        journal.lock()?;
        // A process that waited for the lock may find the file gone or replaced: the process
        // that held it discarded a run that did not start. What it opened is no journal any more,
        // and is left before anything of it is read or written.
        if opened.is_none() || file_identity(path) != opened {
            return Err(busy(path));
        }
        journal.init()?;
        Ok(journal)
    }

    /// Opens an existing journal (for `watch`); a missing file is an input error.
    pub fn open_existing(path: &Path) -> Result<Journal, CliError> {
        if !path.is_file() {
            return Err(CliError::invalid(t!(
                "journal-missing",
                path = text(path.display())
            )));
        }
        Journal::open(path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the journal, and removes its files when opening it made them and it holds no run
    /// (a run that did not start leaves no journal behind).
    pub fn discard(self) {
        if !self.created || !matches!(self.run(), Ok(None)) {
            return;
        }
        // Back to a rollback journal first: SQLite moves its `-wal` in and deletes it while the
        // path is still this journal's, and deletes nothing by name when closed (by then the path
        // may be another process's new journal). Then the files are removed while the lock is
        // held, the main one last: a process waiting for the lock then finds the file gone (see
        // `open`), never an empty journal with no name on disk. (Windows refuses to remove an open
        // file: there, once closed.)
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0));
        let files: Vec<_> = ["-wal", "-shm", "-journal", ""]
            .iter()
            .map(|suffix| {
                let mut file = self.path.clone().into_os_string();
                file.push(suffix);
                file
            })
            .collect();
        let remove = || {
            for file in &files {
                let _ = std::fs::remove_file(file);
            }
        };
        remove();
        drop(self);
        if cfg!(not(unix)) {
            remove();
        }
    }

    /// One process per journal: two runs of the same file at once could each send a row the
    /// other has marked. The exclusive lock is taken now and held until the process ends.
    fn lock(&self) -> Result<(), CliError> {
        let locked = self
            .conn
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
        locked.map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) => busy(&self.path),
            _ => self.fail(&e),
        })
    }

    fn init(&self) -> Result<(), CliError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.fail(&e))?;
        if ![0, 3, SCHEMA_VERSION].contains(&version) {
            return Err(CliError::invalid(t!(
                "journal-format",
                path = text(self.path.display()),
                found = text(version),
                wanted = text(SCHEMA_VERSION)
            )));
        }
        // Write-ahead logging: a commit appends to `PATH-wal` and syncs it once, instead of
        // writing, syncing and deleting a rollback file (a run commits once per chunk: this was a
        // quarter of a large run's CPU). FULL keeps every commit durable before it returns. Under
        // the exclusive lock no shared-memory file is made; `PATH-wal` exists while the journal is
        // open, and after a crash holds the last commits until the journal is opened again.
        self.conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(|e| self.fail(&e))?;
        let upgrade = if version == 3 { PAYEE_COLUMNS } else { "" };
        self.conn
            .execute_batch(&format!(
                "PRAGMA synchronous = FULL;
                 BEGIN; {SCHEMA} {upgrade} {ID_INDEX} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(|e| self.fail(&e))?;
        // Journals made before `in_flight_ms` existed (its absence reads as "not known").
        let has_in_flight: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM pragma_table_info('run') WHERE name = 'in_flight_ms')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(&e))?;
        if !has_in_flight {
            self.conn
                .execute_batch("ALTER TABLE run ADD COLUMN in_flight_ms INTEGER;")
                .map_err(|e| self.fail(&e))?;
        }
        Ok(())
    }

    /// How long an attempt of this run may keep running at CinetPay after it left: the longest
    /// of `own` (this command's `--request-timeout` + `--processing-window`) and what every
    /// earlier command of the run recorded, which this records first (committed and synced).
    /// A rerun or `watch` with shorter flags than the run was sent with must still wait as long
    /// as that (ADR 2). A journal holding no run records nothing and gives `own`.
    pub fn in_flight(&mut self, own: std::time::Duration) -> Result<std::time::Duration, CliError> {
        let own_ms = i64::try_from(own.as_millis()).unwrap_or(i64::MAX);
        let mut longest = own_ms;
        self.write(|tx| {
            tx.execute(
                "UPDATE run SET in_flight_ms = MAX(COALESCE(in_flight_ms, ?1), ?1) WHERE id = 1",
                params![own_ms],
            )?;
            let recorded: Option<Option<i64>> = tx
                .query_row("SELECT in_flight_ms FROM run WHERE id = 1", [], |r| r.get(0))
                .optional()?;
            longest = recorded.flatten().unwrap_or(own_ms).max(own_ms);
            Ok(())
        })?;
        Ok(std::time::Duration::from_millis(
            u64::try_from(longest).unwrap_or(0),
        ))
    }

    fn fail(&self, e: &rusqlite::Error) -> CliError {
        storage(&self.path, e)
    }

    /// The run this journal holds, if one was started.
    pub fn run(&self) -> Result<Option<Run>, CliError> {
        self.conn
            .query_row(
                "SELECT name, csv_path, file_sha256, base_url, merchant, created_at FROM run WHERE id = 1",
                [],
                |r| {
                    Ok(Run {
                        name: r.get(0)?,
                        csv_path: r.get(1)?,
                        file_sha256: r.get(2)?,
                        base_url: r.get(3)?,
                        merchant: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.fail(&e))
    }

    /// Starts a run in this journal: its rows are inserted one at a time (`NewRun::insert`) in
    /// one transaction, committed by `NewRun::commit` with the run itself; dropped before that,
    /// the journal holds no run, as before. A crash leaves either no run or all of it.
    ///
    /// The start is committed without waiting for the disk (70 ms of 100,000 rows): no row is
    /// sent before the synced commit of its `sending` mark, which syncs the write-ahead log and
    /// every commit in it, this one included. A power cut before that loses the run, of which
    /// nothing was sent.
    pub fn begin_run(&mut self) -> Result<NewRun<'_>, CliError> {
        let path = self.path.clone();
        self.set_synced(false)?;
        // The start's commit would also move its whole log (20 MB of 100,000 rows) into the
        // journal's file, 35 ms before the first request: the journal's thread does it once the
        // first window is on its way, or `send_rows` when there is nothing to send
        // (`Journal::checkpoint`).
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| storage(&path, &e))?;
        // Taken by `&self`, so that the insert statement can borrow the connection beside it;
        // `&mut self` still makes it the connection's only transaction.
        let conn = &self.conn;
        let tx = conn.unchecked_transaction().map_err(|e| storage(&path, &e))?;
        // The rows' index is built once they are all in (`NewRun::commit`), in the same
        // transaction: a journal never holds rows without it.
        tx.execute_batch("DROP INDEX IF EXISTS payout_by_id;")
            .map_err(|e| storage(&path, &e))?;
        let insert = conn.prepare(INSERT_ROW).map_err(|e| storage(&path, &e))?;
        Ok(NewRun {
            insert,
            tx,
            path,
            stamp: Stamp::now(),
        })
    }

    /// What continuing the run with `rows` (the file as it is now) would change. Rows are matched
    /// by id, so a row that did not change is the same row whatever its line.
    pub fn plan_changed_file(&self, rows: &[NewRow]) -> Result<FilePlan, CliError> {
        let old = self.rows()?;
        let now: HashMap<&str, &NewRow> = rows
            .iter()
            .map(|r| (r.client_transaction_id.as_str(), r))
            .collect();
        let kept: HashMap<&str, &JournalRow> = old
            .iter()
            .map(|r| (r.client_transaction_id.as_str(), r))
            .collect();
        let mut plan = FilePlan {
            added: rows
                .iter()
                .filter(|r| !kept.contains_key(r.client_transaction_id.as_str()))
                .cloned()
                .collect(),
            ..FilePlan::default()
        };
        for previous in &old {
            match now.get(previous.client_transaction_id.as_str()) {
                // An id the file gives itself may now name another payout.
                Some(r) if same_payout(previous, r) => {}
                Some(r) if previous.state.to_send() => {
                    plan.dropped.push(previous.clone());
                    plan.added.push((*r).clone());
                }
                Some(_) => plan.sent_and_gone.push(previous.clone()),
                None if previous.state.to_send() => plan.dropped.push(previous.clone()),
                None => plan.sent_and_gone.push(previous.clone()),
            }
        }
        Ok(plan)
    }

    /// Continues the run with a changed file whose plan has no sent row gone: drops the rows that
    /// are gone, adds the new ones as `pending`, and records every row's current line.
    pub fn accept_changed_file(&mut self, file_sha256: &str, rows: &[NewRow]) -> Result<(), CliError> {
        let plan = self.plan_changed_file(rows)?;
        assert!(plan.sent_and_gone.is_empty(), "checked by the caller");
        self.write(|tx| {
            for gone in &plan.dropped {
                tx.execute(
                    "DELETE FROM payout WHERE client_transaction_id = ?1",
                    params![gone.client_transaction_id],
                )?;
            }
            let stamp = Stamp::now();
            let mut insert = tx.prepare_cached(INSERT_ROW)?;
            for row in &plan.added {
                insert_row(&mut insert, row, &stamp)?;
            }
            // Every row takes its line from the file as it is now; a row still to send (or
            // without a payee: a journal of format 3) takes its payee too: names, e-mail and
            // operator may change without a flag, they do not make a payout another one. A row
            // that may have been sent keeps the payee it was sent to.
            let mut update = tx.prepare_cached(&format!(
                "UPDATE payout SET line = ?2,
                        name = CASE WHEN {TAKES_PAYEE} THEN ?3 ELSE name END,
                        surname = CASE WHEN {TAKES_PAYEE} THEN ?4 ELSE surname END,
                        email = CASE WHEN {TAKES_PAYEE} THEN ?5 ELSE email END,
                        payment_method = CASE WHEN {TAKES_PAYEE} THEN ?6 ELSE payment_method END
                 WHERE client_transaction_id = ?1"
            ))?;
            for row in rows {
                update.execute(params![
                    row.client_transaction_id,
                    row.line,
                    row.payee.name,
                    row.payee.surname,
                    row.payee.email,
                    row.payee.payment_method
                ])?;
            }
            tx.execute(
                "UPDATE run SET file_sha256 = ?1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                params![file_sha256],
            )?;
            Ok(())
        })
    }

    /// Every row, by line.
    pub fn rows(&self) -> Result<Vec<JournalRow>, CliError> {
        self.select("", [], None)
    }

    /// The rows CinetPay may hold without us knowing (`sending`, `unknown`), by line.
    pub fn uncertain_rows(&self) -> Result<Vec<JournalRow>, CliError> {
        self.select("WHERE state = 'sending' OR state = 'unknown'", [], None)
    }

    /// When the last attempt of each row in `sending` or `unknown` may have left (Unix ms), for
    /// the rows that record it.
    pub fn last_sent_at(&self) -> Result<HashMap<String, i64>, CliError> {
        let read = || -> rusqlite::Result<HashMap<String, i64>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT client_transaction_id, last_sent_at FROM payout
                 WHERE state IN ('sending', 'unknown') AND last_sent_at IS NOT NULL",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        read().map_err(|e| self.fail(&e))
    }

    /// Records that the last attempt of each row may have left as late as the time given (Unix
    /// ms), keeping a later time already recorded.
    pub fn set_last_sent_at(&mut self, rows: &[(String, i64)]) -> Result<(), CliError> {
        self.write(|tx| {
            for (id, at) in rows {
                tx.prepare_cached(
                    "UPDATE payout SET last_sent_at = MAX(COALESCE(last_sent_at, ?2), ?2)
                     WHERE client_transaction_id = ?1",
                )?
                .execute(params![id, at])?;
            }
            Ok(())
        })
    }

    /// The first `limit` rows not paid, by line.
    pub fn rows_not_paid(&self, limit: usize) -> Result<Vec<JournalRow>, CliError> {
        self.select("WHERE state <> 'paid'", [], Some(limit))
    }

    /// The rows to send (`pending`, `failed`) after `rowid`, in rowid order, at most `limit`,
    /// each with its payee. A row of a journal of version 3 not filled yet has none: an error.
    pub fn rows_to_send(&self, rowid: i64, limit: usize) -> Result<Vec<(JournalRow, Payee)>, CliError> {
        let read = || -> rusqlite::Result<Vec<(JournalRow, Option<Payee>)>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {ROW_COLUMNS}, name, surname, email, payment_method
                 FROM payout WHERE rowid > ?1 AND (state = 'pending' OR state = 'failed')
                 ORDER BY rowid LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![rowid, limit as i64], |r| {
                let payee = match (r.get::<_, Option<String>>(13)?, r.get::<_, Option<String>>(14)?) {
                    (Some(name), Some(surname)) => Some(Payee {
                        name,
                        surname,
                        email: r.get(15)?,
                        payment_method: r.get(16)?,
                    }),
                    _ => None,
                };
                Ok((journal_row(r)?, payee))
            })?;
            rows.collect()
        };
        read()
            .map_err(|e| self.fail(&e))?
            .into_iter()
            .map(|(row, payee)| match payee {
                Some(payee) => Ok((row, payee)),
                None => Err(CliError::new(
                    Exit::Error,
                    t!("journal-payee-missing", row = text(row.describe())),
                )),
            })
            .collect()
    }

    /// Whether rows of the journal lack their payee (a journal of version 3, not filled yet).
    pub fn lacks_payees(&self) -> Result<bool, CliError> {
        self.conn
            .query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM payout WHERE {LACKS_PAYEE})"),
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(&e))
    }

    /// The rows still to send (`pending`, `failed`): their country code and amount.
    pub fn amounts_to_send(&self) -> Result<Vec<(String, i64)>, CliError> {
        let read = || -> rusqlite::Result<Vec<(String, i64)>> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT prefix, amount FROM payout WHERE state IN ('pending', 'failed')")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        read().map_err(|e| self.fail(&e))
    }

    /// Count and XOF total of the rows in each state, of every row and of the rows flagged
    /// `earlier`, without building the rows. Added up here in one scan for both: `GROUP BY state`
    /// sorted every row first (80 ms of 100,000 rows), and a scan for each took 15 ms more, all
    /// of it between the last result and the summary (issue 13).
    pub fn tallies(&self) -> Result<Tallies, CliError> {
        let read = || -> rusqlite::Result<Tallies> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT state, amount, earlier FROM payout")?;
            let mut rows = stmt.query([])?;
            let mut sums = [[(0u64, 0i64); RowState::ALL.len()]; 2];
            while let Some(row) = rows.next()? {
                let state = RowState::parse(row.get_ref(0)?.as_str().unwrap_or_default())
                    .unwrap_or(RowState::Unknown);
                let at = RowState::ALL.iter().position(|s| *s == state).unwrap_or_default();
                let amount = row.get::<_, i64>(1)?;
                let earlier = row.get::<_, i64>(2)? != 0;
                for sums in &mut sums[..1 + usize::from(earlier)] {
                    sums[at].0 += 1;
                    sums[at].1 += amount;
                }
            }
            let [all, earlier] = sums.map(|sums| {
                RowState::ALL
                    .into_iter()
                    .zip(sums)
                    .filter(|(_, (count, _))| *count > 0)
                    .map(|(state, (count, amount))| (state, count, amount))
                    .collect()
            });
            Ok(Tallies { all, earlier })
        };
        read().map_err(|e| self.fail(&e))
    }

    /// Rows by line, after a `WHERE` clause (or none), at most `limit`.
    fn select<P: rusqlite::Params>(
        &self,
        filter: &str,
        params: P,
        limit: Option<usize>,
    ) -> Result<Vec<JournalRow>, CliError> {
        let limit = limit.map_or(String::new(), |n| format!("LIMIT {n}"));
        self.select_rows(
            &format!("{filter} ORDER BY line, client_transaction_id {limit}"),
            params,
        )
    }

    /// Rows after the `WHERE`, `ORDER BY` and `LIMIT` clauses given (or none).
    fn select_rows<P: rusqlite::Params>(
        &self,
        clauses: &str,
        params: P,
    ) -> Result<Vec<JournalRow>, CliError> {
        let read = || -> rusqlite::Result<Vec<JournalRow>> {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM payout {clauses}"))?;
            let rows = stmt.query_map(params, journal_row)?;
            rows.collect()
        };
        read().map_err(|e| self.fail(&e))
    }

    /// Applies changes in one transaction (committed before this returns).
    pub fn apply(&mut self, changes: &[Change]) -> Result<(), CliError> {
        self.write(|tx| update_rows(tx, changes))
    }

    /// Applies the results of requests in one transaction, committed before this returns but
    /// without waiting for the disk: a run settles thousands of requests, and waiting for the
    /// disk after each one was half of a large run's time. Once this returns, a killed process
    /// loses nothing (the commit is in the operating system's hands); a power cut may lose the
    /// last results, whose rows are then still `sending`, which a rerun looks up before sending
    /// anything. (Results the journal's thread still gathers, `GATHER_RESULTS`, are lost the same
    /// way by a killed process.) What must survive a power cut, the `sending` mark before a
    /// request leaves, goes through `apply` or `mark_sending`.
    pub fn apply_results(&mut self, changes: &[Change]) -> Result<(), CliError> {
        self.write_synced(false, |tx| update_rows(tx, changes))
    }

    /// Marks `sending` the rows to send (`pending`, `failed`) whose rowid is in `after..=last`,
    /// in one statement, committed and synced before this returns: the rows `rows_to_send(after,
    /// ..)` just returned, when `last` is the rowid of the last of them and `count` how many
    /// there were. One range update instead of one per row (issue 13: a third of the journal's
    /// work while sending). Fails, marking nothing, unless exactly `count` rows were marked.
    pub fn mark_sending(&mut self, after: i64, last: i64, count: usize) -> Result<(), CliError> {
        let mut found = None;
        let marked = self.write(|tx| {
            let stamp = Stamp::now();
            let marked = tx
                .prepare_cached(
                    "UPDATE payout SET state = 'sending', error = NULL, last_sent_at = ?3,
                        updated_at = ?4
                     WHERE rowid > ?1 AND rowid <= ?2 AND (state = 'pending' OR state = 'failed')",
                )?
                .execute(params![after, last, stamp.ms, stamp.utc])?;
            if marked == count {
                Ok(())
            } else {
                // Only this connection writes the journal while it is locked: never expected.
                found = Some(marked);
                Err(rusqlite::Error::StatementChangedRows(marked))
            }
        });
        marked.map_err(|e| match found {
            Some(found) => CliError::new(
                Exit::Error,
                t!(
                    "journal-window-not-marked",
                    path = text(self.path.display()),
                    rows = count_arg(count as u64),
                    found = count_arg(found as u64)
                ),
            ),
            None => e,
        })
    }

    /// Moves the log's commits into the journal's file (a passive checkpoint, which never waits),
    /// and turns the automatic checkpoints back on: a run's start turns them off
    /// (`begin_run`). Durability does not depend on it: a commit is in the log once it returns.
    pub fn checkpoint(&mut self) -> Result<(), CliError> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 1000)
            .and_then(|()| {
                self.conn
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            })
            .map_err(|e| self.fail(&e))
    }

    /// Runs `f` in one transaction, committed and synced to the disk before this returns.
    fn write(&mut self, f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<()>) -> Result<(), CliError> {
        self.write_synced(true, f)
    }

    /// Runs `f` in one transaction, committed before this returns, and synced to the disk too
    /// when `synced`. The setting stays until another write needs the other one: a run records
    /// thousands of results in a row.
    fn write_synced(
        &mut self,
        synced: bool,
        f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<()>,
    ) -> Result<(), CliError> {
        self.set_synced(synced)?;
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| storage(&path, &e))?;
        f(&tx).and_then(|()| tx.commit()).map_err(|e| storage(&path, &e))
    }

    /// Whether the next commits wait for the disk (`PRAGMA synchronous` FULL, else NORMAL).
    fn set_synced(&mut self, synced: bool) -> Result<(), CliError> {
        if self.synced != synced {
            let pragma = if synced {
                "PRAGMA synchronous = FULL"
            } else {
                "PRAGMA synchronous = NORMAL"
            };
            self.conn.execute_batch(pragma).map_err(|e| self.fail(&e))?;
            self.synced = synced;
        }
        Ok(())
    }
}

/// Count and XOF total of the rows in each state that has any (`Journal::tallies`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tallies {
    /// Of every row.
    pub all: Vec<(RowState, u64, i64)>,
    /// Of the rows found at CinetPay when the journal started (`earlier`).
    pub earlier: Vec<(RowState, u64, i64)>,
}

/// A run being started (`Journal::begin_run`): the transaction its rows are inserted in.
pub struct NewRun<'j> {
    /// The insert of a row, prepared once: taken from the statement cache for each row, it was a
    /// sixth of the inserts (issue 13). Declared before `tx`, so that it is finalized first.
    insert: rusqlite::Statement<'j>,
    tx: Transaction<'j>,
    path: PathBuf,
    stamp: Stamp,
}

impl NewRun<'_> {
    /// Records a row of the run as `pending`.
    pub fn insert(&mut self, row: &NewRow) -> Result<(), CliError> {
        insert_row(&mut self.insert, row, &self.stamp).map_err(|e| storage(&self.path, &e))
    }

    /// Builds the index of the rows' ids (once, sorted, as `commit` needs it), unless two rows
    /// have the same id: then nothing is built, and this returns one such id with the lines of
    /// two of its rows. A file's own ids are unique among themselves (`csv_input`), and derived
    /// ids too (`identity`), so two rows share one only when a row's own id is the id the run
    /// derives for another: checked here, before any request leaves, not at `commit`.
    pub fn index_ids(&mut self) -> Result<Option<(String, u64, u64)>, CliError> {
        let built = self.tx.execute_batch(ID_INDEX);
        match built {
            Ok(()) => Ok(None),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                let twice = self
                    .tx
                    .query_row(
                        "SELECT client_transaction_id, min(line), max(line) FROM payout
                         GROUP BY client_transaction_id HAVING count(*) > 1 LIMIT 1",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()
                    .map_err(|e| storage(&self.path, &e))?;
                // No id twice: the build failed for another reason, which is the error.
                twice.map(Some).ok_or_else(|| storage(&self.path, &e))
            }
            Err(e) => Err(storage(&self.path, &e)),
        }
    }

    /// Records the run, and commits it with its rows: every row `pending`, except the rows
    /// CinetPay already held (sent by another journal of the run), recorded as `found` says and
    /// flagged `earlier`, and the rows `unsure` names (as it says, `unknown`), whose last attempt
    /// may have left until now: another journal of the run may still be sending them.
    pub fn commit(self, run: &Run, found: &[Change], unsure: &[Change]) -> Result<(), CliError> {
        let NewRun { insert, tx, path, .. } = self;
        drop(insert);
        let record = || -> rusqlite::Result<()> {
            // Built already by `index_ids`, which a start calls first; two rows under one id
            // fail here otherwise.
            tx.execute_batch(ID_INDEX)?;
            tx.execute(
                "INSERT INTO run (id, name, csv_path, file_sha256, base_url, merchant)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![
                    run.name,
                    run.csv_path,
                    run.file_sha256,
                    run.base_url,
                    run.merchant
                ],
            )?;
            for c in found {
                update_row(&tx, c)?;
                tx.execute(
                    "UPDATE payout SET earlier = 1 WHERE client_transaction_id = ?1",
                    params![c.client_transaction_id],
                )?;
            }
            // Rows another journal of the run may have sent moments ago, unseen yet: the last
            // attempt may have left until now.
            let now = now_ms();
            for c in unsure {
                update_row(&tx, c)?;
                tx.execute(
                    "UPDATE payout SET last_sent_at = ?2 WHERE client_transaction_id = ?1",
                    params![c.client_transaction_id, now],
                )?;
            }
            Ok(())
        };
        record()
            .and_then(|()| tx.commit())
            .map_err(|e| storage(&path, &e))
    }
}

/// The journal at `path` is another process's: locked by it, or removed by it while this one
/// waited for its lock.
fn busy(path: &Path) -> CliError {
    CliError::new(Exit::Error, t!("journal-busy", path = text(path.display())))
}

/// The device and inode of the file at `path`, if there is one.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Whether there is a file at `path` (Windows does not remove a file that is open, so a journal
/// is only discarded once closed: a file there is the one opened).
#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    path.exists().then_some((0, 0))
}

/// The columns `journal_row` reads, in its order (first in a `SELECT`).
const ROW_COLUMNS: &str = "line, client_transaction_id, prefix, phone, amount, notify_url, state,
    transaction_id, lot, treatment_status, error, earlier, rowid";

/// A row read by a `SELECT` of `ROW_COLUMNS` (and possibly more columns after them).
fn journal_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JournalRow> {
    let state: String = r.get(6)?;
    Ok(JournalRow {
        line: r.get(0)?,
        client_transaction_id: r.get(1)?,
        prefix: r.get(2)?,
        phone: r.get(3)?,
        amount: r.get(4)?,
        notify_url: r.get(5)?,
        state: RowState::parse(&state).unwrap_or(RowState::Unknown),
        transaction_id: r.get(7)?,
        lot: r.get(8)?,
        treatment_status: r.get(9)?,
        error: r.get(10)?,
        earlier: r.get(11)?,
        rowid: r.get(12)?,
    })
}

/// Whether a row of the file is the payout the journal holds under the same id.
fn same_payout(previous: &JournalRow, now: &NewRow) -> bool {
    now.prefix == previous.prefix && now.phone == previous.phone && now.amount == previous.amount
}

/// The moment a write is made, read once per transaction: per row, SQLite's `strftime` was
/// about 4% of a large run's CPU.
struct Stamp {
    /// Unix milliseconds (`last_sent_at`).
    ms: i64,
    /// UTC to the second, as the schema's defaults write it (`2026-11-30T08:00:00Z`).
    utc: String,
}

impl Stamp {
    fn now() -> Stamp {
        let now = std::time::SystemTime::now();
        Stamp {
            ms: unix_ms(now),
            utc: humantime::format_rfc3339_seconds(now).to_string(),
        }
    }
}

const INSERT_ROW: &str = "INSERT INTO payout (client_transaction_id, line, prefix, phone, amount,
        notify_url, state, updated_at, name, surname, email, payment_method)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9, ?10, ?11)";

fn insert_row(insert: &mut rusqlite::Statement<'_>, row: &NewRow, stamp: &Stamp) -> rusqlite::Result<()> {
    insert.execute(params![
        row.client_transaction_id,
        row.line,
        row.prefix,
        row.phone,
        row.amount,
        row.notify_url,
        stamp.utc,
        row.payee.name,
        row.payee.surname,
        row.payee.email,
        row.payee.payment_method
    ])?;
    Ok(())
}

fn update_row(tx: &Transaction<'_>, c: &Change) -> rusqlite::Result<()> {
    update_rows(tx, std::slice::from_ref(c))
}

/// A change to `sending` records now as the moment the row's attempt may leave. A row going
/// from `sending` to `unknown` (an attempt whose outcome is not known) records now too, unless a
/// later moment is recorded: its attempt left before its outcome came back, but maybe long after
/// the mark (a window is marked while the one before it is still sent, and the core may send a
/// payout again after a doubt), and a rerun waits out the request timeout and the processing
/// window from this moment before it sends the row again (ADR 2). `state` in a `SET` expression is
/// the row's state before the update.
const UPDATE_ROW: &str = "UPDATE payout SET state = ?2,
        transaction_id = COALESCE(?3, transaction_id),
        lot = COALESCE(?4, lot),
        treatment_status = COALESCE(?5, treatment_status),
        error = ?6,
        last_sent_at = CASE
            WHEN ?2 = 'sending' THEN ?7
            WHEN ?2 = 'unknown' AND state = 'sending' THEN MAX(COALESCE(last_sent_at, ?7), ?7)
            ELSE last_sent_at END,
        updated_at = ?8";

/// Applies each change, through statements prepared once: by rowid when the change knows it
/// and the row there has its id, else by id.
fn update_rows(tx: &Transaction<'_>, changes: &[Change]) -> rusqlite::Result<()> {
    let stamp = Stamp::now();
    let mut by_id = None;
    let mut by_rowid = None;
    for c in changes {
        let values = params![
            c.client_transaction_id,
            c.state.as_str(),
            c.transaction_id,
            c.lot,
            c.treatment_status,
            c.error,
            stamp.ms,
            stamp.utc
        ];
        let updated = match c.row {
            Some(rowid) => {
                let update = match &mut by_rowid {
                    Some(update) => update,
                    None => by_rowid.insert(tx.prepare_cached(&format!(
                        "{UPDATE_ROW} WHERE rowid = ?9 AND client_transaction_id = ?1"
                    ))?),
                };
                update.execute(rusqlite::params_from_iter(
                    values.iter().copied().chain([&rowid as &dyn rusqlite::ToSql]),
                ))?
            }
            None => 0,
        };
        if updated == 0 {
            let update = match &mut by_id {
                Some(update) => update,
                None => by_id
                    .insert(tx.prepare_cached(&format!("{UPDATE_ROW} WHERE client_transaction_id = ?1"))?),
            };
            update.execute(values)?;
        }
    }
    Ok(())
}

/// Now, in Unix milliseconds (the unit of `last_sent_at`).
pub fn now_ms() -> i64 {
    unix_ms(std::time::SystemTime::now())
}

fn unix_ms(time: std::time::SystemTime) -> i64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn storage(path: &Path, e: &rusqlite::Error) -> CliError {
    CliError::new(
        Exit::Error,
        t!("journal-error", path = text(path.display()), reason = text(e)),
    )
}

/// Journals for tests, here and in the modules that use a journal.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn new_row(line: u64, phone: &str, amount: i64) -> NewRow {
        NewRow {
            line,
            client_transaction_id: format!("id-{phone}-{amount}"),
            prefix: "225".into(),
            phone: phone.into(),
            amount,
            notify_url: "https://m.example/n".into(),
            payee: Payee {
                name: "Awa".into(),
                surname: format!("Kone{line}"),
                email: Some(format!("awa{line}@example.com")),
                payment_method: Some("OM".into()),
            },
        }
    }

    pub fn run() -> Run {
        Run {
            name: "nov".into(),
            csv_path: "p.csv".into(),
            file_sha256: "abc".into(),
            base_url: "http://127.0.0.1:1/v1".into(),
            merchant: "sha256:00".into(),
            created_at: String::new(),
        }
    }

    impl Journal {
        /// A run started with `rows`, as `payout` starts one.
        pub fn create_run(
            &mut self,
            run: &Run,
            rows: impl IntoIterator<Item = Result<NewRow, CliError>>,
            found: &[Change],
            unsure: &[Change],
        ) -> Result<(), CliError> {
            let mut new = self.begin_run()?;
            for row in rows {
                new.insert(&row?)?;
            }
            new.commit(run, found, unsure)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{new_row, run};
    use super::*;

    /// Tallies add up each state's rows and XOF, of every row or of the rows found at the start.
    #[test]
    fn tallies_count_each_state() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let rows = [
            new_row(2, "0701020301", 500),
            new_row(3, "0701020302", 700),
            new_row(4, "0701020303", 900),
            new_row(5, "0701020304", 1100),
        ];
        let found = [Change::state("id-0701020301-500", RowState::Accepted)];
        journal.create_run(&run(), rows.map(Ok), &found, &[]).unwrap();
        journal
            .apply(&[
                Change::state("id-0701020302-700", RowState::Paid),
                Change::state("id-0701020303-900", RowState::Paid),
            ])
            .unwrap();
        let tallies = journal.tallies().unwrap();
        assert_eq!(
            tallies.all,
            vec![
                (RowState::Pending, 1, 1100),
                (RowState::Accepted, 1, 500),
                (RowState::Paid, 2, 1600)
            ]
        );
        assert_eq!(tallies.earlier, vec![(RowState::Accepted, 1, 500)]);
    }

    /// A start leaves its checkpoint for later, and `checkpoint` turns the automatic ones back on.
    #[test]
    fn a_start_defers_checkpoints_until_asked() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let autocheckpoint = |journal: &Journal| -> i64 {
            journal
                .conn
                .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(autocheckpoint(&journal), 1000);
        let rows = (0..3).map(|i| Ok(new_row(2 + i, &format!("07010203{i:02}"), 500)));
        journal.create_run(&run(), rows, &[], &[]).unwrap();
        assert_eq!(autocheckpoint(&journal), 0);
        journal.checkpoint().unwrap();
        assert_eq!(autocheckpoint(&journal), 1000);
        assert_eq!(journal.tallies().unwrap().all, vec![(RowState::Pending, 3, 1500)]);
    }

    #[test]
    fn states_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let mut journal = Journal::open(&path).unwrap();
        journal
            .create_run(
                &run(),
                [new_row(2, "0701020304", 500), new_row(3, "0701020305", 700)].map(Ok),
                &[],
                &[],
            )
            .unwrap();
        journal
            .apply(&[Change {
                transaction_id: Some("T1".into()),
                lot: Some("L1".into()),
                ..Change::state("id-0701020304-500", RowState::Accepted)
            }])
            .unwrap();
        journal
            .apply(&[Change::state("id-0701020304-500", RowState::Paid)])
            .unwrap();
        drop(journal);
        let journal = Journal::open(&path).unwrap();
        let stored = journal.run().unwrap().unwrap();
        assert_eq!(
            (stored.name.as_str(), stored.file_sha256.as_str()),
            ("nov", "abc")
        );
        let rows = journal.rows().unwrap();
        assert_eq!(rows[0].state, RowState::Paid);
        assert_eq!(rows[0].transaction_id.as_deref(), Some("T1"));
        assert_eq!(rows[1].state, RowState::Pending);
    }

    #[test]
    fn a_changed_file_keeps_rows_by_id_and_reports_sent_rows_that_are_gone() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        journal
            .create_run(
                &run(),
                [
                    new_row(2, "0701020304", 500),
                    new_row(3, "0701020305", 700),
                    new_row(4, "0701020306", 800),
                ]
                .map(Ok),
                &[],
                &[],
            )
            .unwrap();
        journal
            .apply(&[Change::state("id-0701020304-500", RowState::Paid)])
            .unwrap();
        // The paid row's amount changed: it is reported, never replaced.
        let plan = journal
            .plan_changed_file(&[new_row(2, "0701020304", 900), new_row(3, "0701020305", 700)])
            .unwrap();
        assert_eq!(plan.sent_and_gone.len(), 1);
        assert_eq!(plan.dropped.len(), 1);
        assert_eq!(plan.added.len(), 1);

        // A row inserted above: the others keep their ids and states, with their new lines.
        let now = [
            new_row(2, "0701020399", 300),
            new_row(3, "0701020304", 500),
            new_row(4, "0701020305", 700),
        ];
        let plan = journal.plan_changed_file(&now).unwrap();
        assert!(plan.sent_and_gone.is_empty());
        journal.accept_changed_file("def", &now).unwrap();
        let rows = journal.rows().unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[1].line, rows[1].state), (3, RowState::Paid));
        assert_eq!(rows[0].state, RowState::Pending);
        assert_eq!(journal.run().unwrap().unwrap().file_sha256, "def");
    }

    #[test]
    fn the_last_attempt_time_is_kept_and_older_formats_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let unsure = [Change::state("id-0701020305-700", RowState::Unknown)];
        journal
            .create_run(
                &run(),
                [new_row(2, "0701020304", 500), new_row(3, "0701020305", 700)].map(Ok),
                &[],
                &unsure,
            )
            .unwrap();
        let before = now_ms();
        journal
            .apply(&[Change::state("id-0701020304-500", RowState::Sending)])
            .unwrap();
        let times = journal.last_sent_at().unwrap();
        assert!(times["id-0701020304-500"] >= before);
        assert!(times["id-0701020305-700"] <= before);
        // A later bound wins, an earlier one does not replace it.
        let later = before + 60_000;
        journal
            .set_last_sent_at(&[("id-0701020304-500".into(), later)])
            .unwrap();
        journal
            .set_last_sent_at(&[("id-0701020304-500".into(), 1)])
            .unwrap();
        assert_eq!(journal.last_sent_at().unwrap()["id-0701020304-500"], later);
        // Leaving `sending` for `unknown` keeps a later time than now; only a new `sending` mark
        // sets an earlier one.
        journal
            .apply(&[Change::state("id-0701020304-500", RowState::Unknown)])
            .unwrap();
        assert_eq!(journal.last_sent_at().unwrap()["id-0701020304-500"], later);

        let old = dir.path().join("v2.sqlite");
        Connection::open(&old)
            .unwrap()
            .execute_batch("PRAGMA user_version = 2;")
            .unwrap();
        let refused = Journal::open(&old).err().expect("a format 2 journal is refused");
        assert_eq!(refused.exit, Exit::InvalidInput);
        assert!(refused.message.contains("format 2"), "{}", refused.message);
    }

    /// Review of the twelfth session: a window is marked while the one before it is still sent,
    /// so an attempt may leave long after its row's mark. An attempt that ends `unknown` records
    /// the moment its outcome is recorded (the attempt left before it), however early the mark
    /// was, so a rerun does not count its wait from the mark and send the row again while the
    /// attempt may still run. Rows already `unknown` (a reconciliation's lookup that failed) and
    /// rows accepted keep their time.
    #[test]
    fn an_attempt_that_ends_unknown_may_have_left_until_its_outcome_came() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let rows: Vec<NewRow> = (0..3)
            .map(|i| new_row(2 + i, &format!("07010203{i:02}"), 500))
            .collect();
        journal
            .create_run(&run(), rows.iter().cloned().map(Ok), &[], &[])
            .unwrap();
        let window = journal.rows_to_send(0, 10).unwrap();
        let last = window.last().unwrap().0.rowid;
        journal.mark_sending(0, last, window.len()).unwrap();
        let marked = journal.last_sent_at().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30));
        let outcome = now_ms();
        let [lost, accepted, _] = [0, 1, 2].map(|i| rows[i].client_transaction_id.clone());
        journal
            .apply_results(&[
                Change {
                    row: Some(window[0].0.rowid),
                    ..Change::state(&lost, RowState::Unknown)
                },
                Change::state(&accepted, RowState::Accepted),
            ])
            .unwrap();
        let times = journal.last_sent_at().unwrap();
        assert!(times[&lost] >= outcome, "{} < {outcome}", times[&lost]);
        assert!(marked[&lost] < outcome);
        // An `unknown` row looked up again (the lookup failed) keeps its time.
        std::thread::sleep(std::time::Duration::from_millis(30));
        journal.apply(&[Change::state(&lost, RowState::Unknown)]).unwrap();
        assert_eq!(journal.last_sent_at().unwrap()[&lost], times[&lost]);
        let accepted_at: Option<i64> = journal
            .conn
            .query_row(
                "SELECT last_sent_at FROM payout WHERE client_transaction_id = ?1",
                [&accepted],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(accepted_at, Some(marked[&accepted]));
    }

    /// The run keeps the longest in-flight window of its commands, and gives it to a command with
    /// a shorter one; a journal of version 4 made before the column gets it when opened.
    #[test]
    fn the_run_keeps_the_longest_in_flight_window_of_its_commands() {
        use std::time::Duration;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let mut journal = Journal::open(&path).unwrap();
        assert_eq!(
            journal.in_flight(Duration::from_secs(5)).unwrap(),
            Duration::from_secs(5),
            "no run yet"
        );
        journal
            .create_run(&run(), [new_row(2, "0701020304", 500)].map(Ok), &[], &[])
            .unwrap();
        assert_eq!(
            journal.in_flight(Duration::from_secs(600)).unwrap(),
            Duration::from_secs(600)
        );
        assert_eq!(
            journal.in_flight(Duration::from_secs(3)).unwrap(),
            Duration::from_secs(600)
        );
        journal
            .conn
            .execute_batch("ALTER TABLE run DROP COLUMN in_flight_ms;")
            .unwrap();
        drop(journal);
        let mut journal = Journal::open(&path).unwrap();
        assert_eq!(
            journal.in_flight(Duration::from_secs(3)).unwrap(),
            Duration::from_secs(3)
        );
        assert_eq!(
            journal.in_flight(Duration::from_secs(1)).unwrap(),
            Duration::from_secs(3)
        );
        assert_eq!(journal.run().unwrap().unwrap().name, "nov");
    }

    /// A process waiting for the lock of a journal that its maker discards (a run that did not
    /// start) is refused, and nothing of the journal is left: no journal with no name on disk.
    #[test]
    fn a_journal_discarded_while_another_waits_is_refused_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let maker = Journal::open(&path).unwrap();
        let waiting = {
            let path = path.clone();
            std::thread::spawn(move || Journal::open(&path).map(drop))
        };
        // Time for the waiting thread to reach the lock (it waits up to 5 s for it).
        std::thread::sleep(std::time::Duration::from_millis(1000));
        maker.discard();
        let refused = waiting.join().unwrap().expect_err("the journal went away");
        assert!(refused.message.contains("in use"), "{}", refused.message);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
        // A journal that holds a run is never discarded.
        let mut journal = Journal::open(&path).unwrap();
        journal
            .create_run(&run(), [new_row(2, "0701020304", 500)].map(Ok), &[], &[])
            .unwrap();
        journal.discard();
        assert!(Journal::open(&path).unwrap().run().unwrap().is_some());
    }

    /// A run's start inserts its rows without their index and builds it before it commits: two
    /// rows under one id start no run, and a started run's ids stay unique.
    #[test]
    fn a_started_run_keeps_one_row_per_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let twice = [new_row(2, "0701020304", 500), new_row(3, "0701020304", 500)];
        assert!(journal.create_run(&run(), twice.map(Ok), &[], &[]).is_err());
        assert!(journal.run().unwrap().is_none());
        assert!(journal.rows().unwrap().is_empty());
        let rows = [new_row(2, "0701020304", 500), new_row(3, "0701020305", 700)];
        journal.create_run(&run(), rows.map(Ok), &[], &[]).unwrap();
        let indexed: bool = journal
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'payout_by_id')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(indexed);
        let again = journal.conn.execute(
            "INSERT INTO payout (client_transaction_id, line, prefix, phone, amount, notify_url, state)
             VALUES ('id-0701020304-500', 9, '225', '0701020304', 500, 'https://m.example/n', 'pending')",
            [],
        );
        assert!(again.is_err());
    }

    /// What the journal's thread does with each window (`rows_to_send`, then `mark_sending` over
    /// its rowids), on generated journals: every row to send ends `sending`, with its last
    /// attempt time set and its error cleared, exactly as a per-row `Change` to `sending` would
    /// leave it; every other row is untouched; a count that does not match marks nothing.
    #[test]
    fn windows_marked_as_ranges_mark_exactly_their_rows() {
        use proptest::prelude::*;
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(64));
        let states = proptest::collection::vec(proptest::sample::select(RowState::ALL.to_vec()), 0..40);
        runner
            .run(
                &(states, 1usize..12, any::<bool>(), 0i64..4),
                |(states, window, reversed, gaps)| {
                    let dir = tempfile::tempdir().unwrap();
                    let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
                    // Rowids need not follow the lines (a changed file), nor follow each other.
                    let n = states.len() as u64;
                    let rows: Vec<NewRow> = (0..n)
                        .map(|i| {
                            new_row(
                                if reversed { 1 + n - i } else { 2 + i },
                                &format!("07010203{i:02}"),
                                500,
                            )
                        })
                        .collect();
                    journal
                        .create_run(&run(), rows.iter().cloned().map(Ok), &[], &[])
                        .unwrap();
                    if gaps > 0 {
                        journal
                            .conn
                            .execute("DELETE FROM payout WHERE rowid % 4 = ?1", [gaps])
                            .unwrap();
                    }
                    let changes: Vec<Change> = rows
                        .iter()
                        .zip(&states)
                        .enumerate()
                        .map(|(i, (r, &state))| Change {
                            error: Some(format!("was {}", state.as_str())),
                            transaction_id: (i % 2 == 0).then(|| format!("tx{i}")),
                            lot: (i % 3 == 0).then(|| format!("lot{i}")),
                            treatment_status: (i % 2 == 0).then(|| "NEW".to_owned()),
                            ..Change::state(&r.client_transaction_id, state)
                        })
                        .collect();
                    journal.apply(&changes).unwrap();
                    let sent_at = |journal: &Journal| -> Vec<Option<i64>> {
                        journal
                            .conn
                            .prepare("SELECT last_sent_at FROM payout ORDER BY line")
                            .unwrap()
                            .query_map([], |r| r.get(0))
                            .unwrap()
                            .collect::<rusqlite::Result<_>>()
                            .unwrap()
                    };
                    let (before, sent_before) = (journal.rows().unwrap(), sent_at(&journal));
                    let mut after = 0;
                    loop {
                        let sent = journal.rows_to_send(after, window).unwrap();
                        let Some((last, _)) = sent.last() else { break };
                        let last = last.rowid;
                        let unmarked = journal.rows().unwrap();
                        for wrong in [sent.len() + 1, sent.len() - 1] {
                            prop_assert!(journal.mark_sending(after, last, wrong).is_err());
                            prop_assert_eq!(journal.rows().unwrap(), unmarked.clone());
                        }
                        journal.mark_sending(after, last, sent.len()).unwrap();
                        after = last;
                    }
                    let now = journal.rows().unwrap().into_iter().zip(sent_at(&journal));
                    for ((was, sent_before), (now, sent_now)) in before.iter().zip(sent_before).zip(now) {
                        if was.state.to_send() {
                            let expected = JournalRow {
                                state: RowState::Sending,
                                error: None,
                                ..was.clone()
                            };
                            prop_assert_eq!(&now, &expected);
                            prop_assert!(sent_now.is_some());
                        } else {
                            prop_assert_eq!(&now, was);
                            prop_assert_eq!(sent_now, sent_before);
                        }
                    }
                    Ok(())
                },
            )
            .unwrap();
    }

    /// A change given a wrong rowid (`Change::row`) still changes the row of its id, and only it.
    #[test]
    fn a_row_is_changed_by_its_id_whatever_the_rowid_given() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        journal
            .create_run(
                &run(),
                [new_row(2, "0701020304", 500), new_row(3, "0701020305", 700)].map(Ok),
                &[],
                &[],
            )
            .unwrap();
        let rows = journal.rows_to_send(0, 10).unwrap();
        let (first, second) = (&rows[0].0, &rows[1].0);
        assert_eq!((first.line, second.line), (2, 3));
        assert_ne!(first.rowid, second.rowid);
        journal
            .apply(&[Change {
                row: Some(second.rowid),
                ..Change::state("id-0701020304-500", RowState::Sending)
            }])
            .unwrap();
        journal
            .apply_results(&[Change {
                row: Some(second.rowid),
                transaction_id: Some("T2".into()),
                ..Change::state("id-0701020305-700", RowState::Accepted)
            }])
            .unwrap();
        let rows = journal.rows().unwrap();
        assert_eq!(
            (rows[0].state, rows[1].state),
            (RowState::Sending, RowState::Accepted)
        );
        assert_eq!(rows[1].transaction_id.as_deref(), Some("T2"));
    }

    /// The rows to send are the `pending` and `failed` ones after the rowid given, in rowid
    /// order, each with the payee the file named; the transfer sent is the journal's payout.
    #[test]
    fn rows_to_send_come_in_order_with_their_payees() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let states = [
            RowState::Pending,
            RowState::Failed,
            RowState::Paid,
            RowState::Sending,
            RowState::Unknown,
            RowState::Accepted,
            RowState::Rejected,
            RowState::Failed,
            RowState::Pending,
        ];
        let rows: Vec<NewRow> = (0..states.len())
            .map(|i| new_row(2 + i as u64, &format!("07010203{i:02}"), 500))
            .collect();
        journal
            .create_run(&run(), rows.iter().cloned().map(Ok), &[], &[])
            .unwrap();
        let changes: Vec<Change> = rows
            .iter()
            .zip(states)
            .map(|(r, state)| Change::state(&r.client_transaction_id, state))
            .collect();
        journal.apply(&changes).unwrap();
        let lines = |after: i64, limit: usize| -> Vec<u64> {
            journal
                .rows_to_send(after, limit)
                .unwrap()
                .iter()
                .map(|(r, _)| r.line)
                .collect()
        };
        assert_eq!(lines(0, 20), [2, 3, 9, 10]);
        assert_eq!(lines(0, 3), [2, 3, 9]);
        let sent = journal.rows_to_send(0, 2).unwrap();
        assert_eq!(lines(sent[1].0.rowid, 20), [9, 10]);
        let (row, payee) = sent[0].clone();
        let transfer = row.transfer_to(payee);
        assert_eq!(
            (
                transfer.client_transaction_id.as_deref(),
                transfer.phone.as_str(),
                transfer.amount,
                transfer.notify_url.as_str(),
                transfer.name.as_deref(),
                transfer.surname.as_deref(),
                transfer.email.as_deref(),
                transfer.payment_method.as_deref()
            ),
            (
                Some("id-0701020300-500"),
                "0701020300",
                500,
                "https://m.example/n",
                Some("Awa"),
                Some("Kone2"),
                Some("awa2@example.com"),
                Some("OM")
            )
        );
    }

    /// A continued run takes the file's payee for its rows still to send, and keeps the payee a
    /// row that may have been sent was sent to.
    #[test]
    fn a_changed_file_gives_its_payees_to_rows_still_to_send_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let rows = [new_row(2, "0701020301", 500), new_row(3, "0701020302", 600)];
        journal
            .create_run(&run(), rows.clone().map(Ok), &[], &[])
            .unwrap();
        journal
            .apply(&[Change::state("id-0701020302-600", RowState::Unknown)])
            .unwrap();
        let renamed = rows.map(|mut r| {
            r.payee = Payee {
                name: "Ada".into(),
                surname: "Diallo".into(),
                email: None,
                payment_method: Some("MOMO".into()),
            };
            r
        });
        journal.accept_changed_file("def", &renamed).unwrap();
        let (_, payee) = journal.rows_to_send(0, 10).unwrap().remove(0);
        assert_eq!(payee, renamed[0].payee);
        journal
            .apply(&[Change::state("id-0701020302-600", RowState::Pending)])
            .unwrap();
        let (_, kept) = journal.rows_to_send(0, 10).unwrap().remove(1);
        assert_eq!(kept, new_row(3, "0701020302", 600).payee);
    }

    /// A journal of version 3 is opened as version 4, its rows without payees: sending refuses
    /// them until the file gives them again (`accept_changed_file`, as `payout` does first).
    #[test]
    fn a_journal_of_version_3_takes_its_payees_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.sqlite");
        // The payout table of version 3, as it was written.
        let old_schema = "CREATE TABLE run (
                id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, csv_path TEXT NOT NULL,
                file_sha256 TEXT NOT NULL, base_url TEXT NOT NULL, merchant TEXT NOT NULL,
                created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
                updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
            CREATE TABLE payout (
                client_transaction_id TEXT PRIMARY KEY, line INTEGER NOT NULL,
                prefix TEXT NOT NULL, phone TEXT NOT NULL, amount INTEGER NOT NULL,
                notify_url TEXT NOT NULL, state TEXT NOT NULL, transaction_id TEXT, lot TEXT,
                treatment_status TEXT, error TEXT, earlier INTEGER NOT NULL DEFAULT 0,
                last_sent_at INTEGER,
                updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
            PRAGMA user_version = 3;";
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(old_schema).unwrap();
        conn.execute(
            "INSERT INTO run (id, name, csv_path, file_sha256, base_url, merchant)
             VALUES (1, 'nov', 'p.csv', 'abc', 'http://127.0.0.1:1/v1', 'sha256:00')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO payout (client_transaction_id, line, prefix, phone, amount, notify_url, state)
             VALUES ('id-0701020304-500', 2, '225', '0701020304', 500, 'https://m.example/n', 'pending')",
            [],
        )
        .unwrap();
        drop(conn);

        let mut journal = Journal::open(&path).unwrap();
        assert!(journal.lacks_payees().unwrap());
        let refused = journal.rows_to_send(0, 10).expect_err("no payee yet");
        assert!(refused.message.contains("no payee"), "{}", refused.message);
        journal
            .accept_changed_file("abc", &[new_row(2, "0701020304", 500)])
            .unwrap();
        assert!(!journal.lacks_payees().unwrap());
        let (_, payee) = journal.rows_to_send(0, 10).unwrap().remove(0);
        assert_eq!(payee, new_row(2, "0701020304", 500).payee);
        let again = journal.conn.execute(
            "INSERT INTO payout (client_transaction_id, line, prefix, phone, amount, notify_url, state)
             VALUES ('id-0701020304-500', 9, '225', '0701020304', 500, 'https://m.example/n', 'pending')",
            [],
        );
        assert!(again.is_err(), "one row per id");
        drop(journal);
        let version: i64 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[test]
    fn another_account_is_refused() {
        let path = Path::new("j.sqlite");
        let r = run();
        assert!(r
            .check_account("http://127.0.0.1:1/v1/", "sha256:00", path)
            .is_ok());
        let other = r
            .check_account("https://client.cinetpay.com/v1", "sha256:00", path)
            .unwrap_err();
        assert!(
            other.message.contains("not https://client.cinetpay.com/v1"),
            "{}",
            other.message
        );
        assert_eq!(other.exit, Exit::InvalidInput);
        assert!(r
            .check_account("http://127.0.0.1:1/v1", "sha256:11", path)
            .is_err());
    }
}
