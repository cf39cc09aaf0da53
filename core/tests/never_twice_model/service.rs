//! An adversarial model of the Transfer API with a ledger: the truth the client's reports are
//! checked against.
//!
//! It answers login, contacts, send and status lookups on 127.0.0.1 over real HTTP (hyper, so a
//! "lost answer" is a real TCP close), and follows the plans of [`crate::plan`]. The ledger
//! records every payout the service recorded, duplicates included: the service checks an id when
//! a request arrives and records when it finishes, as a real backend does, so a client that
//! resends while its first request is still running gets the same id recorded twice.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::plan::{Delivery, ItemPlan, LoginPlan, LookupPlan, SendPlan};

/// How long a `Slow` or `late` request runs before the service records it.
pub const SLOW_PROCESSING: Duration = Duration::from_millis(700);

/// How long a `Slow` login takes (below the client's timeout).
pub const SLOW_LOGIN: Duration = Duration::from_millis(350);

/// One payout the service recorded.
#[derive(Debug, Clone)]
pub struct Record {
    pub client_transaction_id: String,
    pub phone: String,
    pub amount: i64,
    /// Lookups still to answer 723 before it shows.
    pub hidden_for: u8,
    /// Held before the call under test started.
    pub earlier: bool,
}

/// What the service answered to the last lookup of an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastLookup {
    /// The record held under this id (whichever payout it is).
    Shown { phone: String, amount: i64 },
    /// 723, a failure, or another payout's record.
    NotShown,
}

/// The service's state for one case.
#[derive(Default)]
pub struct World {
    pub ledger: Vec<Record>,
    pub sends: VecDeque<SendPlan>,
    pub lookups: VecDeque<LookupPlan>,
    pub logins: VecDeque<LoginPlan>,
    pub last_lookup: HashMap<String, LastLookup>,
    /// `Slow` requests still running.
    pub running: usize,
    pub send_requests: usize,
    pub next_transaction: u64,
}

impl World {
    /// Whether the ledger holds this payout (same id, number and amount).
    pub fn holds(&self, id: &str, phone: &str, amount: i64) -> bool {
        self.ledger
            .iter()
            .any(|r| r.client_transaction_id == id && r.phone == phone && r.amount == amount)
    }
}

/// The model service of one case: its world, served under the case's own path prefix.
#[derive(Clone, Default)]
pub struct Service {
    pub world: Arc<Mutex<World>>,
}

/// One listener for every case, so that cases run side by side (most of a case's time is spent
/// waiting out processing windows, not computing): `/case-N/v1/...` is served by case N.
#[derive(Clone)]
pub struct Server {
    address: String,
    cases: Arc<Mutex<HashMap<u64, Service>>>,
    next: Arc<AtomicU64>,
}

type Answer = Result<Response<Full<Bytes>>, Dropped>;

/// The error that makes hyper close the connection without answering.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("dropped")
    }
}

impl std::error::Error for Dropped {}

impl Server {
    /// Serves on a free port of 127.0.0.1.
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Server {
            address: format!("http://{}", listener.local_addr().unwrap()),
            cases: Arc::default(),
            next: Arc::default(),
        };
        let routes = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let routes = routes.clone();
                tokio::spawn(async move {
                    let handler = hyper::service::service_fn(move |req| routes.clone().route(req));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), handler)
                        .await;
                });
            }
        });
        server
    }

    /// Opens a case with this world; returns its service and the base URL a client uses.
    pub fn open(&self, world: World) -> (u64, Service, String) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let service = Service {
            world: Arc::new(Mutex::new(world)),
        };
        self.cases.lock().unwrap().insert(id, service.clone());
        (id, service, format!("{}/case-{id}/v1", self.address))
    }

    pub fn close(&self, id: u64) {
        self.cases.lock().unwrap().remove(&id);
    }

    async fn route(self, req: Request<Incoming>) -> Answer {
        let path = req.uri().path().to_owned();
        let mut parts = path.splitn(3, '/').skip(1);
        let case = parts
            .next()
            .and_then(|c| c.strip_prefix("case-"))
            .and_then(|n| n.parse().ok());
        let service = case.and_then(|id: u64| self.cases.lock().unwrap().get(&id).cloned());
        match (service, parts.next()) {
            (Some(service), Some(rest)) => service.handle(format!("/{rest}"), req).await,
            _ => Ok(answer(404, "<html>no such case</html>".into())),
        }
    }
}

