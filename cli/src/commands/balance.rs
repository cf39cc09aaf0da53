//! `cinetpay balance`: the transfer balance, total and per country.

use crate::exit::{CliResult, Exit};
use crate::i18n::t;
use crate::output::{print_json, table, xof};
use crate::session::Session;
use crate::GlobalArgs;

pub async fn run(global: &GlobalArgs) -> CliResult {
    let session = Session::open(global).await?;
    let balance = session.client.balance().await?;
    if global.json {
        print_json(&balance);
        return Ok(Exit::Ok);
    }
    let mut rows = vec![vec![
        t!("balance-all"),
        xof(balance.available),
        xof(balance.in_using),
        xof(balance.amount),
    ]];
    rows.extend(balance.countries.iter().map(|(country, b)| {
        vec![
            country.clone(),
            xof(b.available),
            b.in_using.map_or("-".into(), xof),
            b.amount.map_or("-".into(), xof),
        ]
    }));
    println!(
        "{}",
        table(
            &[
                &t!("col-country"),
                &t!("col-available"),
                &t!("col-in-use"),
                &t!("col-total")
            ],
            &rows,
            &[1, 2, 3]
        )
    );
    Ok(Exit::Ok)
}
