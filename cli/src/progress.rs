//! The progress bar of a payout run (indicatif, on stderr).
//!
//! One bar, two phases: sending (position = rows handled) then waiting (position = rows final),
//! with the running counts and XOF totals in its message. It draws only on a terminal, and never
//! with `--json`, so scripts and CI logs stay clean.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::i18n::{number, t};
use crate::output::{bucket_name, xof};
use crate::summary::Totals;

/// The two phases of a run.
pub enum Phase {
    Sending,
    Waiting,
}

pub struct Progress {
    bar: ProgressBar,
    /// Whether the bar is drawn: not with `--json`, nor when stderr is no terminal (asked once:
    /// indicatif asks the terminal each time).
    drawn: bool,
    /// When the message was last built: a run reports every request (4,000 on 100,000 rows),
    /// and a terminal shows at most `MESSAGE_EVERY`'s worth of them.
    message_built: Mutex<Option<Instant>>,
}

/// How often the message (the totals in XOF) is built again while a phase goes on: indicatif
/// draws at most 20 times a second.
const MESSAGE_EVERY: Duration = Duration::from_millis(50);

impl Progress {
    /// A bar on stderr, or a hidden one when `visible` is false.
    pub fn new(visible: bool) -> Progress {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        let style = ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        Progress {
            drawn: !bar.is_hidden(),
            bar,
            message_built: Mutex::new(None),
        }
    }

    /// Starts a phase (`sending`, `waiting`) over `len` rows.
    pub fn phase(&self, name: Phase, len: u64) {
        self.bar.set_prefix(match name {
            Phase::Sending => t!("phase-sending"),
            Phase::Waiting => t!("phase-waiting"),
        });
        self.bar.set_length(len);
        self.bar.set_position(0);
        *self.lock() = None;
    }

    /// Shows `done` rows handled and the running totals. The totals' text is built only where
    /// a bar is drawn (not with `--json`, nor when stderr is no terminal: scripts, CI), and at
    /// most every `MESSAGE_EVERY` (on 100,000 rows it was a quarter of what the CLI adds to each
    /// request's results, issue 13).
    pub fn update(&self, done: u64, totals: &Totals) {
        self.bar.set_position(done);
        if !self.drawn {
            return;
        }
        {
            let mut built = self.lock();
            let now = Instant::now();
            if built.is_some_and(|at| now.duration_since(at) < MESSAGE_EVERY) {
                return;
            }
            *built = Some(now);
        }
        let parts: Vec<String> = totals
            .named()
            .iter()
            .filter(|(_, t)| t.count > 0)
            .map(|(name, t)| {
                format!(
                    "{} {} ({})",
                    bucket_name(name),
                    number(t.count),
                    xof(t.amount_xof)
                )
            })
            .collect();
        self.bar.set_message(parts.join(", "));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.message_built
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Removes the bar so that the summary prints on a clean line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
