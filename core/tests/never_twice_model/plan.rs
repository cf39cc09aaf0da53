//! What the adversarial service does, drawn by proptest: one plan per request it receives.
//!
//! A plan says, for one request, whether the service processes it and what (if anything) the
//! client hears back. Plans are consumed in arrival order; when a queue runs dry the service
//! behaves. Every variant is something the live service, a gateway in front of it, or the
//! network between can do.

use proptest::prelude::*;

/// How the service treats one payout inside a request it processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemPlan {
    /// Recorded, answered with code 0.
    Ok,
    /// Answered with a per-item code; `recorded` says whether the service recorded it anyway
    /// (-1, 709, 710, 715 and unknown codes say nothing about that).
    Code { code: i64, recorded: bool },
}

/// What reaches the client after the service processed a send request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The JSON answer, every item in it.
    Answer,
    /// The JSON answer, with the items of the second half left out.
    AnswerMissingItems,
    /// The connection closes with no answer.
    Drop,
    /// A gateway page with this status (502, 503, 504).
    GatewayPage(u16),
    /// HTTP 500 with the API's own `-1` envelope.
    ApiError500,
    /// HTTP 200 with a body that is not JSON.
    Malformed,
    /// An answer larger than the client's cap.
    Oversized,
    /// The service records the payouts only after the client gave up waiting (its timeout),
    /// and answers then.
    Slow,
}

/// What the service does with one send request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendPlan {
    /// Refuses the whole request with an API code (nothing recorded): 602, 724, 716, 805, 703.
    Refuse(i64),
    /// 429 from a rate limiter (nothing recorded).
    RateLimited,
    /// The token expired between calls: 705, nothing recorded (the client logs in and replays).
    TokenExpired,
    /// Processes the request: `items` are applied to the payouts in order (cycled).
    Process {
        items: Vec<ItemPlan>,
        delivery: Delivery,
        /// How many lookups of each recorded payout answer 723 before it shows.
        lag: u8,
        /// The backend goes on after a drop, a gateway page or a garbled answer, and records
        /// only later (as a `Slow` request does).
        late: bool,
    },
}

/// What the service does with one status lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupPlan {
    /// Answers from the ledger (723 while a record is lagging).
    Answer,
    /// A gateway page (502).
    GatewayPage,
    /// The connection closes with no answer.
    Drop,
    /// 429.
    RateLimited,
    /// Answers about another payout (another client_transaction_id).
    OtherPayout,
}

/// What the service does with one login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginPlan {
    Ok,
    /// Answers, but only after a while (below the client's timeout).
    Slow,
    /// A gateway page (502): retried by the client.
    GatewayPage,
    /// 701: wrong credentials.
    Refused,
}

/// A payout already held under an id of the call before it starts (an earlier run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earlier {
    /// Which payout of the call (index modulo the batch size).
    pub index: usize,
    /// The same payout (a rerun after a crash) or another one under the same id.
    pub same_payout: bool,
    /// Lookups that answer 723 before it shows.
    pub lag: u8,
}

/// One generated case: the client's settings, the call, and the service's plans.
#[derive(Debug, Clone)]
pub struct Case {
    pub payouts: usize,
    pub chunk_size: usize,
    pub max_concurrency: usize,
    pub max_attempts: u32,
    /// `pay` (contacts first) instead of `send`.
    pub pay: bool,
    pub earlier: Vec<Earlier>,
    pub sends: Vec<SendPlan>,
    pub lookups: Vec<LookupPlan>,
    pub logins: Vec<LoginPlan>,
}

fn item_plan() -> impl Strategy<Value = ItemPlan> {
    prop_oneof![
        6 => Just(ItemPlan::Ok),
        3 => (prop::sample::select(vec![-1i64, 709, 710, 715, 999]), any::<bool>())
            .prop_map(|(code, recorded)| ItemPlan::Code { code, recorded }),
        2 => prop::sample::select(vec![724i64, 716, 719, 805])
            .prop_map(|code| ItemPlan::Code { code, recorded: false }),
    ]
}

fn delivery() -> impl Strategy<Value = Delivery> {
    prop_oneof![
        20 => Just(Delivery::Answer),
        1 => Just(Delivery::AnswerMissingItems),
        3 => Just(Delivery::Drop),
        2 => prop::sample::select(vec![502u16, 503, 504]).prop_map(Delivery::GatewayPage),
        1 => Just(Delivery::ApiError500),
        1 => Just(Delivery::Malformed),
        1 => Just(Delivery::Oversized),
        1 => Just(Delivery::Slow),
    ]
}

fn send_plan() -> impl Strategy<Value = SendPlan> {
    prop_oneof![
        2 => prop::sample::select(vec![602i64, 724, 716, 805, 703]).prop_map(SendPlan::Refuse),
        1 => Just(SendPlan::RateLimited),
        1 => Just(SendPlan::TokenExpired),
        8 => (prop::collection::vec(item_plan(), 1..4), delivery(), lag(), prop::bool::weighted(0.3))
            .prop_map(|(items, delivery, lag, late)| SendPlan::Process { items, delivery, lag, late }),
    ]
}

fn lag() -> impl Strategy<Value = u8> {
    prop_oneof![3 => Just(0u8), 1 => 1u8..3]
}

fn lookup_plan() -> impl Strategy<Value = LookupPlan> {
    prop_oneof![
        8 => Just(LookupPlan::Answer),
        1 => Just(LookupPlan::GatewayPage),
        1 => Just(LookupPlan::Drop),
        1 => Just(LookupPlan::RateLimited),
        1 => Just(LookupPlan::OtherPayout),
    ]
}

fn login_plan() -> impl Strategy<Value = LoginPlan> {
    prop_oneof![
        8 => Just(LoginPlan::Ok),
        2 => Just(LoginPlan::Slow),
        1 => Just(LoginPlan::GatewayPage),
        1 => Just(LoginPlan::Refused),
    ]
}

/// Mostly small batches (where sequences of faults bite), sometimes up to 120 across chunks.
pub fn case() -> impl Strategy<Value = Case> {
    let payouts = prop_oneof![9 => 1usize..6, 1 => 6usize..121];
    (
        payouts,
        prop_oneof![1usize..4, 4usize..51],
        1usize..4,
        1u32..5,
        prop::bool::weighted(0.2),
        prop::collection::vec(
            (0usize..120, any::<bool>(), lag()).prop_map(|(index, same_payout, lag)| Earlier {
                index,
                same_payout,
                lag,
            }),
            0..3,
        ),
        prop::collection::vec(send_plan(), 0..8),
        prop::collection::vec(lookup_plan(), 0..10),
        prop::collection::vec(login_plan(), 0..3),
    )
        .prop_map(
            |(payouts, chunk_size, max_concurrency, max_attempts, pay, earlier, sends, lookups, logins)| {
                Case {
                    payouts,
                    chunk_size,
                    max_concurrency,
                    max_attempts,
                    pay,
                    earlier,
                    sends,
                    lookups,
                    logins,
                }
            },
        )
}
