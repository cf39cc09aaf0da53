//! End-to-end: what a user does after a run, and that none of it pays anyone twice (issue 11):
//! edited files, next month's file, a new journal, another account, ambiguous columns, `send`.

mod common;

use std::collections::HashMap;

use cinetpay_sandbox::{Endpoint, Fault, FaultKind, MerchantConfig, SandboxConfig};
use common::{rows, stderr_of, stdout_of, TestEnv};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

/// Payouts in the ledger per phone number, each checked to be recorded once.
fn paid_per_phone(env: &TestEnv) -> HashMap<String, usize> {
    let mut per_phone = HashMap::new();
    for entry in env.ledger() {
        assert_eq!(entry.accepted_count, 1, "{entry:?}");
        *per_phone.entry(entry.phone).or_default() += 1;
    }
    per_phone
}

fn payout_named(env: &TestEnv, csv: &std::path::Path, journal: &str, run: &str) -> assert_cmd::Command {
    let mut cmd = env.payout_without_run(&csv.to_path_buf(), journal, &[]);
    cmd.args(["--run", run]);
    cmd
}

#[test]
fn an_edited_file_pays_only_what_is_new_in_the_same_or_a_new_journal() {
    let env = TestEnv::new();
    let mut lines = rows(10);
    let csv = env.write_csv("pay.csv", &lines);
    payout_named(&env, &csv, "a.sqlite", "nov").assert().code(0);
    assert_eq!(env.ledger().len(), 10);

    // A surname fixed: no payout changed, the run goes on without a flag and sends nothing.
    lines[3] = lines[3].replace("Payee4,Test", "Payee4,Fixed");
    let csv = env.write_csv("pay.csv", &lines);
    env.payout_without_run(&csv, "a.sqlite", &[])
        .assert()
        .code(0)
        .stdout(contains("run \"nov\"").and(contains("paid           10")));
    assert_eq!(env.ledger().len(), 10);

    // The same run in a new journal (a lost journal, another machine): found, never sent again.
    payout_named(&env, &csv, "b.sqlite", "nov")
        .assert()
        .code(0)
        .stderr(contains(
            "10 row(s), 10,000 XOF of run \"nov\" were already at CinetPay",
        ))
        .stdout(contains("already at CinetPay when this journal started"));
    assert_eq!(env.ledger().len(), 10);

    // A new journal without a run name is refused before anything is sent.
    env.payout_without_run(&csv, "c.sqlite", &[])
        .assert()
        .code(2)
        .stderr(contains("name it with --run NAME").and(contains("(10 row(s), 10,000 XOF)")));

    // A row inserted at the top and one deleted (never mind which line each is on now): only the
    // new row is paid.
    let mut edited = rows(11);
    edited.remove(5);
    let new_row = edited.pop().unwrap();
    edited.insert(0, new_row);
    edited.push(lines[5].clone());
    let csv = env.write_csv("pay.csv", &edited);
    env.payout_without_run(&csv, "a.sqlite", &["--allow-changed-file"])
        .assert()
        .code(0)
        .stdout(contains("paid           11"));
    let per_phone = paid_per_phone(&env);
    assert_eq!(per_phone.len(), 11);
    assert!(per_phone.values().all(|n| *n == 1), "{per_phone:?}");
}

