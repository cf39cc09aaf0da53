//! The payout steps still to take, ordered by the sandbox time they fall due.
//!
//! Every request first takes the steps that fell due (see `Engine::tick`), so this sits on the hot
//! path: with the steps in a queue ordered by due time, a request touches only what is due instead
//! of every payout the sandbox holds, and its cost stays flat however long the ledger grows
//! (issue 13). Steps due at the same instant are taken in the order they were scheduled, so the
//! payouts of one batch move (and are notified) in acceptance order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Scheduled steps: (due time, scheduling order, payout index), earliest first.
#[derive(Debug, Default)]
pub struct DueQueue {
    heap: BinaryHeap<Reverse<(u64, u64, usize)>>,
    scheduled: u64,
}

impl DueQueue {
    /// Schedules a step of payout `payout` at sandbox time `at_ms`.
    pub fn schedule(&mut self, at_ms: u64, payout: usize) {
        self.scheduled += 1;
        self.heap.push(Reverse((at_ms, self.scheduled, payout)));
    }

    /// Removes and returns the earliest step if it is due by `now_ms`: (its time, its payout).
    pub fn pop_due(&mut self, now_ms: u64) -> Option<(u64, usize)> {
        let Reverse((at_ms, _, payout)) = *self.heap.peek()?;
        if at_ms > now_ms {
            return None;
        }
        self.heap.pop();
        Some((at_ms, payout))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_come_out_by_due_time_then_scheduling_order_and_only_when_due() {
        let mut q = DueQueue::default();
        q.schedule(30, 7);
        q.schedule(10, 2);
        q.schedule(10, 1);
        q.schedule(20, 0);
        assert_eq!(q.pop_due(9), None);
        assert_eq!(q.pop_due(25), Some((10, 2)));
        assert_eq!(q.pop_due(25), Some((10, 1)));
        assert_eq!(q.pop_due(25), Some((20, 0)));
        assert_eq!(q.pop_due(25), None);
        assert_eq!(q.pop_due(30), Some((30, 7)));
        assert_eq!(q.pop_due(u64::MAX), None);
    }
}
