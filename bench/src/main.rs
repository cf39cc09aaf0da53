//! The Rust clients of `scripts/bench.sh` (see `bench/README.md`), each on the same workload: log
//! in, register N contacts in chunks, send N payouts in chunks, so many requests in flight.
//!
//! - `raw`: the raw-HTTP limit. Every request body is encoded before the clock starts; the
//!   requests go out on one keep-alive reqwest client with no SDK logic at all (no parsing of
//!   the answers beyond the HTTP status, no retries, no checks). Nothing can be faster over HTTP.
//! - `core`: the Rust core, `Client::add_contacts` then `Client::send`.
//! - `core-stream`: the same calls through `cinetpay_transfer::streaming`, with inputs made on
//!   demand from their position and results counted, never kept: its peak memory is what the
//!   call itself holds (issue 13, item 4: bounded beyond the inputs and results).
//!
//! Usage: `cinetpay-bench raw|core|core-stream BASE_URL N LABEL [CHUNK] [CONCURRENCY]` (BASE_URL ends in
//! `/v1`). Prints one JSON line: wall and CPU seconds of this process during the workload (CPU of
//! every thread, from getrusage), and what the client itself saw accepted. Whether every
//! payout really was accepted is checked by the caller on the sandbox's ledger.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use cinetpay_transfer::streaming::{self, Source};
use cinetpay_transfer::{Client, Contact, ContactResult, SendOutcome, SendResult, Transfer};
use futures::{stream, StreamExt};

const API_KEY: &str = "sandbox-api-key";
const PASSWORD: &str = "sandbox-password";
const NOTIFY_URL: &str = "http://127.0.0.1:9/notify";

/// The workload's i-th payee: a CI number that never ends in 000 (the sandbox rejects those).
fn phone(i: usize) -> String {
    format!("07{i:07}1")
}

/// `VmRSS` (now) or `VmHWM` (peak) of this process in MB, from /proc; `None` off Linux. (The
/// Rust clients build their inputs inside the workload, so their peaks include them.)
fn memory_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// User + system CPU seconds of this process so far, every thread included (getrusage).
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, &mut usage), 0);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

struct Args {
    base_url: String,
    n: usize,
    label: String,
    chunk: usize,
    concurrency: usize,
}

struct Outcome {
    contacts_ok: usize,
    accepted: usize,
    requests: usize,
}

async fn run_raw(args: &Args) -> Outcome {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .expect("http client");
    let base = args.base_url.trim_end_matches('/');
    let ids: Vec<usize> = (0..args.n).collect();
    let contact_bodies: Vec<String> = ids
        .chunks(args.chunk)
        .map(|chunk| {
            let items: Vec<serde_json::Value> = chunk
                .iter()
                .map(|&i| {
                    serde_json::json!({"prefix": "225", "phone": phone(i), "name": "Bench",
                        "surname": format!("Payee{i}"), "email": ""})
                })
                .collect();
            form_data(&items)
        })
        .collect();
    let send_bodies: Vec<String> = ids
        .chunks(args.chunk)
        .map(|chunk| {
            let items: Vec<serde_json::Value> = chunk
                .iter()
                .map(|&i| {
                    serde_json::json!({"prefix": "225", "phone": phone(i), "amount": 500,
                        "client_transaction_id": format!("{}-{i}", args.label), "notify_url": NOTIFY_URL})
                })
                .collect();
            form_data(&items)
        })
        .collect();
    let sizes: Vec<usize> = ids.chunks(args.chunk).map(<[usize]>::len).collect();
    let login_body = serde_urlencoded::to_string([("apikey", API_KEY), ("password", PASSWORD)]).unwrap();

    let answer = post(&http, format!("{base}/auth/login?lang=en"), login_body).await;
    let answer: serde_json::Value = serde_json::from_str(&answer.1).expect("login answer");
    let token = answer["data"]["token"].as_str().expect("a token").to_owned();
    let contact_url = format!("{base}/transfer/contact?token={token}&lang=en");
    let send_url = format!("{base}/transfer/money/send/contact?token={token}&lang=en");

    let mut outcome = Outcome {
        contacts_ok: 0,
        accepted: 0,
        requests: 1,
    };
    for (url, bodies, is_send) in [
        (contact_url, contact_bodies, false),
        (send_url, send_bodies, true),
    ] {
        let mut answers = stream::iter(bodies.into_iter().zip(sizes.iter().copied()))
            .map(|(body, size)| {
                let (http, url) = (&http, url.clone());
                async move { (post(http, url, body).await.0, size) }
            })
            .buffer_unordered(args.concurrency);
        while let Some((ok, size)) = answers.next().await {
            outcome.requests += 1;
            let counted = if ok { size } else { 0 };
            if is_send {
                outcome.accepted += counted;
            } else {
                outcome.contacts_ok += counted;
            }
        }
    }
    outcome
}