#[test]
fn next_month_is_a_new_run_only_when_named_so_and_then_pays_once() {
    let env = TestEnv::new();
    let mut lines = rows(4);
    // Two identical payouts to one person are two payouts.
    lines.push(lines[0].clone());
    let csv = env.write_csv("nov.csv", &lines);
    payout_named(&env, &csv, "nov.sqlite", "2026-11").assert().code(0);
    assert_eq!(env.ledger().len(), 5);

    // Next month's identical file under last month's name: nothing is sent, and it says so.
    let dec = env.write_csv("dec.csv", &lines);
    let output = payout_named(&env, &dec, "dec.sqlite", "2026-11")
        .output()
        .unwrap();
    assert!(
        stderr_of(&output).contains("5 row(s), 5,000 XOF of run \"2026-11\" were already at CinetPay"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(env.ledger().len(), 5);

    // Under its own name, in its own journal, it pays every row once; run again, nothing more.
    for _ in 0..2 {
        payout_named(&env, &dec, "dec-2.sqlite", "2026-12")
            .assert()
            .code(0)
            .stdout(contains("run \"2026-12\""));
    }
    assert_eq!(env.ledger().len(), 10);
    let per_phone = paid_per_phone(&env);
    assert_eq!(per_phone.values().copied().max(), Some(4), "{per_phone:?}");

    // --new-run makes up a name; the journal keeps it, so a plain rerun continues it.
    env.payout_without_run(&dec, "dec-3.sqlite", &["--new-run", "--no-wait"])
        .assert()
        .code(4);
    env.payout_without_run(&dec, "dec-3.sqlite", &[])
        .assert()
        .code(0)
        .stdout(contains("run \"run-"));
    assert_eq!(env.ledger().len(), 15);

    // A journal holds one run: another name (or --new-run) needs another journal.
    payout_named(&env, &dec, "dec-2.sqlite", "2027-01")
        .assert()
        .code(2)
        .stderr(contains("holds run \"2026-12\""));
    assert_eq!(env.ledger().len(), 15);
}

#[test]
fn a_journal_is_refused_against_another_service_or_merchant() {
    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(3));
    env.payout(&csv, "run.sqlite", &[]).assert().code(0);

    let elsewhere = TestEnv::new();
    let mut cmd = elsewhere.cli();
    cmd.arg("payout")
        .arg(&csv)
        .arg("--journal")
        .arg(env.dir.path().join("run.sqlite"));
    cmd.assert()
        .code(2)
        .stderr(contains("made with the service at").and(contains("nothing was sent")));
    assert!(elsewhere.ledger().is_empty());

    let key = "second-merchant-key";
    let two = TestEnv::with_config(SandboxConfig::default().with_merchant(MerchantConfig::new(key, "pw-2")));
    let csv = two.write_csv("pay.csv", &rows(3));
    two.payout(&csv, "run.sqlite", &[]).assert().code(0);
    let mut other = two.payout(&csv, "run.sqlite", &[]);
    other
        .env("CINETPAY_API_KEY", key)
        .env("CINETPAY_API_PASSWORD", "pw-2");
    let output = other.output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    let err = stderr_of(&output);
    assert!(err.contains("API key fingerprint is sha256:"), "{err}");
    assert!(!err.contains(key), "the key itself is never printed: {err}");
    assert_eq!(two.ledger().len(), 3);
    // The way out keeps the run's name (a new one would pay every row again after a new API key
    // of the same account); followed as printed, the same account pays nothing again.
    assert!(err.contains("--journal NEW_PATH --run test-run."), "{err}");
    two.payout(&csv, "new-journal.sqlite", &[])
        .assert()
        .code(0)
        .stderr(contains("already at CinetPay"));
    assert_eq!(two.ledger().len(), 3, "nothing paid twice");

    // `watch` too.
    elsewhere
        .cli()
        .arg("watch")
        .arg("--journal")
        .arg(env.dir.path().join("run.sqlite"))
        .assert()
        .code(2);
}

#[test]
fn ambiguous_columns_are_refused() {
    let env = TestEnv::new();
    let csv = env.dir.path().join("dup.csv");
    std::fs::write(
        &csv,
        "phone,prefix,Amount,name,surname,amount,notify_url\n0701020304,225,1000,A,B,9000,http://127.0.0.1:9/n\n",
    )
    .unwrap();
    env.payout(&csv, "run.sqlite", &[])
        .assert()
        .code(2)
        .stderr(contains("line 1, header: column \"amount\" appears twice"));
    assert!(env.ledger().is_empty());
}

#[test]
fn send_names_its_id_before_sending_and_in_every_hint() {
    let env = TestEnv::new();
    let output = env
        .cli()
        .args(["send", "--phone", "+2250701020304", "--amount", "1500"])
        .args(["--notify-url", "http://127.0.0.1:9/notify"])
        .args(["--wait", "--interval", "50ms", "--timeout", "1ms"])
        .output()
        .unwrap();
    let err = stderr_of(&output);
    let id = err
        .split("under client_transaction_id ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no id announced: {err}"))
        .to_owned();
    assert!(id.starts_with("cli-"), "{id}");
    assert!(stdout_of(&output).contains(&id));
    // Accepted, not final when the wait ended.
    assert_eq!(output.status.code(), Some(4), "{err}");
    assert!(err.contains(&format!("--client-transaction-id {id}")), "{err}");
    assert!(!err.contains("same command"), "{err}");
    // Repeating it with the id does not pay again: it is looked up first, and nothing is sent.
    env.cli()
        .args(["send", "--phone", "+2250701020304", "--amount", "1500"])
        .args([
            "--notify-url",
            "http://127.0.0.1:9/notify",
            "--client-transaction-id",
            &id,
        ])
        .assert()
        .code(0)
        .stderr(contains("already holds this payout").and(contains("nothing was sent")));
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].client_transaction_id, id);
    assert_eq!(ledger[0].send_attempts, 1, "the repeat sent nothing");
    // The same id for another payout is refused before anything is sent.
    env.cli()
        .args(["send", "--phone", "+2250701020304", "--amount", "2000"])
        .args([
            "--notify-url",
            "http://127.0.0.1:9/notify",
            "--client-transaction-id",
            &id,
        ])
        .assert()
        .code(2)
        .stderr(contains("already used at CinetPay by another payout"));
    assert_eq!(env.ledger()[0].send_attempts, 1);
}

