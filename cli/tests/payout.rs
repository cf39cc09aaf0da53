//! End-to-end: the `cinetpay payout` binary against a sandbox in the test process.

mod common;

use cinetpay_sandbox::{Endpoint, Fault, FaultKind, DEFAULT_API_KEY};
use common::{rejected_row, rows, stderr_of, stdout_of, TestEnv};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn a_clean_run_pays_everything_and_summarises() {
    let env = TestEnv::new();
    let mut lines = rows(11);
    lines.insert(4, rejected_row());
    let csv = env.write_csv("pay.csv", &lines);

    let output = env
        .payout(&csv, "run.sqlite", &["--chunk-size", "5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "stderr: {}", stderr_of(&output));
    let out = stdout_of(&output);
    assert!(out.contains("paid           11  11,000 XOF"), "{out}");
    assert!(out.contains("rejected        1   2,500 XOF"), "{out}");
    assert!(out.contains("number ends in 000"), "{out}");

    let ledger = env.ledger();
    assert_eq!(ledger.len(), 12);
    assert!(ledger
        .iter()
        .all(|e| e.accepted_count == 1 && e.send_attempts == 1));

    // The same command again sends nothing and reports the same.
    let again = env.payout(&csv, "run.sqlite", &["--json"]).output().unwrap();
    assert_eq!(again.status.code(), Some(3));
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(summary["totals"]["paid"]["count"], 11);
    assert_eq!(summary["totals"]["rejected"]["amount_xof"], 2500);
    assert_eq!(summary["rows"].as_array().unwrap().len(), 12);
    assert_eq!(summary["rows"][0]["state"], "paid");
    assert_eq!(env.ledger().len(), 12);
}

#[test]
fn all_paid_exits_zero() {
    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(3));
    env.payout(&csv, "run.sqlite", &[])
        .assert()
        .code(0)
        .stdout(contains("paid            3"));
}

#[test]
fn bad_rows_are_all_reported_and_nothing_is_sent() {
    let env = TestEnv::new();
    let mut lines = rows(4);
    lines[1] = "07012,225,1000,Short,Phone,,,,http://127.0.0.1:9/notify".into();
    lines[2] = "0701020304,225,1002,Odd,Amount,,,,http://127.0.0.1:9/notify".into();
    lines.push("771234567,221,1000,,NoName,,,,".into());
    let csv = env.write_csv("bad.csv", &lines);

    let output = env.payout(&csv, "run.sqlite", &[]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr_of(&output);
    for expected in [
        "line 3, phone",
        "line 4, amount",
        "line 6, name",
        "line 6, notify_url",
        "nothing was sent",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
    assert!(env.ledger().is_empty());
    assert_eq!(env.sandbox.merchants()[0].contacts, 0);
}

#[test]
fn insufficient_balance_is_a_clear_error() {
    let env = TestEnv::new();
    env.sandbox.set_balance(DEFAULT_API_KEY, "CI", 1_500).unwrap();
    let csv = env.write_csv("pay.csv", &rows(4));

    let output = env.payout(&csv, "run.sqlite", &[]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr_of(&output);
    assert!(err.contains("INSUFFICIENT_BALANCE"), "{err}");
    assert!(err.contains("sending stopped"), "{err}");
    assert!(env.ledger().is_empty());
}

#[test]
fn an_interrupted_run_resumes_and_pays_every_row_exactly_once() {
    let env = TestEnv::new();
    let mut lines = rows(11);
    lines.push(rejected_row());
    let csv = env.write_csv("pay.csv", &lines);
    // The first request of payouts is recorded, then its connection drops; the status lookups
    // that would tell fail too: the run cannot know whether those 5 payouts exist, and starts no
    // other request (one at a time here, so that none was already in flight).
    env.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::DropAfter));
    env.sandbox
        .add_fault(Fault::new(Endpoint::Status, FaultKind::ServerError).times(5));

    let first = env
        .payout_without_run(
            &csv,
            "run.sqlite",
            &[
                "--new-run",
                "--chunk-size",
                "5",
                "--max-attempts",
                "1",
                "--max-concurrency",
                "1",
            ],
        )
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(4), "stderr: {}", stderr_of(&first));
    assert!(
        stdout_of(&first).contains("unknown         5"),
        "{}",
        stdout_of(&first)
    );
    assert!(
        stdout_of(&first).contains("pending         7"),
        "rows never sent are pending again: {}",
        stdout_of(&first)
    );
    assert_eq!(env.ledger().len(), 5, "the dropped request was recorded");

    let second = env
        .payout_without_run(&csv, "run.sqlite", &["--chunk-size", "5"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(3), "stderr: {}", stderr_of(&second));
    let out = stdout_of(&second);
    assert!(out.contains("paid           11"), "{out}");
    assert!(out.contains("unknown         0"), "{out}");

    let ledger = env.ledger();
    assert_eq!(ledger.len(), 12);
    assert!(
        ledger
            .iter()
            .all(|e| e.accepted_count == 1 && e.send_attempts == 1),
        "{ledger:#?}"
    );
    let mut ids: Vec<&str> = ledger.iter().map(|e| e.client_transaction_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12);
}

/// A new run reads the file once, inserting rows into the journal as they are checked: a fault
/// found after a few thousand rows were inserted still starts no run, sends nothing and leaves no
/// journal behind; the file fixed, the same command starts the run.
#[test]
fn a_bad_row_late_in_a_file_starts_no_run_and_leaves_no_journal() {
    let env = TestEnv::new();
    let mut lines = rows(2500);
    lines.push("0701020304,225,12.5,Bad,Amount,,,,http://127.0.0.1:9/notify".into());
    let csv = env.write_csv("pay.csv", &lines);
    env.payout(&csv, "run.sqlite", &["--no-wait"])
        .assert()
        .code(2)
        .stderr(contains("line 2502"));
    assert!(env.ledger().is_empty());
    assert_eq!(env.journal_files(), Vec::<String>::new(), "no journal left");

    lines.pop();
    let csv = env.write_csv("pay.csv", &lines);
    env.sandbox
        .set_balance(DEFAULT_API_KEY, "CI", 10_000_000)
        .unwrap();
    env.payout(&csv, "run.sqlite", &["--no-wait"]).assert().code(4);
    assert_eq!(env.ledger().len(), 2500);
}

/// What a run sends comes from its journal: each payout to the operator its row names, also
/// across windows of a run (chunks of 2, 1 in flight: windows of 64 rows).
#[test]
fn each_payout_goes_to_the_operator_its_row_names() {
    let env = TestEnv::new();
    let lines: Vec<String> = (1..=70)
        .map(|i| {
            let operator = if i % 2 == 0 { "MOMO" } else { "om" };
            format!(
                "07{:08},225,1000,Payee{i},Test,,{operator},,http://127.0.0.1:9/notify",
                20_000_000 + i * 37
            )
        })
        .collect();
    let csv = env.write_csv("pay.csv", &lines);
    env.sandbox.set_balance(DEFAULT_API_KEY, "CI", 1_000_000).unwrap();
    env.payout(
        &csv,
        "run.sqlite",
        &["--no-wait", "--chunk-size", "2", "--max-concurrency", "1"],
    )
    .assert()
    .code(4);
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 70);
    for entry in ledger {
        let i: u64 = (entry.phone[2..].parse::<u64>().unwrap() - 20_000_000) / 37;
        let operator = if i % 2 == 0 { "MOMO" } else { "OM" };
        assert_eq!(
            (entry.operator.as_str(), entry.send_attempts),
            (operator, 1),
            "row {i}"
        );
    }
}

/// A start refused before any row is sent leaves no journal where there was none: a new journal
/// without a run name, a file that cannot be read (exit 2 for the file, not the journal beside it).
#[test]
fn a_refused_start_leaves_no_journal() {
    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(2));
    env.payout_without_run(&csv, "run.sqlite", &[])
        .assert()
        .code(2)
        .stderr(contains("is a new journal").and(contains("Nothing was sent")));
    let missing = env.dir.path().join("no-such-dir").join("pay.csv");
    env.payout_without_run(&missing, "run.sqlite", &["--run", "nov"])
        .assert()
        .code(2)
        .stderr(contains("cannot read"));
    env.cli()
        .arg("payout")
        .arg(&missing)
        .args(["--run", "nov", "--yes"])
        .assert()
        .code(2)
        .stderr(contains("cannot read"));
    assert_eq!(env.journal_files(), Vec::<String>::new(), "no journal left");
    assert!(env.ledger().is_empty());
}