impl Service {
    /// Waits until no `Slow` request is still running (they record when they end).
    pub async fn settle(&self) {
        while self.world.lock().unwrap().running > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn handle(self, path: String, req: Request<Incoming>) -> Answer {
        let query: HashMap<String, String> =
            serde_urlencoded::from_str(req.uri().query().unwrap_or_default()).unwrap_or_default();
        let body = req.into_body().collect().await.map_err(|_| Dropped)?.to_bytes();
        let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        let data: Vec<Value> = form
            .get("data")
            .and_then(|d| serde_json::from_str(d).ok())
            .unwrap_or_default();
        match path.as_str() {
            "/v1/auth/login" => self.login().await,
            "/v1/transfer/contact" => ok(json!([data
                .iter()
                .map(|c| json!({"prefix": c["prefix"], "phone": c["phone"], "code": 0, "status": "success", "lot": "1"}))
                .collect::<Vec<_>>()])),
            "/v1/transfer/money/send/contact" => self.send(data).await,
            "/v1/transfer/check/money" => self.look_up(query.get("client_transaction_id").cloned().unwrap_or_default()),
            _ => Ok(answer(404, r#"{"code":"708","message":"NOT_ALLOWED","data":[]}"#.into())),
        }
    }

    async fn login(&self) -> Answer {
        let plan = self
            .world
            .lock()
            .unwrap()
            .logins
            .pop_front()
            .unwrap_or(LoginPlan::Ok);
        let token = json!({"token": "header.eyJpYXQiOjAsImV4cCI6OTYwfQ.sig"});
        match plan {
            LoginPlan::Ok => ok(token),
            LoginPlan::Slow => {
                tokio::time::sleep(SLOW_LOGIN).await;
                ok(token)
            }
            LoginPlan::GatewayPage => Ok(answer(502, "<html>Bad Gateway</html>".into())),
            LoginPlan::Refused => Ok(answer(
                401,
                r#"{"code":"701","message":"INVALID_CREDENTIALS","data":[]}"#.into(),
            )),
        }
    }

    async fn send(&self, payouts: Vec<Value>) -> Answer {
        let plan = {
            let mut world = self.world.lock().unwrap();
            world.send_requests += 1;
            world.sends.pop_front()
        };
        let plan = plan.unwrap_or(SendPlan::Process {
            items: vec![ItemPlan::Ok],
            delivery: Delivery::Answer,
            lag: 0,
            late: false,
        });
        let (items, delivery, lag, late) = match plan {
            SendPlan::Refuse(code) => return Ok(refusal(code, 400)),
            SendPlan::RateLimited => {
                return Ok(answer(
                    429,
                    r#"{"code":"429","message":"TOO_MANY_REQUESTS","data":[]}"#.into(),
                ))
            }
            SendPlan::TokenExpired => return Ok(refusal(705, 401)),
            SendPlan::Process {
                items,
                delivery,
                lag,
                late,
            } => (items, delivery, lag, late),
        };
        // Checked on arrival; recorded when the request ends (at once, or after a slow run).
        let (answers, to_record) = {
            let mut world = self.world.lock().unwrap();
            let mut answers = Vec::new();
            let mut to_record = Vec::new();
            for (j, payout) in payouts.iter().enumerate() {
                let id = payout["client_transaction_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let phone = payout["phone"].as_str().unwrap_or_default().to_owned();
                let amount = payout["amount"].as_i64().unwrap_or_default();
                let mut item = json!({"prefix": payout["prefix"], "phone": phone, "amount": amount,
                    "client_transaction_id": id, "code": 0, "status": "success"});
                if world.ledger.iter().any(|r| r.client_transaction_id == id) {
                    item["code"] = json!(805);
                    item["status"] = json!("CLIENT_TRANSACTION_ID_EXIST");
                    answers.push(item);
                    continue;
                }
                let (code, recorded) = match items[j % items.len()] {
                    ItemPlan::Ok => (0, true),
                    ItemPlan::Code { code, recorded } => (code, recorded),
                };
                if recorded {
                    world.next_transaction += 1;
                    item["transaction_id"] = json!(format!("EA.{}", world.next_transaction));
                    item["lot"] = json!("7");
                    item["treatment_status"] = json!("NEW");
                    to_record.push(Record {
                        client_transaction_id: id,
                        phone,
                        amount,
                        hidden_for: lag,
                        earlier: false,
                    });
                }
                item["code"] = json!(code);
                answers.push(item);
            }
            // Only what reaches the client without the API's own answer can hide a run going on.
            let no_api_answer = matches!(
                delivery,
                Delivery::Drop | Delivery::GatewayPage(_) | Delivery::Malformed | Delivery::Oversized
            );
            if delivery == Delivery::Slow {
                world.running += 1;
            } else if late && no_api_answer {
                world.running += 1;
                let world = self.world.clone();
                let to_record = to_record.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(SLOW_PROCESSING).await;
                    let mut world = world.lock().unwrap();
                    world.ledger.extend(to_record);
                    world.running -= 1;
                });
            } else {
                world.ledger.extend(to_record.iter().cloned());
            }
            (answers, to_record)
        };
        match delivery {
            Delivery::Answer => ok(json!([answers])),
            Delivery::AnswerMissingItems => {
                let kept = answers.len() / 2;
                ok(json!([answers[..kept]]))
            }
            Delivery::Drop => Err(Dropped),
            Delivery::GatewayPage(status) => Ok(answer(status, "<html>gateway</html>".into())),
            Delivery::ApiError500 => Ok(answer(
                500,
                r#"{"code":"-1","message":"OPERATION_ERROR","data":[]}"#.into(),
            )),
            Delivery::Malformed => Ok(answer(200, "{\"code\":0,\"data\":[[{".into())),
            Delivery::Oversized => Ok(answer(200, format!("{{\"pad\":\"{}\"}}", "x".repeat(5 << 20)))),
            Delivery::Slow => {
                // In a task of its own, so that the recording happens even when the client
                // gives up and the connection (and this handler) goes away.
                let world = self.world.clone();
                let running = tokio::spawn(async move {
                    tokio::time::sleep(SLOW_PROCESSING).await;
                    let mut world = world.lock().unwrap();
                    world.ledger.extend(to_record);
                    world.running -= 1;
                });
                running.await.map_err(|_| Dropped)?;
                ok(json!([answers]))
            }
        }
    }

    fn look_up(&self, id: String) -> Answer {
        let mut world = self.world.lock().unwrap();
        let plan = world.lookups.pop_front().unwrap_or(LookupPlan::Answer);
        world.last_lookup.insert(id.clone(), LastLookup::NotShown);
        match plan {
            LookupPlan::GatewayPage => return Ok(answer(502, "<html>gateway</html>".into())),
            LookupPlan::Drop => return Err(Dropped),
            LookupPlan::RateLimited => return Ok(answer(429, "<html>slow down</html>".into())),
            LookupPlan::OtherPayout => {
                return ok(
                    json!([{"transaction_id": "EA.other", "client_transaction_id": format!("{id}-other"),
                    "amount": "500", "receiver": "0700000000", "treatment_status": "VAL"}]),
                )
            }
            LookupPlan::Answer => {}
        }
        let Some(record) = world.ledger.iter_mut().find(|r| r.client_transaction_id == id) else {
            return Ok(refusal(723, 404));
        };
        if record.hidden_for > 0 {
            record.hidden_for -= 1;
            return Ok(refusal(723, 404));
        }
        let info = json!([{"transaction_id": format!("EA.{id}"), "client_transaction_id": id, "lot": "7",
            "amount": record.amount.to_string(), "receiver": record.phone,
            "receiver_e164": format!("+225{}", record.phone), "treatment_status": "NEW"}]);
        let shown = LastLookup::Shown {
            phone: record.phone.clone(),
            amount: record.amount,
        };
        world.last_lookup.insert(id, shown);
        ok(info)
    }
}

fn ok(data: Value) -> Answer {
    Ok(answer(
        200,
        json!({"code": 0, "message": "OPERATION_SUCCES", "data": data}).to_string(),
    ))
}

fn refusal(code: i64, status: u16) -> Response<Full<Bytes>> {
    answer(
        status,
        json!({"code": code.to_string(), "message": "REFUSED", "data": []}).to_string(),
    )
}

fn answer(status: u16, body: String) -> Response<Full<Bytes>> {
    let content_type = if body.starts_with('<') {
        "text/html"
    } else {
        "application/json"
    };
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}