/// Review of the twelfth session: one payout is one request, whose unknown outcome the core
/// returns as the call's error. `send` reports it as the unknown result it is, exit 4, with the
/// advice to try again under the same id: the same command without the id makes a new one, and
/// pays twice once the first payout shows up.
#[test]
fn send_with_an_unknown_outcome_says_to_try_again_under_its_id() {
    let env = TestEnv::new();
    // Recorded, its answer lost, and every lookup failing: the outcome cannot be known.
    env.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::DropAfter));
    env.sandbox
        .add_fault(Fault::new(Endpoint::Status, FaultKind::ServerError).times(1000));
    let output = env
        .cli()
        .args(["send", "--phone", "+2250701020304", "--amount", "1500"])
        .args(["--notify-url", "http://127.0.0.1:9/notify"])
        .output()
        .unwrap();
    let err = stderr_of(&output);
    assert_eq!(output.status.code(), Some(4), "{err}");
    let id = err
        .split("under client_transaction_id ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no id announced: {err}"))
        .to_owned();
    assert!(err.contains("the outcome is unknown"), "{err}");
    assert!(err.contains(&format!("--client-transaction-id {id}")), "{err}");
    assert!(stdout_of(&output).contains(&id), "the report names the id");
    assert_eq!(env.ledger().len(), 1, "the payout was recorded once");
}