#[test]
fn a_changed_file_is_refused_unless_allowed() {
    let env = TestEnv::new();
    let mut lines = rows(3);
    let csv = env.write_csv("pay.csv", &lines);
    env.payout(&csv, "run.sqlite", &[]).assert().code(0);

    // A paid row's amount changed: refused, allowed or not, nothing sent.
    lines[0] = lines[0].replace(",1000,", ",2000,");
    let csv = env.write_csv("pay.csv", &lines);
    for extra in [&[][..], &["--allow-changed-file"]] {
        env.payout(&csv, "run.sqlite", extra)
            .assert()
            .code(2)
            .stderr(contains("1 payout(s) the run already sent").and(contains("line 2 when sent")));
    }
    assert_eq!(env.ledger().len(), 3);

    // Rows appended to the file: refused with what continuing would pay, then paid when allowed;
    // the others are not sent again.
    let mut grown = rows(3);
    grown.extend(rows(5).into_iter().skip(3));
    let csv = env.write_csv("pay.csv", &grown);
    env.payout(&csv, "run.sqlite", &[])
        .assert()
        .code(2)
        .stderr(contains(
            "add --allow-changed-file: that pays 2 row(s), 2,000 XOF new in the file",
        ));
    env.payout(&csv, "run.sqlite", &["--allow-changed-file"])
        .assert()
        .code(0);
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 5);
    assert!(ledger
        .iter()
        .all(|e| e.accepted_count == 1 && e.send_attempts == 1));
}

