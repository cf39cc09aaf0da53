//! The journal on a thread of its own while a run sends, so that requests never wait for it.
//!
//! Measured on 100,000 rows (docs/performance.md), the journal's work ran between requests:
//! reading each window's rows and looking their ids up, and the window's synced `sending`
//! marks, happened while no request was in flight, and each request's results were recorded
//! before the next request could start. Here a thread owns the journal: it
//! reads and marks the next window while the current one is in flight (one range update,
//! `Journal::mark_sending`), and records results as they come, in order, those that come within
//! a few milliseconds in one transaction (`GATHER_RESULTS`).
//!
//! What keeps a payout from being sent twice does not change: a window is handed over only once
//! its rows are `sending` in a committed, synced transaction, so every request of it leaves
//! after its rows' marks (ADR 2). Marking a window early only means that a process killed then
//! leaves more rows `sending`, which the rerun looks up before sending anything, as after any
//! interruption. Results are committed without waiting for the disk, in the order they settled
//! (`Journal::apply_results`); a process killed before they are loses them the same way, its
//! rows still `sending`.

use std::sync::mpsc::{self, TryRecvError};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::Thread;
use std::time::{Duration, Instant};

use cinetpay_transfer::Transfer;
use futures::channel::oneshot;

use crate::exit::CliError;
use crate::journal::{Change, Journal, JournalRow};

/// Rows of one window: each row's journal entry as it was before the window was marked
/// `sending`, and the transfer to send.
pub(super) struct Window {
    pub rows: Vec<JournalRow>,
    pub transfers: Vec<Transfer>,
}

enum Job {
    /// Read the next window of rows to send from the journal and mark them `sending` (committed
    /// and synced) before answering; `None` once no row is left to send.
    NextWindow(oneshot::Sender<Result<Option<Window>, CliError>>),
    /// The results of one request: committed without waiting for the disk.
    Results(Vec<Change>),
    /// Changes committed (and synced) before answering, after everything asked before them.
    Apply(Vec<Change>, oneshot::Sender<Result<(), CliError>>),
}

/// How long results wait for others to be committed with. Against a fast service (the sandbox,
/// 100,000 rows in about 5 s) about 5 s / 20 ms = 250 commits, an estimate not counted, instead
/// of one per request (4,000 requests of payouts): each commit writes
/// its pages to the log again (issue 13; `scripts/bench-cli.sh`, docs/performance.md). Where
/// requests take longer than this to settle, most still commit alone. A process killed meanwhile
/// loses at most these results: their rows stay `sending`, which the rerun looks up before
/// sending anything.
const GATHER_RESULTS: Duration = Duration::from_millis(20);

/// The thread that owns the journal while a run sends.
pub(super) struct JournalThread {
    jobs: mpsc::Sender<Job>,
    thread: tokio::task::JoinHandle<Journal>,
    /// The thread serving the jobs, once it started: unparked for every job but results, which
    /// it gathers without being woken (`serve`).
    server: Arc<OnceLock<Thread>>,
    /// The first recording of results that failed; later results are not recorded (their rows
    /// stay `sending`, which a rerun reconciles by lookup).
    failed: Arc<Mutex<Option<CliError>>>,
}

impl JournalThread {
    /// Hands the journal to a new thread that reads the rows to send from it, in rowid order,
    /// `window_size` at a time.
    pub fn start(journal: Journal, window_size: usize) -> JournalThread {
        let (jobs, queue) = mpsc::channel();
        let failed = Arc::new(Mutex::new(None));
        let failures = Arc::clone(&failed);
        let server = Arc::new(OnceLock::new());
        let serving = Arc::clone(&server);
        let thread = tokio::task::spawn_blocking(move || {
            let _ = serving.set(std::thread::current());
            serve(journal, window_size, &queue, &failures)
        });
        JournalThread {
            jobs,
            thread,
            server,
            failed,
        }
    }

    /// The next window, its rows already `sending` when it arrives (`None`: no row left). The
    /// thread starts on it at once: ask for it before sending the current window.
    pub fn next_window(&self) -> impl std::future::Future<Output = Result<Option<Window>, CliError>> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::NextWindow(reply));
        async move { answer.await.unwrap_or_else(|_| gone()) }
    }

    /// Records the results of one request, after everything asked before; does not wait.
    pub fn record(&self, changes: Vec<Change>) {
        self.send(Job::Results(changes));
    }

    /// Whether recording results failed (the run must stop sending).
    pub fn recording_failed(&self) -> bool {
        self.failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    /// Commits `changes` after everything asked before, and returns once they are on disk; also
    /// returns the first failure to record results.
    pub async fn apply(&self, changes: Vec<Change>) -> Result<(), CliError> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Apply(changes, reply));
        answer.await.unwrap_or_else(|_| gone())?;
        match self
            .failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The journal back, once every job asked for is done.
    pub async fn finish(self) -> Journal {
        let JournalThread {
            jobs, thread, server, ..
        } = self;
        drop(jobs);
        unpark(&server);
        match thread.await {
            Ok(journal) => journal,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }

    fn send(&self, job: Job) {
        let gathered = matches!(job, Job::Results(_));
        // The thread only stops once this side is dropped, or by a panic (reported as its own).
        let _ = self.jobs.send(job);
        if !gathered {
            unpark(&self.server);
        }
    }
}

/// Ends the wait of the journal's thread for more results, if it waits (`serve`); if it does
/// not, its next wait ends at once, which costs one more look at the queue.
fn unpark(server: &OnceLock<Thread>) {
    if let Some(server) = server.get() {
        server.unpark();
    }
}