/// Review of the twelfth session: a window refused as a whole (its single request answered with
/// a validation code) after earlier windows were paid is no exit 2 ("nothing sent"): the run
/// stops with its summary, the refused rows `failed` with the reason, and exits as its rows'
/// states say (4 here: the paid rows are not final yet). Followed as printed (the same command),
/// the run pays the rest once.
#[test]
fn a_window_refused_after_others_were_paid_stops_with_the_summary() {
    let env = TestEnv::new();
    // Windows of 32 rows (one per request, one in flight): the 33rd row is a window of its own,
    // sent in one request.
    let csv = env.write_csv("pay.csv", &rows(33));
    env.sandbox.add_fault(Fault::latency(Endpoint::Send, 0).times(32));
    env.sandbox.add_fault(Fault::api_error(Endpoint::Send, 717));
    let output = env
        .payout(
            &csv,
            "run.sqlite",
            &["--chunk-size", "1", "--max-concurrency", "1"],
        )
        .output()
        .unwrap();
    let err = stderr_of(&output);
    assert_eq!(output.status.code(), Some(4), "{err}");
    assert!(err.contains("sending stopped") && err.contains("717"), "{err}");
    let out = stdout_of(&output);
    assert!(out.contains("failed"), "the summary shows the refused row: {out}");
    assert_eq!(env.ledger().len(), 32);
    env.payout(
        &csv,
        "run.sqlite",
        &["--chunk-size", "1", "--max-concurrency", "1"],
    )
    .assert()
    .code(0);
    assert_eq!(
        env.ledger().len(),
        33,
        "the refused row paid once, the others not again"
    );
}

#[test]
fn errors_are_json_on_stderr_with_json() {
    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(2));
    let output = env
        .payout_without_run(&csv, "run.sqlite", &["--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["error"]["exit_code"], 2);
    assert!(error["error"]["message"].as_str().unwrap().contains("--run NAME"));
}

#[test]
fn dry_run_shows_each_country_against_its_balance_and_sends_nothing() {
    let env = TestEnv::new();
    let mut lines = rows(3);
    lines.push("771234567,221,1000,Moussa,Diop,,,,http://127.0.0.1:9/notify".into());
    let csv = env.write_csv("pay.csv", &lines);
    env.payout_without_run(&csv, "run.sqlite", &["--dry-run"])
        .assert()
        .code(0)
        .stdout(
            contains("nothing is sent")
                .and(contains("CI             3  3,000 XOF  1,000,000 XOF  yes"))
                .and(contains("SN             1  1,000 XOF  1,000,000 XOF  yes"))
                .and(contains("total          4  4,000 XOF")),
        );
    assert!(env.ledger().is_empty());
    assert!(!env.dir.path().join("run.sqlite").exists(), "no journal written");

    // Against a run that paid two rows, only the rest is counted; a balance too small exits 1.
    let csv_two = env.write_csv("two.csv", &rows(2));
    env.payout(&csv_two, "run.sqlite", &[]).assert().code(0);
    env.sandbox
        .set_balance(cinetpay_sandbox::DEFAULT_API_KEY, "CI", 500)
        .unwrap();
    env.payout_without_run(&csv, "run.sqlite", &["--dry-run"])
        .assert()
        .code(1)
        .stdout(contains("CI             1  1,000 XOF        500 XOF  NO").and(contains("2 row(s) that run")))
        .stderr(contains(
            "not enough for: CI (needs 1,000 XOF, available 500 XOF)",
        ));
    assert_eq!(env.ledger().len(), 2);
}

#[test]
fn without_a_terminal_sending_needs_yes() {
    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(3));
    let mut cmd = env.cli();
    cmd.arg("payout")
        .arg(&csv)
        .arg("--journal")
        .arg(env.dir.path().join("run.sqlite"))
        .args(["--run", "nov"]);
    cmd.assert()
        .code(2)
        .stderr(contains("send 3 row(s), 3,000 XOF for run \"nov\"").and(contains("Add --yes")));
    assert!(env.ledger().is_empty());
    env.payout_without_run(&csv, "run.sqlite", &[]).assert().code(0);
    assert_eq!(env.ledger().len(), 3);
}

