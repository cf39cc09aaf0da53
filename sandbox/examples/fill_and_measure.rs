//! How a request's cost grows with the payouts the sandbox holds (issue 13).
//!
//! For each size N (default 0, 100,000 and 1,000,000) a fresh in-process sandbox is filled with N
//! payouts over HTTP, in send requests of 1,000 items (one HTTP call per payout would take longer
//! than the measure itself; batches go through the same code path, minus the per-request overhead).
//! The clock is manual and never advanced, so every held payout stays NEW with a step still due:
//! the worst case for a due-time queue. All sandboxes stay up; then, on each one's keep-alive
//! connection, rounds of one single-item send plus one status lookup by `client_transaction_id`
//! are timed in blocks, the sizes taking turns block by block. The median block gives the cost
//! per request, with its ratio to the first size (the empty sandbox by default): wall time, and
//! the CPU time of the whole process (client and server, summed over its threads from
//! `/proc/self/task/*/schedstat`), which other work on a shared machine disturbs less.
//!
//! ```sh
//! cargo run --release -p cinetpay-sandbox --example fill_and_measure            # 0, 100k, 1M
//! cargo run --release -p cinetpay-sandbox --example fill_and_measure -- 0 10000 --rounds=200
//! cargo run --release -p cinetpay-sandbox --example fill_and_measure -- --latency-ms=200
//! ```
//!
//! `--latency-ms=N` measures latency mode instead: 8 requests sent at once, on 8 connections,
//! should take about one latency, not 8, and the sandbox should count 8 in progress at once.

use std::time::{Duration, Instant};

use cinetpay_sandbox::{MerchantConfig, Sandbox, SandboxConfig, DEFAULT_API_KEY, DEFAULT_PASSWORD};
use serde_json::{json, Value};

const BATCH: usize = 1_000;
const BLOCKS: usize = 5;
const PHONE: &str = "0701020304";

type Failure = Box<dyn std::error::Error>;

struct Options {
    sizes: Vec<usize>,
    rounds: usize,
    latency_ms: Option<u64>,
}

fn options() -> Result<Options, Failure> {
    let mut o = Options {
        sizes: Vec::new(),
        rounds: 2_000,
        latency_ms: None,
    };
    for arg in std::env::args().skip(1) {
        if let Some(v) = arg.strip_prefix("--rounds=") {
            o.rounds = v.parse()?;
        } else if let Some(v) = arg.strip_prefix("--latency-ms=") {
            o.latency_ms = Some(v.parse()?);
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

/// CPU time used by this process so far (every thread still alive), in nanoseconds.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A filled sandbox, its client, and what filling it took.
struct Filled {
    size: usize,
    fill_s: f64,
    rss_mb: u64,
    bench: Bench,
    _sandbox: Sandbox,
}

/// One block of `rounds` rounds (a send, then a status), ids from `measure-{first}`: the cost of
/// one request in microseconds of wall time and of CPU time.
async fn block(bench: &Bench, first: usize, rounds: usize) -> Result<(f64, f64), Failure> {
    let (started, cpu) = (Instant::now(), cpu_ns());
    for n in first..first + rounds {
        let id = format!("measure-{n}");
        bench.send(std::iter::once(id.clone())).await?;
        bench.status(&id).await?;
    }
    let requests = (2 * rounds) as f64;
    let wall = started.elapsed().as_secs_f64() * 1e6 / requests;
    Ok((wall, (cpu_ns() - cpu) as f64 / 1e3 / requests))
}

/// 8 status requests at once on a sandbox adding `latency` to each: wall time in latencies.
async fn concurrency(latency: Duration) -> Result<(), Failure> {
    let sandbox = Sandbox::start(SandboxConfig::default().with_latency(latency)).await?;
    let bench = Bench::login(sandbox.base_url()).await?;
    bench.send(std::iter::once("c".to_string())).await?;
    let mut calls = tokio::task::JoinSet::new();
    let started = Instant::now();
    for _ in 0..8 {
        let one = Bench {
            http: reqwest::Client::new(),
            base: bench.base.clone(),
            token: bench.token.clone(),
        };
        calls.spawn(async move { one.status("c").await.map_err(|e| e.to_string()) });
    }
    while let Some(done) = calls.join_next().await {
        done??;
    }
    let took = started.elapsed();
    println!(
        "8 concurrent requests, {} ms latency each: {} ms = {:.2} latencies; {} in progress at once",
        latency.as_millis(),
        took.as_millis(),
        took.as_secs_f64() / latency.as_secs_f64(),
        sandbox.requests().peak_in_progress
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let o = options()?;
    if let Some(ms) = o.latency_ms {
        return concurrency(Duration::from_millis(ms)).await;
    }
    // Every sandbox is filled first and kept; then their blocks alternate (after one warm-up
    // block each), so that a change of load on the machine hits every size alike.
    let mut filled = Vec::new();
    for &size in &o.sizes {
        let merchant =
            MerchantConfig::new(DEFAULT_API_KEY, DEFAULT_PASSWORD).with_balance("CI", u64::MAX / 4);
        let config = SandboxConfig::default().with_merchants(vec![merchant]);
        let sandbox = Sandbox::start(config).await?;
        let bench = Bench::login(sandbox.base_url()).await?;
        let (started, rss) = (Instant::now(), rss_mb());
        for first in (0..size).step_by(BATCH) {
            let last = (first + BATCH).min(size);
            bench.send((first..last).map(|i| format!("fill-{i}"))).await?;
        }
        let fill = started.elapsed().as_secs_f64();
        eprintln!("filled {size} payouts in {fill:.1} s");
        filled.push(Filled {
            size,
            fill_s: fill,
            rss_mb: rss_mb().saturating_sub(rss),
            bench,
            _sandbox: sandbox,
        });
    }
    let per_block = o.rounds / BLOCKS;
    let mut costs = vec![(Vec::new(), Vec::new()); filled.len()];
    for b in 0..=BLOCKS {
        for (f, (walls, cpus)) in filled.iter().zip(&mut costs) {
            let (wall, cpu) = block(&f.bench, b * per_block, per_block).await?;
            if b > 0 {
                walls.push(wall);
                cpus.push(cpu);
            }
        }
    }
    println!(
        "{:>10} {:>8} {:>8} {:>14} {:>8} {:>14} {:>8}",
        "payouts", "fill s", "+RSS MB", "wall us/req", "ratio", "CPU us/req", "ratio"
    );
    let mut first = None;
    for (f, (walls, cpus)) in filled.iter().zip(costs) {
        let (wall, cpu) = (median(walls), median(cpus));
        let (wall0, cpu0) = *first.get_or_insert((wall, cpu));
        println!(
            "{:>10} {:>8.1} {:>8} {wall:>14.1} {:>7.2}x {cpu:>14.1} {:>7.2}x",
            f.size,
            f.fill_s,
            f.rss_mb,
            wall / wall0,
            cpu / cpu0
        );
    }
    Ok(())
}
