//! How a request's cost grows with the payouts the sandbox holds (issue 13).
//!
//! For each size N (default 0, 100,000 and 1,000,000) a fresh in-process sandbox is filled with N
//! payouts over HTTP, in send requests of 1,000 items (one HTTP call per payout would take longer
//! than the measure itself; batches go through the same code path, minus the per-request overhead).
//! The clock is manual and never advanced, so every held payout stays NEW with a step still due:
//! the worst case for a due-time queue. Then, on the same keep-alive connection, rounds of one
//! single-item send plus one status lookup by `client_transaction_id` are timed, in blocks; the
//! median block gives the cost per request, printed with its ratio to the empty sandbox.
//!
//! ```sh
//! cargo run --release -p cinetpay-sandbox --example fill_and_measure            # 0, 100k, 1M
//! cargo run --release -p cinetpay-sandbox --example fill_and_measure -- 0 10000 --rounds=200
//! ```

use std::time::Instant;

use cinetpay_sandbox::{MerchantConfig, Sandbox, SandboxConfig, DEFAULT_API_KEY, DEFAULT_PASSWORD};
use serde_json::{json, Value};

const BATCH: usize = 1_000;
const BLOCKS: usize = 5;
const PHONE: &str = "0701020304";

type Failure = Box<dyn std::error::Error>;

struct Options {
    sizes: Vec<usize>,
    rounds: usize,
}

fn options() -> Result<Options, Failure> {
    let mut o = Options {
        sizes: Vec::new(),
        rounds: 2_000,
    };
    for arg in std::env::args().skip(1) {
        if let Some(v) = arg.strip_prefix("--rounds=") {
            o.rounds = v.parse()?;
        } else {
            o.sizes.push(arg.replace('_', "").parse()?);
        }
    }
    if o.sizes.is_empty() {
        o.sizes = vec![0, 100_000, 1_000_000];
    }
    o.rounds = o.rounds.max(BLOCKS);
    Ok(o)
}

/// A logged-in client of one sandbox, with its one contact.
struct Bench {
    http: reqwest::Client,
    base: String,
    token: String,
}

async fn json_of(response: reqwest::Response) -> Result<Value, Failure> {
    let body = response.bytes().await?;
    Ok(serde_json::from_slice(&body)?)
}

impl Bench {
    async fn login(base: String) -> Result<Bench, Failure> {
        let http = reqwest::Client::new();
        let url = format!("{base}/auth/login");
        let form = [("apikey", DEFAULT_API_KEY), ("password", DEFAULT_PASSWORD)];
        let body = json_of(http.post(url).form(&form).send().await?).await?;
        let token = body["data"]["token"].as_str().ok_or("no token")?.to_string();
        let bench = Bench { http, base, token };
        let contact =
            json!([{"prefix": "225", "phone": PHONE, "name": "A", "surname": "B", "email": "a@b.c"}]);
        bench.post("transfer/contact", &contact).await?;
        Ok(bench)
    }

    async fn post(&self, path: &str, data: &Value) -> Result<Value, Failure> {
        let url = format!("{}/{path}", self.base);
        let request = self
            .http
            .post(url)
            .query(&[("token", &self.token)])
            .form(&[("data", data.to_string())]);
        let body = json_of(request.send().await?).await?;
        if body["code"] != 0 {
            return Err(format!("{path} refused: {body}").into());
        }
        Ok(body)
    }

    async fn send(&self, ids: impl Iterator<Item = String>) -> Result<(), Failure> {
        let items: Vec<Value> = ids
            .map(|id| {
                json!({"prefix": "225", "phone": PHONE, "amount": 200, "client_transaction_id": id,
                       "notify_url": "http://127.0.0.1:9/notify"})
            })
            .collect();
        self.post("transfer/money/send/contact", &Value::Array(items))
            .await?;
        Ok(())
    }

    async fn status(&self, id: &str) -> Result<(), Failure> {
        let url = format!("{}/transfer/check/money", self.base);
        let query = [("token", self.token.as_str()), ("client_transaction_id", id)];
        let body = json_of(self.http.get(url).query(&query).send().await?).await?;
        if body["data"][0]["client_transaction_id"] != id {
            return Err(format!("status of {id}: {body}").into());
        }
        Ok(())
    }
}

fn rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    kb / 1024
}

/// Median cost of one request (half a round: a send, then a status), in microseconds.
async fn measure(bench: &Bench, rounds: usize) -> Result<f64, Failure> {
    let per_block = rounds / BLOCKS;
    let mut blocks = Vec::with_capacity(BLOCKS);
    let mut next = 0usize;
    for warm_up in [true, false] {
        for _ in 0..if warm_up { 1 } else { BLOCKS } {
            let started = Instant::now();
            for _ in 0..per_block {
                let id = format!("measure-{next}");
                next += 1;
                bench.send(std::iter::once(id.clone())).await?;
                bench.status(&id).await?;
            }
            if !warm_up {
                blocks.push(started.elapsed().as_secs_f64() * 1e6 / (2 * per_block) as f64);
            }
        }
    }
    blocks.sort_by(f64::total_cmp);
    Ok(blocks[BLOCKS / 2])
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let o = options()?;
    let mut empty_cost = None;
    println!(
        "{:>10} {:>9} {:>8} {:>12} {:>16}",
        "payouts", "fill s", "RSS MB", "us/request", "vs first size"
    );
    for &size in &o.sizes {
        let merchant =
            MerchantConfig::new(DEFAULT_API_KEY, DEFAULT_PASSWORD).with_balance("CI", u64::MAX / 4);
        let config = SandboxConfig::default().with_merchants(vec![merchant]);
        let sandbox = Sandbox::start(config).await?;
        let bench = Bench::login(sandbox.base_url()).await?;
        let started = Instant::now();
        for first in (0..size).step_by(BATCH) {
            let last = (first + BATCH).min(size);
            bench.send((first..last).map(|i| format!("fill-{i}"))).await?;
        }
        let fill = started.elapsed().as_secs_f64();
        let cost = measure(&bench, o.rounds).await?;
        let ratio = cost / *empty_cost.get_or_insert(cost);
        println!(
            "{size:>10} {fill:>9.1} {:>8} {cost:>12.1} {ratio:>15.2}x",
            rss_mb()
        );
        drop(sandbox);
    }
    Ok(())
}
