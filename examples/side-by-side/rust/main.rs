//! The side-by-side program in Rust (see ../README.md): the balance, two payouts, their final
//! statuses, then their notifications read and confirmed the way a notify URL handler does.
//! It talks only to a local sandbox named in the environment, never to the real API:
//!
//! ```sh
//! cargo run -q -p cinetpay-sandbox -- --clock real --addr 127.0.0.1:8089 &
//! CINETPAY_SANDBOX_URL=http://127.0.0.1:8089/v1 cargo run -q -p cinetpay-side-by-side
//! ```
use std::time::{Duration, SystemTime};

use cinetpay_transfer::{Client, NotificationEvent, Transfer, TransferQuery};
use serde_json::Value;

const LOCAL: [&str; 3] = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"];
const NOTIFY_URL: &str = "https://shop.example/cinetpay/notify";
const PAYOUTS: [(&str, i64); 2] = [("+2250701020304", 5_000), ("+2250701020000", 3_000)]; // ...000: rejected
const POLLS: u32 = 150; // 200 ms apart: give up after 30 s

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("CINETPAY_SANDBOX_URL").unwrap_or_default();
    if !LOCAL.iter().any(|local| base_url.starts_with(local)) {
        eprintln!("set CINETPAY_SANDBOX_URL to a local sandbox (http://127.0.0.1:PORT/v1); nothing was sent");
        std::process::exit(2);
    }
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let api_key = env("CINETPAY_SANDBOX_API_KEY", "sandbox-api-key");
    let password = env("CINETPAY_SANDBOX_PASSWORD", "sandbox-password");
    let client = Client::builder()
        .credentials(api_key, password)
        .base_url(&base_url)
        .build()?;

    println!("available: {} XOF", client.balance().await?.available);

    let run = SystemTime::UNIX_EPOCH.elapsed()?.as_millis(); // the ids are the idempotency keys
    let ids: Vec<String> = (1..=PAYOUTS.len())
        .map(|n| format!("side-by-side-{run}-{n}"))
        .collect();
    let transfers: Vec<Transfer> = (PAYOUTS.iter().zip(&ids))
        .map(|((phone, amount), id)| Transfer::new("", phone, *amount, NOTIFY_URL).client_transaction_id(id))
        .collect();
    for (n, result) in client.pay(&transfers).await?.iter().enumerate() {
        let outcome = format!("{:?}", result.outcome).to_lowercase(); // Accepted -> accepted
        println!("payout {}: {outcome}", n + 1);
    }

    for (n, id) in ids.iter().enumerate() {
        let query = TransferQuery::ClientTransactionId(id.clone());
        let mut poll = 1;
        let status = loop {
            let status = client.transfer_status(&query).await?.remove(0).treatment_status;
            if status.is_final() {
                break status;
            }
            if poll == POLLS {
                return Err(format!("payout {} is still not final after 30 s", n + 1).into());
            }
            poll += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        println!("payout {}: {status}", n + 1);
    }

    // What the sandbox posted to notify_url: the form fields a web framework hands a handler.
    let posted = base_url.trim_end_matches("/v1").to_owned() + "/_sandbox/notifications";
    for (n, id) in ids.iter().enumerate() {
        let mut poll = 1;
        let fields = loop {
            let all: Value = serde_json::from_str(&reqwest::get(&posted).await?.text().await?)?;
            let mut mine = all.as_array().into_iter().flatten().map(|d| &d["fields"]);
            if let Some(fields) = mine.rfind(|f| f["client_transaction_id"] == id.as_str()) {
                break fields.as_object().cloned().unwrap_or_default();
            }
            if poll == POLLS {
                return Err(format!("no notification for payout {} after 30 s", n + 1).into());
            }
            poll += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let pairs = fields.iter().map(|(k, v)| (k, v.as_str().unwrap_or_default()));
        let NotificationEvent::Transfer(notification) = NotificationEvent::from_fields(pairs, "POST")? else {
            continue; // a ping: answer 200, nothing to do
        };
        let info = client.confirm_notification(&notification).await?; // asks the service, never trusts the body
        println!(
            "notification for payout {}: {}, confirmed",
            n + 1,
            info.treatment_status
        );
    }
    Ok(())
}