#[test]
fn watch_follows_a_run_left_without_waiting() {
    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(4));
    env.payout(&csv, "run.sqlite", &["--no-wait"])
        .assert()
        .code(4)
        .stdout(contains("pending         4"))
        .stderr(contains("not finished: 4 pending, 0 unknown").and(contains(" watch --journal ")));
    env.cli()
        .arg("watch")
        .arg("--journal")
        .arg(env.dir.path().join("run.sqlite"))
        .args(["--interval", "50ms"])
        .assert()
        .code(0)
        .stdout(contains("paid            4"));
}

#[test]
fn rows_left_sending_by_a_crash_are_looked_up_before_anything_is_sent() {
    let env = TestEnv::new();
    env.sandbox.set_balance(DEFAULT_API_KEY, "CI", 2_500).unwrap();
    let csv = env.write_csv("pay.csv", &rows(4));
    // Chunk 1 (lines 2-3) is accepted; chunk 2 is refused for balance and sending stops.
    env.payout(&csv, "run.sqlite", &["--chunk-size", "2", "--no-wait"])
        .assert()
        .code(1);
    assert_eq!(env.ledger().len(), 2);

    // A crash between "marked sending" and "recorded": line 2 reached CinetPay, line 4 did not.
    let journal = rusqlite::Connection::open(env.dir.path().join("run.sqlite")).unwrap();
    journal
        .execute_batch(
            "UPDATE payout SET state = 'sending', transaction_id = NULL, lot = NULL WHERE line IN (2, 4);",
        )
        .unwrap();
    drop(journal);
    env.sandbox.set_balance(DEFAULT_API_KEY, "CI", 100_000).unwrap();

    env.payout(&csv, "run.sqlite", &["--chunk-size", "2"])
        .assert()
        .code(0)
        .stdout(contains("paid            4"));
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 4);
    assert!(
        ledger
            .iter()
            .all(|e| e.accepted_count == 1 && e.send_attempts == 1),
        "{ledger:#?}"
    );
}

