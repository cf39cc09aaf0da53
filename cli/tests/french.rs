//! The CLI in French, end to end against the sandbox: chosen by `--lang fr` or by a `fr_*`
//! locale, with `--lang en` winning over the locale; help, tables, totals, hints and the core's
//! error texts in French, amounts written `1 868 200 XOF` (narrow no-break spaces). The English
//! side of the same commands is what the other test files check.

mod common;

use cinetpay_sandbox::DEFAULT_API_KEY;
use common::{rejected_row, rows, stderr_of, stdout_of, TestEnv};

/// U+202F NARROW NO-BREAK SPACE, the French thousands separator.
const NNBSP: char = '\u{202F}';

/// `text` with every space between two digits made a narrow no-break space.
fn french(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    (0..chars.len())
        .map(|i| {
            if chars[i] == ' ' && i > 0 && digit(i - 1) && digit(i + 1) {
                NNBSP
            } else {
                chars[i]
            }
        })
        .collect()
}

#[test]
fn the_help_follows_the_locale_and_the_flag() {
    let env = TestEnv::new();
    let output = env
        .cli()
        .env("LANG", "fr_CI.UTF-8")
        .arg("--help")
        .output()
        .unwrap();
    let out = stdout_of(&output);
    assert!(output.status.success());
    assert!(out.contains("Utilisation : cinetpay"), "{out}");
    assert!(out.contains("Codes de sortie :"), "{out}");
    assert!(out.contains("3  échec partiel"), "{out}");
    assert!(out.contains("Afficher le solde de transfert"), "{out}");

    let payout = env
        .cli()
        .args(["--lang", "fr", "payout", "--help"])
        .output()
        .unwrap();
    assert!(
        stdout_of(&payout).contains("Colonnes du CSV"),
        "{}",
        stdout_of(&payout)
    );

    let english = env
        .cli()
        .env("LANG", "fr_SN.UTF-8")
        .args(["--lang", "en", "--help"])
        .output()
        .unwrap();
    assert!(
        stdout_of(&english).contains("Exit codes:"),
        "{}",
        stdout_of(&english)
    );
}

#[test]
fn a_french_run_summarises_in_french_with_french_amounts() {
    let env = TestEnv::new();
    let mut lines = rows(11);
    lines.push(rejected_row());
    let csv = env.write_csv("paie.csv", &lines);

    let output = env
        .payout(&csv, "run.sqlite", &[])
        .env("LANG", "fr_CI.UTF-8")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "stderr: {}", stderr_of(&output));
    let out = stdout_of(&output);
    assert!(out.contains("campagne \"test-run\" : transferts de"), "{out}");
    let line = |name: &str| {
        let found = out.lines().find(|l| l.starts_with(name));
        found.map(|l| {
            l.split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    assert_eq!(line("payés"), Some(format!("payés 11 11{NNBSP}000 XOF")), "{out}");
    assert_eq!(
        line("rejetés"),
        Some(format!("rejetés 1 2{NNBSP}500 XOF")),
        "{out}"
    );
    assert!(out.contains("statut"), "{out}");
    assert!(out.contains("rejeté"), "{out}");
    // JSON is for programs: the same keys and states in every language.
    let json = env
        .payout(&csv, "run.sqlite", &["--json"])
        .args(["--lang", "fr"])
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(summary["rows"][0]["state"], "paid");
    assert_eq!(summary["totals"]["paid"]["count"], 11);
}

#[test]
fn bad_rows_are_explained_in_french_before_anything_is_sent() {
    let env = TestEnv::new();
    let mut lines = rows(3);
    lines[1] = "0701020304,225,1002,Odd,Amount,,,,http://127.0.0.1:9/notify".into();
    let csv = env.write_csv("bad.csv", &lines);

    let output = env
        .payout(&csv, "run.sqlite", &["--lang", "fr"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr_of(&output);
    assert!(err.contains("1 problème ; rien n'a été envoyé"), "{err}");
    assert!(
        err.contains(&french(
            "ligne 3, amount : le montant 1 002 XOF doit être un multiple de 5"
        )),
        "{err}"
    );
    assert!(err.starts_with("erreur : "), "{err}");
    assert!(env.ledger().is_empty());
}

#[test]
fn balance_and_refusals_in_french() {
    let env = TestEnv::new();
    let output = env.cli().args(["--lang", "fr", "balance"]).output().unwrap();
    assert!(output.status.success());
    let out = stdout_of(&output);
    assert!(out.starts_with("pays"), "{out}");
    assert!(out.contains(&french("10 000 000 XOF")), "{out}");

    env.sandbox.set_balance(DEFAULT_API_KEY, "CI", 1_500).unwrap();
    let csv = env.write_csv("pay.csv", &rows(4));
    let output = env
        .payout(&csv, "run.sqlite", &[])
        .env("LC_ALL", "fr_BJ.UTF-8")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr_of(&output);
    assert!(
        err.contains("envoi arrêté : CinetPay a refusé la demande : 602"),
        "{err}"
    );
    assert!(err.contains("INSUFFICIENT_BALANCE"), "{err}");
    assert!(env.ledger().is_empty());
}

#[test]
fn missing_credentials_are_explained_in_french() {
    let env = TestEnv::new();
    let output = env
        .cli()
        .env_remove("CINETPAY_API_KEY")
        .env("LANG", "fr_CM.UTF-8")
        .arg("balance")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr_of(&output);
    assert!(
        err.contains("CINETPAY_API_KEY absent(s) dans l'environnement"),
        "{err}"
    );
}

#[test]
fn a_bad_header_is_explained_in_french() {
    let env = TestEnv::new();
    let csv = env.dir.path().join("entete.csv");
    std::fs::write(&csv, "phone;ammount;name;surname\n0701020304;500;Awa;Kone\n").unwrap();
    let output = env
        .payout(&csv, "run.sqlite", &["--lang", "fr"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr_of(&output);
    assert!(
        err.contains("ligne 1, header : colonne inconnue \"ammount\""),
        "{err}"
    );
    assert!(err.contains("colonne manquante \"amount\""), "{err}");
    assert!(env.ledger().is_empty());
}
