//! Benchmark: how much faster a bulk payout is with chunked, concurrent requests than with one
//! request per payout, against the in-process sandbox. Both runs happen in this one process, on
//! the same machine state; the figure to read is the ratio, not the absolute times.
//!
//! Run: `cargo run --release -p cinetpay-transfer --example bench_bulk_send [PAYOUTS]`

use std::time::{Duration, Instant};

use cinetpay_sandbox::{Sandbox, SandboxConfig};
use cinetpay_transfer::{Client, Contact, SendOutcome, Transfer};

async fn run(base_url: &str, label: &str, chunk_size: usize, concurrency: usize, payouts: usize) -> Duration {
    let client = Client::builder()
        .credentials("sandbox-api-key", "sandbox-password")
        .base_url(base_url)
        .chunk_size(chunk_size)
        .max_concurrency(concurrency)
        .build()
        .expect("client");
    let contact = Contact {
        prefix: "225".into(),
        phone: "0701020304".into(),
        name: "Bench".into(),
        surname: "Payee".into(),
        email: String::new(),
    };
    client.add_contacts(&[contact]).await.expect("contact");
    let transfers: Vec<Transfer> = (0..payouts)
        .map(|i| {
            Transfer::new("225", "0701020304", 500, "http://127.0.0.1:9/notify")
                .client_transaction_id(format!("{label}-{i}"))
        })
        .collect();
    let started = Instant::now();
    if chunk_size == 1 && concurrency == 1 {
        // The hand-rolled baseline: one call per payout, one after the other.
        for transfer in &transfers {
            let result = client.send(std::slice::from_ref(transfer)).await.expect("send");
            assert_eq!(result[0].outcome, SendOutcome::Accepted);
        }
    } else {
        let results = client.send(&transfers).await.expect("send");
        assert!(results.iter().all(|r| r.outcome == SendOutcome::Accepted));
    }
    started.elapsed()
}

#[tokio::main]
async fn main() {
    let payouts: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let sandbox = Sandbox::start(SandboxConfig::default()).await.expect("sandbox");
    let base_url = sandbox.base_url();
    let baseline = run(&base_url, "one-by-one", 1, 1, payouts).await;
    let bulk = run(&base_url, "bulk", 50, 4, payouts).await;
    println!("payouts: {payouts}");
    println!(
        "one request per payout (baseline): {:.1} ms",
        baseline.as_secs_f64() * 1e3
    );
    println!(
        "chunks of 50, 4 in flight:         {:.1} ms",
        bulk.as_secs_f64() * 1e3
    );
    println!("speed-up: {:.1}x", baseline.as_secs_f64() / bulk.as_secs_f64());
}