/// A job the thread dropped unanswered: it panicked (and its panic was printed).
fn gone<T>() -> T {
    panic!("the journal's thread stopped")
}

/// The thread's loop: jobs in the order they were asked for, until the other side is dropped.
fn serve(
    mut journal: Journal,
    window_size: usize,
    queue: &mpsc::Receiver<Job>,
    failed: &Mutex<Option<CliError>>,
) -> Journal {
    // The rowid of the last row handed over: the next window starts after it.
    let mut last_rowid = 0;
    // A job taken from the queue while gathering results, done next.
    let mut held = None;
    // Whether the log was checkpointed, once the first window was handed over (a run's start
    // leaves that to this thread, `Journal::begin_run`).
    let mut checkpointed = false;
    while let Some(job) = held.take().or_else(|| queue.recv().ok()) {
        match job {
            Job::NextWindow(reply) => {
                let window = next_window(&mut journal, last_rowid, window_size);
                if let Ok(Some(window)) = &window {
                    last_rowid = window.rows.last().map_or(last_rowid, |r| r.rowid);
                }
                let _ = reply.send(window);
                if !checkpointed {
                    checkpointed = true;
                    checkpoint(&mut journal);
                }
            }
            Job::Results(mut changes) => {
                // Results that come within `GATHER_RESULTS` are committed with these (one
                // transaction instead of one per request); a job of another kind ends the wait
                // and is done right after this commit, which keeps the order of the jobs. The
                // thread waits parked, not in `recv`: sending results then wakes nobody. The
                // sending thread, on which every request's answer waits, woke this one after each
                // request (30,000 rows, 16 paired rounds each way: CLI / core 1.29x -> 1.20x-1.24x,
                // issue 13). Jobs of other kinds and the end of the run unpark it (`send`).
                let deadline = Instant::now() + GATHER_RESULTS;
                loop {
                    match queue.try_recv() {
                        Ok(Job::Results(more)) => changes.extend(more),
                        Ok(other) => {
                            held = Some(other);
                            break;
                        }
                        Err(TryRecvError::Disconnected) => break,
                        Err(TryRecvError::Empty) => match deadline.checked_duration_since(Instant::now()) {
                            Some(left) if !left.is_zero() => std::thread::park_timeout(left),
                            _ => break,
                        },
                    }
                }
                // The lock is not held while committing: the sending side asks whether recording
                // failed after each request. Only this thread sets the failure.
                let lock = || failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if lock().is_none() {
                    if let Err(e) = journal.apply_results(&changes) {
                        *lock() = Some(e);
                    }
                }
            }
            Job::Apply(changes, reply) => {
                let _ = reply.send(journal.apply(&changes));
            }
        }
    }
    journal
}

/// Checkpoints the journal's log and turns automatic checkpoints back on, which a run's start
/// leaves to this thread, or to a run with nothing to send (`Journal::begin_run`). Nothing is lost
/// without it (the log keeps every commit): a failure is said, not fatal.
pub(super) fn checkpoint(journal: &mut Journal) {
    if let Err(e) = journal.checkpoint() {
        tracing::warn!(error = %e.message, "the journal's log was not checkpointed");
    }
}

/// The next `size` rows to send after `after` (rowid order), marked `sending` in one synced
/// transaction. What is sent is what the journal holds: the payout as checked when the run
/// started, to the payee the file named then (or since, `accept_changed_file`).
fn next_window(journal: &mut Journal, after: i64, size: usize) -> Result<Option<Window>, CliError> {
    let (rows, transfers) = journal
        .rows_to_send(after, size)?
        .into_iter()
        .map(|(row, payee)| {
            let transfer = row.transfer_to(payee);
            (row, transfer)
        })
        .unzip();
    let window = Window { rows, transfers };
    if window.rows.is_empty() {
        return Ok(None);
    }
    // Every row of the window is `sending` (committed) before it is handed over, so before its
    // first request can leave: they are the rows to send in `after..=last`, marked at once.
    let last = window.rows.last().map_or(after, |r| r.rowid);
    journal.mark_sending(after, last, window.rows.len())?;
    Ok(Some(window))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::testing::{new_row, run};
    use crate::journal::RowState;

    fn started_journal(dir: &std::path::Path, rows: u64) -> Journal {
        let mut journal = Journal::open(&dir.join("j.sqlite")).unwrap();
        let rows = (0..rows).map(|i| Ok(new_row(2 + i, &format!("07010203{i:02}"), 500)));
        journal.create_run(&run(), rows, &[], &[]).unwrap();
        journal
    }

    /// Results gathered for a later commit are still written before a change asked for after
    /// them (which would otherwise be overwritten by them), and before the thread hands the
    /// journal back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn gathered_results_are_committed_in_order_and_before_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let thread = JournalThread::start(started_journal(dir.path(), 2), 10);
        let window = thread.next_window().await.unwrap().unwrap();
        assert_eq!(window.rows.len(), 2);
        let [first, second] = ["id-0701020300-500", "id-0701020301-500"];
        thread.record(vec![Change::state(first, RowState::Accepted)]);
        let later = Change {
            error: Some("later".into()),
            ..Change::state(first, RowState::Failed)
        };
        thread.apply(vec![later]).await.unwrap();
        thread.record(vec![Change::state(second, RowState::Accepted)]);
        let journal = thread.finish().await;
        let states: Vec<(String, RowState)> = journal
            .rows()
            .unwrap()
            .into_iter()
            .map(|r| (r.client_transaction_id, r.state))
            .collect();
        assert_eq!(
            states,
            [
                (first.to_owned(), RowState::Failed),
                (second.to_owned(), RowState::Accepted)
            ]
        );
    }
}
