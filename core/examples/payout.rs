//! Pays one payee and follows the payout until it is final.
//!
//! ```sh
//! cargo run -p cinetpay-transfer --example payout                             # in-process sandbox, no money moves
//! cargo run -p cinetpay-transfer --example payout -- --live PHONE AMOUNT      # the live service: REAL MONEY
//! cargo run -p cinetpay-transfer --example payout -- --live --yes PHONE AMOUNT  # live, no terminal (scripts)
//! ```
//!
//! The rule of every example: the sandbox unless the command line says `--live` AND names the
//! payee (with its country code, `+225...`) and the amount (whole XOF). Credentials in the shell
//! are read only with `--live` (`CINETPAY_API_KEY`, `CINETPAY_API_PASSWORD`, and
//! `CINETPAY_BASE_URL` when set; production otherwise). A live run shows the payee masked, the
//! amount and the balance, then asks on the terminal; without a terminal it needs `--yes`.
//!
//! It speaks the language of the locale: French when `LC_ALL`, `LC_MESSAGES` or `LANG` says `fr_*`
//! (`LANG=fr_CI.UTF-8 cargo run ...`), English otherwise, and its client returns errors in that
//! language too (`ClientBuilder::lang`).

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use cinetpay_sandbox::{Sandbox, SandboxConfig, DEFAULT_API_KEY, DEFAULT_PASSWORD};
use cinetpay_transfer::i18n::format_amount;
use cinetpay_transfer::{Client, Lang, SendOutcome, Transfer, TransferQuery, PRODUCTION_BASE_URL};

/// The language of the locale, as POSIX orders its variables.
fn lang() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .unwrap_or_default();
    if locale.starts_with("fr") {
        Lang::Fr
    } else {
        Lang::En
    }
}

/// The English or the French text, in the example's language.
fn say(en: String, fr: String) -> String {
    match lang() {
        Lang::Fr => fr,
        _ => en,
    }
}

/// An amount in whole XOF, written the way the language writes it (`1 000 000` in French).
fn xof(amount: i64) -> String {
    format!("{} XOF", format_amount(amount, lang()))
}

fn usage() -> String {
    say(
        "usage: cargo run -p cinetpay-transfer --example payout -- [--live [--yes] PHONE AMOUNT]   \
         (PHONE with its country code: +225..., AMOUNT in whole XOF)"
            .into(),
        "utilisation : cargo run -p cinetpay-transfer --example payout -- [--live [--yes] NUMÉRO MONTANT]   \
         (NUMÉRO avec son indicatif pays : +225..., MONTANT en XOF entiers)"
            .into(),
    )
}

/// A live run, fully asked for on the command line.
struct Live {
    phone: String,
    amount: i64,
    yes: bool,
    base_url: String,
    api_key: String,
    password: String,
}

/// `None`: the sandbox. `Err`: why a live run is refused (before any request).
fn live_args(args: &[String]) -> Result<Option<Live>, String> {
    let (flags, words): (Vec<&str>, Vec<&str>) =
        args.iter().map(String::as_str).partition(|a| a.starts_with("--"));
    if let Some(unknown) = flags.iter().find(|f| !matches!(**f, "--live" | "--yes")) {
        return Err(say(
            format!("unknown option {unknown}"),
            format!("option inconnue {unknown}"),
        ));
    }
    let yes = flags.contains(&"--yes");
    if !flags.contains(&"--live") {
        if !words.is_empty() || yes {
            return Err(say(
                "a payee, an amount and --yes only mean something with --live".into(),
                "un bénéficiaire, un montant et --yes n'ont de sens qu'avec --live".into(),
            ));
        }
        return Ok(None);
    }
    let [phone, amount] = words[..] else {
        return Err(say(
            "--live needs the payee and the amount on the command line".into(),
            "--live demande le bénéficiaire et le montant sur la ligne de commande".into(),
        ));
    };
    let typed = phone;
    let phone: String = phone.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let digits = phone.strip_prefix('+').unwrap_or_default();
    if !(9..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(say(
            format!("the payee must be a full number with its country code (+225...), not {typed:?}"),
            format!("le bénéficiaire doit être un numéro complet avec son indicatif pays (+225...), pas {typed:?}"),
        ));
    }
    let not_whole = || {
        say(
            format!("the amount must be whole XOF, not {amount:?}"),
            format!("le montant doit être en XOF entiers, pas {amount:?}"),
        )
    };
    if amount.starts_with('0') || !amount.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_whole());
    }
    let amount = amount.parse().map_err(|_| not_whole())?;
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let (Some(api_key), Some(password)) = (var("CINETPAY_API_KEY"), var("CINETPAY_API_PASSWORD")) else {
        return Err(say(
            "--live needs CINETPAY_API_KEY and CINETPAY_API_PASSWORD in the environment".into(),
            "--live demande CINETPAY_API_KEY et CINETPAY_API_PASSWORD dans l'environnement".into(),
        ));
    };
    if !yes && !std::io::stdin().is_terminal() {
        return Err(say(
            "--live asks for confirmation on a terminal; without one, add --yes".into(),
            "--live demande confirmation sur un terminal ; sans terminal, ajoutez --yes".into(),
        ));
    }
    let base_url = var("CINETPAY_BASE_URL").unwrap_or_else(|| PRODUCTION_BASE_URL.to_owned());
    Ok(Some(Live {
        phone,
        amount,
        yes,
        base_url,
        api_key,
        password,
    }))
}