#[test]
fn rows_with_their_own_ids_are_never_paid_twice_whatever_the_run_name() {
    let env = TestEnv::new();
    let lines: Vec<String> = rows(3)
        .into_iter()
        .enumerate()
        .map(|(i, line)| line.replace(",,,,http", &format!(",,,own-{i},http")))
        .collect();
    let csv = env.write_csv("pay.csv", &lines);
    payout_named(&env, &csv, "a.sqlite", "nov").assert().code(0);
    env.payout_without_run(&csv, "b.sqlite", &["--new-run"])
        .assert()
        .code(0)
        .stderr(contains(
            "3 row(s), 3,000 XOF whose client_transaction_id comes from the file",
        ));
    assert_eq!(paid_per_phone(&env).len(), 3);
    assert_eq!(env.ledger().len(), 3);
}

/// Issue 11: a run interrupted while its request is still processed, then started again at once
/// in a new journal under the same run name (the journal path forgotten): the rows it does not
/// find yet are sent only once the first request cannot be running any more.
#[test]
fn a_new_journal_of_a_run_interrupted_moments_ago_does_not_resend_its_rows_in_flight() {
    use cinetpay_sandbox::{Endpoint, Fault, FaultKind};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(1));
    let payout = |journal: &str| {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("cinetpay"));
        cmd.env_remove("CINETPAY_BASE_URL")
            .env("CINETPAY_API_KEY", &env.api_key)
            .env("CINETPAY_API_PASSWORD", &env.password)
            .args(["--base-url", env.sandbox.base_url().as_str()])
            .args(["--request-timeout", "1s", "--processing-window", "3s"])
            .arg("payout")
            .arg(&csv)
            .arg("--journal")
            .arg(env.dir.path().join(journal))
            .args(["--run", "nov", "--yes", "--interval", "50ms"])
            .stdin(Stdio::null());
        cmd
    };
    env.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::SlowProcessing).with_latency_ms(2_000));
    let mut first = payout("a.sqlite")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !env.sandbox.faults().is_empty() {
        assert!(Instant::now() < deadline, "the payout request never left");
        std::thread::sleep(Duration::from_millis(10));
    }
    let arrived = Instant::now();
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(env.ledger().is_empty(), "still being processed");

    let second = payout("b.sqlite").output().unwrap();
    let err = stderr_of(&second);
    std::thread::sleep((arrived + Duration::from_millis(3_000)).saturating_duration_since(Instant::now()));
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}\n{err}");
    assert_eq!(ledger[0].send_attempts, 1, "sent once: {ledger:?}\n{err}");
    assert_eq!(second.status.code(), Some(0), "{err}");
    assert!(err.contains("waiting"), "{err}");
}

/// Review of the twelfth session: a command with a shorter `--request-timeout` +
/// `--processing-window` than the run was sent with (`watch` as the docs print it, without the
/// run's flags) waits as long as the run's window before it looks a row up and, not finding it,
/// puts it back to be sent: the journal records the longest window of the run's commands.
#[test]
fn a_command_with_a_shorter_window_than_the_run_waits_as_long_as_the_run() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let env = TestEnv::new();
    let csv = env.write_csv("pay.csv", &rows(1));
    let journal = env.dir.path().join("run.sqlite");
    let payout = || {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("cinetpay"));
        cmd.env_remove("CINETPAY_BASE_URL")
            .env("CINETPAY_API_KEY", &env.api_key)
            .env("CINETPAY_API_PASSWORD", &env.password)
            .args(["--base-url", env.sandbox.base_url().as_str()])
            .args(["--request-timeout", "1s", "--processing-window", "6s"])
            .arg("payout")
            .arg(&csv)
            .arg("--journal")
            .arg(&journal)
            .args(["--run", "nov", "--yes", "--interval", "50ms"])
            .stdin(Stdio::null());
        cmd
    };
    // Recorded 4 s after it arrives: longer than the 3 s window of `env.cli()`'s flags.
    env.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::SlowProcessing).with_latency_ms(4_000));
    let mut first = payout()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !env.sandbox.faults().is_empty() {
        assert!(Instant::now() < deadline, "the payout request never left");
        std::thread::sleep(Duration::from_millis(10));
    }
    first.kill().unwrap();
    first.wait().unwrap();

    let watched = env
        .cli()
        .arg("watch")
        .arg("--journal")
        .arg(&journal)
        .args(["--interval", "50ms", "--timeout", "20s"])
        .output()
        .unwrap();
    let err = stderr_of(&watched);
    let waited: u64 = err
        .split("waiting ")
        .nth(1)
        .and_then(|rest| rest.split('s').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no wait announced: {err}"));
    assert!(waited >= 6, "waited {waited}s, not the run's 7 s: {err}");
    payout().output().unwrap();
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}\n{err}");
    assert_eq!(ledger[0].send_attempts, 1, "sent once: {ledger:?}\n{err}");
}