fn form_data(items: &[serde_json::Value]) -> String {
    let json = serde_json::to_string(items).unwrap();
    serde_urlencoded::to_string([("data", json.as_str())]).unwrap()
}

/// One POST; (HTTP 200, body).
async fn post(http: &reqwest::Client, url: String, body: String) -> (bool, String) {
    let response = http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("request");
    let ok = response.status() == reqwest::StatusCode::OK;
    (ok, response.text().await.expect("body"))
}

fn core_client(args: &Args) -> Client {
    Client::builder()
        .credentials(API_KEY, PASSWORD)
        .base_url(&args.base_url)
        .chunk_size(args.chunk)
        .max_concurrency(args.concurrency)
        .build()
        .expect("client")
}

/// The workload's i-th contact.
fn contact(i: usize) -> Contact {
    Contact {
        prefix: "225".into(),
        phone: phone(i),
        name: "Bench".into(),
        surname: format!("Payee{i}"),
        email: String::new(),
    }
}

/// The workload's i-th payout.
fn transfer(label: &str, i: usize) -> Transfer {
    Transfer::new("225", &phone(i), 500, NOTIFY_URL).client_transaction_id(format!("{label}-{i}"))
}

async fn run_core(args: &Args) -> Outcome {
    let client = core_client(args);
    let contacts: Vec<Contact> = (0..args.n).map(contact).collect();
    let transfers: Vec<Transfer> = (0..args.n).map(|i| transfer(&args.label, i)).collect();
    let added = client.add_contacts(&contacts).await.expect("add_contacts");
    let sent = client.send(&transfers).await.expect("send");
    Outcome {
        contacts_ok: added.iter().filter(|c| c.added).count(),
        accepted: sent.iter().filter(|r| r.outcome == SendOutcome::Accepted).count(),
        requests: 1 + 2 * args.n.div_ceil(args.chunk),
    }
}

/// Items made from their position when the call reads them, dropped once handed over.
struct OnDemand<T> {
    len: usize,
    make: Box<dyn Fn(usize) -> T + Send + Sync>,
}

impl<T> Source<T> for OnDemand<T> {
    fn len(&self) -> usize {
        self.len
    }

    fn read(&self, range: Range<usize>, each: &mut dyn FnMut(&T)) -> cinetpay_transfer::Result<()> {
        range.for_each(|i| each(&(self.make)(i)));
        Ok(())
    }
}

async fn run_core_stream(args: &Args) -> Outcome {
    let client = core_client(args);
    let label = args.label.clone();
    let contacts = OnDemand {
        len: args.n,
        make: Box::new(contact),
    };
    let transfers = OnDemand {
        len: args.n,
        make: Box::new(move |i| transfer(&label, i)),
    };
    let (contacts_ok, accepted) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let count_contacts = |_: usize, chunk: Vec<ContactResult>| {
        contacts_ok.fetch_add(chunk.iter().filter(|c| c.added).count(), Ordering::Relaxed);
    };
    let count_payouts = |_: usize, chunk: Vec<SendResult>| {
        let n = chunk
            .iter()
            .filter(|r| r.outcome == SendOutcome::Accepted)
            .count();
        accepted.fetch_add(n, Ordering::Relaxed);
    };
    streaming::add_contacts(&client, &contacts, &count_contacts)
        .await
        .expect("add_contacts");
    streaming::send(&client, &transfers, &count_payouts)
        .await
        .expect("send");
    Outcome {
        contacts_ok: contacts_ok.into_inner(),
        accepted: accepted.into_inner(),
        requests: 1 + 2 * args.n.div_ceil(args.chunk),
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.len() < 5 {
        eprintln!("usage: cinetpay-bench raw|core|core-stream BASE_URL N LABEL [CHUNK] [CONCURRENCY]");
        std::process::exit(2);
    }
    let number = |i: usize, default: usize| argv.get(i).map_or(default, |s| s.parse().expect("a number"));
    let args = Args {
        base_url: argv[2].clone(),
        n: number(3, 0),
        label: argv[4].clone(),
        chunk: number(5, 50),
        concurrency: number(6, 4),
    };
    let kind = argv[1].as_str();
    // The raw limit needs no more than one thread; the core runs as an application would run it.
    let runtime = if kind == "raw" {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    }
    .expect("runtime");
    let rss_before = memory_mb("VmRSS");
    let (cpu0, started) = (cpu_seconds(), Instant::now());
    let outcome = runtime.block_on(async {
        match kind {
            "raw" => run_raw(&args).await,
            "core" => run_core(&args).await,
            "core-stream" => run_core_stream(&args).await,
            other => panic!("unknown client {other}: raw, core or core-stream"),
        }
    });
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    println!(
        "{}",
        serde_json::json!({"client": kind, "wall_s": wall, "cpu_s": cpu, "payouts": args.n,
            "contacts_ok": outcome.contacts_ok, "accepted": outcome.accepted, "requests": outcome.requests,
            "rss_before_mb": rss_before, "peak_rss_mb": memory_mb("VmHWM")})
    );
}
