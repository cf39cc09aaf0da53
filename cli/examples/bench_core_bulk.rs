//! The yardstick of `scripts/bench-cli.sh`: the core's own bulk time for the payouts of a CSV
//! file, one `Client::pay` call with the CLI's default chunking (25 per request, 4 in flight),
//! against the server at `--base-url`. No journal, no file checks: what the CLI adds is measured
//! against this.
//!
//! Run: `target/release/examples/bench_core_bulk BASE_URL FILE.csv` (columns
//! `phone,prefix,amount,name,surname`, as the script writes them; the sandbox's seeded merchant).

use std::time::Instant;

use cinetpay_transfer::{Client, SendOutcome, Transfer};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(base_url), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: bench_core_bulk BASE_URL FILE.csv");
        std::process::exit(2);
    };
    let data = std::fs::read_to_string(&path).expect("the CSV file");
    let transfers: Vec<Transfer> = data
        .lines()
        .skip(1)
        .enumerate()
        .map(|(i, line)| {
            let cells: Vec<&str> = line.split(',').collect();
            let amount = cells[2].parse().expect("a whole amount");
            Transfer {
                name: Some(cells[3].to_owned()),
                surname: Some(cells[4].to_owned()),
                ..Transfer::new(cells[1], cells[0], amount, "http://127.0.0.1:9/notify")
                    .client_transaction_id(format!("core-bench-{i}"))
            }
        })
        .collect();
    let client = Client::builder()
        .credentials("sandbox-api-key", "sandbox-password")
        .base_url(base_url)
        .chunk_size(25)
        .max_concurrency(4)
        .build()
        .expect("client");
    let started = Instant::now();
    let results = client.pay(&transfers).await.expect("pay");
    let elapsed = started.elapsed();
    let accepted = results
        .iter()
        .filter(|r| r.outcome == SendOutcome::Accepted)
        .count();
    println!(
        "core pay: {} payouts, {accepted} accepted, {:.2} s",
        transfers.len(),
        elapsed.as_secs_f64()
    );
}