/// Two identical payouts paid under derived ids; then the first one's id is copied into its own
/// cell, which gives the second that same id (it moves up one occurrence). Paying both under one
/// id would pay only one of them: refused before any request, naming the line with the id in
/// its cell, in a new journal, in the run's own journal (a changed file) and in a dry run; and
/// what the message says to do (give that row back its empty cell) pays nothing again.
#[test]
fn an_own_id_that_is_another_rows_derived_id_is_refused_before_any_request() {
    let env = TestEnv::new();
    let twin = rows(1)[0].clone();
    let csv = env.write_csv("pay.csv", &[twin.clone(), twin.clone()]);
    payout_named(&env, &csv, "a.sqlite", "nov").assert().code(0);
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 2);
    let first_id = |env: &TestEnv| {
        let mut ids: Vec<(String, String)> = env
            .ledger()
            .into_iter()
            .map(|e| (e.client_transaction_id, e.transaction_id))
            .collect();
        ids.sort_by(|a, b| a.1.cmp(&b.1));
        ids[0].0.clone()
    };
    let derived = first_id(&env);
    assert!(derived.starts_with("csv-"), "{derived}");

    let with_own_id = twin.replace(",,,,http", &format!(",,,{derived},http"));
    for (rows, own_line, other_line) in [
        ([with_own_id.clone(), twin.clone()], 2, 3),
        ([twin.clone(), with_own_id.clone()], 3, 2),
    ] {
        let refused = format!(
            "line {own_line}, client_transaction_id: \"{derived}\" is also the id line {other_line} gets from the run"
        );
        let csv = env.write_csv("clash.csv", &rows);
        let before = env.sandbox.requests().received;
        payout_named(&env, &csv, "b.sqlite", "nov")
            .assert()
            .code(2)
            .stderr(contains(refused.as_str()).and(contains("Give this row back")));
        assert!(!env.journal_files().iter().any(|f| f.starts_with("b.sqlite")));
        payout_named(&env, &csv, "c.sqlite", "nov")
            .arg("--dry-run")
            .assert()
            .code(2)
            .stderr(contains(refused.as_str()));
        assert_eq!(env.sandbox.requests().received, before, "no request");

        // The run's own journal, given the edited file: refused the same way.
        let csv = env.write_csv("pay.csv", &rows);
        let before = env.sandbox.requests().received;
        env.payout_without_run(&csv, "a.sqlite", &["--allow-changed-file"])
            .assert()
            .code(2)
            .stderr(contains(refused.as_str()));
        assert_eq!(env.sandbox.requests().received, before, "no request");
    }

    // Done as the message says (the cell emptied again): nothing is paid again, in the run's
    // journal or in a new one.
    let csv = env.write_csv("pay.csv", &[twin.clone(), twin]);
    env.payout_without_run(&csv, "a.sqlite", &[]).assert().code(0);
    payout_named(&env, &csv, "d.sqlite", "nov").assert().code(0);
    let ledger = env.ledger();
    assert_eq!(ledger.len(), 2, "{ledger:?}");
    assert!(ledger.iter().all(|e| e.send_attempts == 1), "{ledger:?}");
}