#[test]
fn a_journal_in_use_by_another_process_is_refused() {
    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(2));
    env.payout(&csv, "run.sqlite", &["--no-wait"]).assert().code(4);

    // Another process holding the journal (as a running `cinetpay payout` does).
    let holder = rusqlite::Connection::open(env.dir.path().join("run.sqlite")).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .unwrap();
    env.payout(&csv, "run.sqlite", &[])
        .assert()
        .code(1)
        .stderr(contains("in use by another cinetpay process"));
    drop(holder);

    env.payout(&csv, "run.sqlite", &[]).assert().code(0);
    assert_eq!(env.ledger().len(), 2);
}

/// Issue 11: a run interrupted (Ctrl-C) while its request is still being processed at CinetPay,
/// then resumed at once with the command it printed. The payout is not visible yet when the
/// resume looks it up; the resume must not send it again before no earlier attempt may still be
/// running (--request-timeout + --processing-window), and then finds it: one send attempt ever.
#[test]
fn a_resume_right_after_an_interruption_waits_out_the_request_still_in_flight() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let env = TestEnv::new();
    let csv = env.write_csv("slow.csv", &["0701020304,225,1000,Awa,Kone,,,,".to_owned()]);
    // Processed 2.5 s after it arrives, whatever the client does meanwhile (longer than the
    // request timeout, shorter than the processing window).
    env.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::SlowProcessing).with_latency_ms(2_500));
    let bin = assert_cmd::cargo::cargo_bin("cinetpay");
    let mut first = Command::new(&bin)
        .env_remove("CINETPAY_BASE_URL")
        .env("CINETPAY_API_KEY", &env.api_key)
        .env("CINETPAY_API_PASSWORD", &env.password)
        .args(["--base-url", env.sandbox.base_url().as_str()])
        .args(["--request-timeout", "1s", "--processing-window", "4s"])
        .arg("payout")
        .arg(&csv)
        .arg("--journal")
        .arg(env.dir.path().join("slow.sqlite"))
        .args(["--new-run", "--yes", "--interval", "50ms", "--chunk-size", "5"])
        .args(["--notify-url", "http://127.0.0.1:9/notify"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = first.stderr.take().unwrap();
    let lines = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    // Interrupted once the request is at the sandbox (its fault taken), still being processed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !env.sandbox.faults().is_empty() {
        assert!(Instant::now() < deadline, "the payout request never left");
        std::thread::sleep(Duration::from_millis(10));
    }
    let arrived = Instant::now();
    std::thread::sleep(Duration::from_millis(100));
    let pid = first.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = first.wait().unwrap();
    let err = lines.join().unwrap().join("\n");
    assert_eq!(status.code(), Some(4), "{err}");
    assert!(env.ledger().is_empty(), "still being processed");

    // The command the interruption printed, run literally and at once.
    let resume = err
        .split("Resume the run with `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no resume command: {err}"))
        .to_owned();
    assert!(
        err.contains(&format!("resume it with: {resume}")),
        "the same command at the start: {err}"
    );
    let words: Vec<&str> = resume.split(' ').collect();
    assert_eq!(words[0], "cinetpay", "{resume}");
    let started = Instant::now();
    let second = Command::new(&bin)
        .env_remove("CINETPAY_BASE_URL")
        .env("CINETPAY_API_KEY", &env.api_key)
        .env("CINETPAY_API_PASSWORD", &env.password)
        .args(&words[1..])
        // As a script would (no terminal to confirm on): a resend would not be stopped by a
        // question.
        .arg("--yes")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let second_err = stderr_of(&second);
    // Once the slow request has landed: one payout, one send attempt carrying its id.
    std::thread::sleep((arrived + Duration::from_millis(3_500)).saturating_duration_since(Instant::now()));
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}\n{second_err}");
    assert_eq!(ledger[0].send_attempts, 1, "sent once: {ledger:?}\n{second_err}");
    assert_eq!(ledger[0].accepted_count, 1);
    assert_eq!(second.status.code(), Some(0), "{resume}\n{second_err}");
    assert!(second_err.contains("waiting"), "{second_err}");
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "looked up again only after the window"
    );
}
