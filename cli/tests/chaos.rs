//! Chaos: a payout run of a few hundred rows against a sandbox that drops connections, answers
//! garbage, lags and hides recorded payouts, while the `cinetpay` process is killed (SIGKILL, no
//! chance to clean up) at random moments, several times; then the same command is run to the end.
//!
//! Whatever the interleaving, every payout of the file must be in the sandbox's ledger exactly
//! once (`accepted_count == 1`, one entry per row: a person with two identical rows gets two), and
//! the journal must agree with the ledger row by row. The seed is printed; `CHAOS_SEED=n` replays.

mod common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use cinetpay_sandbox::{Endpoint, Fault, FaultKind};
use common::{rows, TestEnv};

const ROWS: usize = 300;
const KILLS: usize = 6;

/// A few faults of every kind that can make an answer uncertain, spread out by harmless delays.
fn queue_faults(env: &TestEnv, rng: &mut fastrand::Rng) {
    let send_kinds = [
        FaultKind::DropAfter,
        FaultKind::DropBefore,
        FaultKind::MalformedJson,
        FaultKind::ServerError,
        FaultKind::RateLimited,
        FaultKind::Latency,
    ];
    let status_kinds = [
        FaultKind::NotYetVisible,
        FaultKind::ServerError,
        FaultKind::DropBefore,
        FaultKind::Latency,
    ];
    for _ in 0..rng.usize(2..6) {
        env.sandbox
            .add_fault(Fault::latency(Endpoint::Send, rng.u64(20..200)).times(rng.u32(1..5)));
        let kind = send_kinds[rng.usize(..send_kinds.len())];
        env.sandbox
            .add_fault(Fault::new(Endpoint::Send, kind).with_latency_ms(rng.u64(0..150)));
    }
    for _ in 0..rng.usize(2..8) {
        env.sandbox
            .add_fault(Fault::latency(Endpoint::Status, rng.u64(0..20)).times(rng.u32(0..6)));
        let kind = status_kinds[rng.usize(..status_kinds.len())];
        env.sandbox.add_fault(Fault::new(Endpoint::Status, kind));
    }
}

fn payout(env: &TestEnv, csv: &std::path::Path, timeout: &str) -> Command {
    let mut cmd = env.command();
    cmd.arg("payout")
        .arg(csv)
        .arg("--journal")
        .arg(env.dir.path().join("chaos.sqlite"))
        // Chunks of 2, 2 in flight: a window of the sender is 256 rows, so kills land in the
        // first window, between windows and in the second.
        .args(["--run", "chaos", "--chunk-size", "2", "--max-concurrency", "2"])
        .args([
            "--max-attempts",
            "2",
            "--interval",
            "40ms",
            "--yes",
            "--timeout",
            timeout,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

#[test]
fn killed_at_random_moments_then_resumed_every_payout_exists_exactly_once() {
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("CHAOS_SEED={seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let env = TestEnv::new();
    let mut lines = rows(ROWS);
    // Identical rows are distinct payouts.
    for i in 0..5 {
        lines.push(lines[i * 7].clone());
    }
    let csv = env.write_csv("chaos.csv", &lines);

    for round in 0..KILLS {
        queue_faults(&env, &mut rng);
        let mut child = payout(&env, &csv, "3s").spawn().expect("cinetpay starts");
        std::thread::sleep(Duration::from_millis(rng.u64(50..1500)));
        child.kill().expect("SIGKILL");
        let status = child.wait().unwrap();
        eprintln!(
            "round {round}: {status:?}, {} payouts in the ledger",
            env.ledger().len()
        );
    }

    // Faults left may still hit the first reruns; the run must end all the same.
    let mut finished = None;
    for _ in 0..12 {
        let status = payout(&env, &csv, "20s").status().unwrap();
        if matches!(status.code(), Some(0 | 3)) {
            finished = status.code();
            break;
        }
        eprintln!("rerun ended with {status:?}; again");
    }
    assert_eq!(finished, Some(0), "the run never finished cleanly (seed {seed})");

    let ledger = env.ledger();
    let mut expected: HashMap<String, usize> = HashMap::new();
    for line in &lines {
        *expected
            .entry(line.split(',').next().unwrap().to_owned())
            .or_default() += 1;
    }
    let mut paid: HashMap<String, usize> = HashMap::new();
    for entry in &ledger {
        assert_eq!(entry.accepted_count, 1, "seed {seed}: {entry:?}");
        *paid.entry(entry.phone.clone()).or_default() += 1;
    }
    assert_eq!(paid, expected, "seed {seed}: payouts per phone");

    let journal = rusqlite::Connection::open(env.dir.path().join("chaos.sqlite")).unwrap();
    let mut stmt = journal
        .prepare("SELECT client_transaction_id, state, transaction_id FROM payout")
        .unwrap();
    let journaled: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(journaled.len(), lines.len());
    let by_id: HashMap<&str, &str> = ledger
        .iter()
        .map(|e| (e.client_transaction_id.as_str(), e.transaction_id.as_str()))
        .collect();
    for (id, state, transaction_id) in &journaled {
        assert_eq!(state, "paid", "seed {seed}: {id}");
        assert_eq!(
            transaction_id.as_deref(),
            by_id.get(id.as_str()).copied(),
            "seed {seed}: the journal and the ledger disagree on {id}"
        );
    }
}