/// `+2250701020304` -> `+225 07******04` (every CinetPay country code has 3 digits).
fn mask_phone(phone: &str) -> String {
    let national = &phone[4..];
    let hidden = "*".repeat(national.len() - 4);
    format!(
        "+{} {}{hidden}{}",
        &phone[1..4],
        &national[..2],
        &national[national.len() - 2..]
    )
}

/// Shows what a live run is about to pay; true when the user typed "yes" or "oui" (or gave --yes).
fn confirm_live(live: &Live, available: i64) -> bool {
    let (url, payee) = (&live.base_url, mask_phone(&live.phone));
    let (amount, available) = (xof(live.amount), xof(available));
    println!(
        "{}",
        say(
            format!("LIVE on {url}: REAL MONEY"),
            format!("EN DIRECT sur {url} : ARGENT RÉEL")
        )
    );
    println!(
        "{}",
        say(
            format!("about to pay {amount} to {payee} (available: {available})"),
            format!("paiement imminent de {amount} au {payee} (disponible : {available})"),
        )
    );
    if live.yes {
        return true;
    }
    print!(
        "{} ",
        say(
            "Type yes to pay, anything else to stop:".into(),
            "Tapez oui pour payer, autre chose pour arrêter :".into(),
        )
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok() && matches!(answer.trim(), "yes" | "oui")
}

/// Pays, then polls until the payout is final; `sandbox` moves the sandbox's clock between polls.
async fn pay_and_follow(client: &Client, phone: &str, amount: i64, sandbox: Option<&Sandbox>) -> ExitCode {
    // The idempotency key: keep it with your order, and never reuse it for another payout.
    let id = format!(
        "example-{}",
        std::time::SystemTime::UNIX_EPOCH
            .elapsed()
            .unwrap_or_default()
            .as_millis()
    );
    let mut transfer =
        Transfer::new("", phone, amount, "https://shop.example/cinetpay/notify").client_transaction_id(&id);
    transfer.name = Some("Example".into()); // used when `pay` registers the payee as a contact
    transfer.surname = Some("Payee".into());
    let result = match client.pay(&[transfer]).await {
        Ok(mut results) => results.remove(0),
        Err(e) => return failed(e),
    };
    if result.outcome != SendOutcome::Accepted {
        let (outcome, why) = (
            result.outcome,
            result.error.map(|e| e.to_string()).unwrap_or_default(),
        );
        eprintln!(
            "{}",
            say(
                format!("not sent ({outcome:?}): {why}"),
                format!("non envoyé ({outcome:?}) : {why}")
            )
        );
        return ExitCode::FAILURE;
    }
    let transaction_id = result.transaction_id.unwrap_or_default();
    println!(
        "{}",
        say(
            format!("accepted: {transaction_id} (client_transaction_id {id})"),
            format!("accepté : {transaction_id} (client_transaction_id {id})"),
        )
    );
    loop {
        let info = match client
            .transfer_status(&TransferQuery::ClientTransactionId(id.clone()))
            .await
        {
            Ok(mut infos) if !infos.is_empty() => infos.remove(0),
            Ok(_) => return failed(say(format!("{id} not found"), format!("{id} introuvable"))),
            Err(e) => return failed(e),
        };
        println!("  {}", info.treatment_status);
        if info.treatment_status.is_final() {
            return ExitCode::SUCCESS;
        }
        match sandbox {
            // The sandbox's time moves only when told (NEW -> REC -> VAL); the live service's by itself.
            Some(sandbox) => {
                sandbox.advance_clock(Duration::from_secs(5));
            }
            None => tokio::time::sleep(Duration::from_secs(5)).await,
        }
    }
}

fn failed(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("{error}");
    ExitCode::FAILURE
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let live = match live_args(&args) {
        Ok(live) => live,
        Err(why) => {
            let nothing = say("Nothing was sent.".into(), "Rien n'a été envoyé.".into());
            eprintln!("{why}\n{}\n{nothing}", usage());
            return ExitCode::from(2);
        }
    };
    let Some(live) = live else {
        let sandbox = Sandbox::start(SandboxConfig::default())
            .await
            .expect("the sandbox starts on 127.0.0.1");
        println!(
            "{}",
            say(
                "sandbox: no money moves".into(),
                "bac à sable : aucun argent ne bouge".into()
            )
        );
        let client = Client::builder()
            .credentials(DEFAULT_API_KEY, DEFAULT_PASSWORD)
            .base_url(sandbox.base_url())
            .lang(lang())
            .build()
            .expect("a valid configuration");
        let code = match client.balance().await {
            Ok(balance) => {
                let available = xof(balance.available);
                println!(
                    "{}",
                    say(
                        format!("available: {available}"),
                        format!("disponible : {available}")
                    )
                );
                pay_and_follow(&client, "+2250701020304", 5_000, Some(&sandbox)).await
            }
            Err(e) => failed(e),
        };
        sandbox.shutdown().await;
        return code;
    };
    let client = match Client::builder()
        .credentials(live.api_key.as_str(), live.password.as_str())
        .base_url(&live.base_url)
        .lang(lang())
        .build()
    {
        Ok(client) => client,
        Err(e) => return failed(e),
    };
    let available = match client.balance().await {
        Ok(balance) => balance.available,
        Err(e) => {
            let nothing = say("Nothing was sent.".into(), "Rien n'a été envoyé.".into());
            return failed(format!("{e}\n{nothing}"));
        }
    };
    if !confirm_live(&live, available) {
        println!(
            "{}",
            say(
                "stopped: nothing was sent".into(),
                "arrêté : rien n'a été envoyé".into()
            )
        );
        return ExitCode::FAILURE;
    }
    pay_and_follow(&client, &live.phone, live.amount, None).await
}
