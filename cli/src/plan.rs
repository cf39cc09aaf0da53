//! What a payout run is about to send, per country against the balance, and the "yes" before it.
//!
//! Money leaves per country (each has its own balance at CinetPay), so that is how the plan is
//! shown: `payout --dry-run` prints it and stops; a real run shows it and asks before the first
//! payout leaves. The question needs a person: on a terminal it is asked (`--yes` skips it);
//! without one (a script, cron, CI) a run that would send money stops unless `--yes` says the
//! caller agreed beforehand, because a command that pays silently when piped is the one a
//! copy-paste turns into a second payroll. `--sandbox` never asks: no money moves.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};

use cinetpay_transfer::{Balance, Limits};
use serde::Serialize;

use crate::exit::CliError;
use crate::i18n::{t, text};
use crate::output::{table, xof};

/// The payouts of one country in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryPlan {
    /// ISO code (`CI`), or the calling code when it is not a known country.
    pub country: String,
    pub payouts: u64,
    pub amount_xof: i64,
    /// What CinetPay says can be sent to this country now, when it says.
    pub available_xof: Option<i64>,
}

impl CountryPlan {
    /// False when the balance is known and too small.
    pub fn covered(&self) -> bool {
        self.available_xof.is_none_or(|a| a >= self.amount_xof)
    }
}

/// Groups `(prefix, amount)` payouts by country and sets each country's available balance.
pub fn per_country<'a>(
    payouts: impl IntoIterator<Item = (&'a str, i64)>,
    balance: &Balance,
    limits: &Limits,
) -> Vec<CountryPlan> {
    let mut by_country: BTreeMap<String, (u64, i64)> = BTreeMap::new();
    for (prefix, amount) in payouts {
        let country = limits
            .countries
            .get(prefix)
            .map_or_else(|| format!("+{prefix}"), |rule| rule.iso.clone());
        let entry = by_country.entry(country).or_default();
        entry.0 += 1;
        entry.1 += amount;
    }
    by_country
        .into_iter()
        .map(|(country, (payouts, amount_xof))| CountryPlan {
            available_xof: balance.countries.get(&country).map(|b| b.available),
            country,
            payouts,
            amount_xof,
        })
        .collect()
}

/// The plan as a table, with a total line.
pub fn plan_table(plans: &[CountryPlan]) -> String {
    let mut rows: Vec<Vec<String>> = plans
        .iter()
        .map(|p| {
            vec![
                p.country.clone(),
                crate::i18n::number(p.payouts),
                xof(p.amount_xof),
                p.available_xof.map_or("-".into(), xof),
                if p.covered() {
                    t!("enough-yes")
                } else {
                    t!("enough-no")
                },
            ]
        })
        .collect();
    rows.push(vec![
        t!("col-total"),
        crate::i18n::number(plans.iter().map(|p| p.payouts).sum::<u64>()),
        xof(plans.iter().map(|p| p.amount_xof).sum()),
        String::new(),
        String::new(),
    ]);
    table(
        &[
            &t!("col-country"),
            &t!("col-payouts"),
            &t!("col-to-send"),
            &t!("col-available"),
            &t!("col-enough"),
        ],
        &rows,
        &[1, 2, 3],
    )
}

/// Whether sending may start: `Ok` when agreed (or no agreement is needed), `Err` otherwise.
pub async fn agree(question: &str, yes: bool, sandbox: bool) -> Result<(), CliError> {
    if yes || sandbox {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::invalid(t!("no-terminal", question = text(question))));
    }
    eprint!("{} ", t!("confirm-prompt", question = text(question)));
    let _ = std::io::stderr().flush();
    let answer = read_answer()
        .await
        .map_err(|e| CliError::invalid(t!("answer-unreadable", reason = text(e))))?;
    if matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "yes" | "y" | "oui" | "o"
    ) {
        Ok(())
    } else {
        Err(CliError::invalid(t!("not-confirmed")))
    }
}

/// One line from the terminal, read on a thread of its own. Read on the runtime's one thread
/// (ADR 14), it held that thread until Enter, so Ctrl-C at the question was only seen after it;
/// here the wait is a future the command's Ctrl-C branch drops at once, and the process exits
/// without joining the thread still reading. A plain thread, not `spawn_blocking`: dropping the
/// runtime waits for its blocking tasks, and this one ends only with a line.
async fn read_answer() -> std::io::Result<String> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line).map(|_| line);
        let _ = reply.send(read);
    });
    answer
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("the thread reading it stopped")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cinetpay_transfer::CountryBalance;

    #[test]
    fn payouts_are_grouped_by_country_against_its_balance() {
        let mut balance = Balance {
            amount: 0,
            in_using: 0,
            available: 0,
            countries: BTreeMap::new(),
        };
        let country = |available| CountryBalance {
            available,
            amount: None,
            in_using: None,
        };
        balance.countries.insert("CI".into(), country(10_000));
        balance.countries.insert("SN".into(), country(100));
        let plans = per_country(
            [("225", 5_000), ("225", 4_000), ("221", 500), ("999", 200)],
            &balance,
            &Limits::default(),
        );
        let found: Vec<(&str, u64, i64, bool)> = plans
            .iter()
            .map(|p| (p.country.as_str(), p.payouts, p.amount_xof, p.covered()))
            .collect();
        assert_eq!(
            found,
            [
                ("+999", 1, 200, true),
                ("CI", 2, 9_000, true),
                ("SN", 1, 500, false)
            ]
        );
        let text = plan_table(&plans);
        assert!(
            text.contains("SN             1    500 XOF     100 XOF  NO"),
            "{text}"
        );
        assert!(text.contains("total          4  9,700 XOF"), "{text}");
    }
}
