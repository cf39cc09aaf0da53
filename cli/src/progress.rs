//! The progress bar of a payout run (indicatif, on stderr).
//!
//! One bar, two phases: sending (position = rows handled) then waiting (position = rows final),
//! with the running counts and XOF totals in its message. It draws only on a terminal, and never
//! with `--json`, so scripts and CI logs stay clean.

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
}

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
        Progress { bar }
    }

    /// Starts a phase (`sending`, `waiting`) over `len` rows.
    pub fn phase(&self, name: Phase, len: u64) {
        self.bar.set_prefix(match name {
            Phase::Sending => t!("phase-sending"),
            Phase::Waiting => t!("phase-waiting"),
        });
        self.bar.set_length(len);
        self.bar.set_position(0);
    }

    /// Shows `done` rows handled and the running totals.
    pub fn update(&self, done: u64, totals: &Totals) {
        self.bar.set_position(done);
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

    /// Removes the bar so that the summary prints on a clean line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
