//! # cinetpay-sandbox: a local CinetPay Transfer API
//!
//! CinetPay has no test environment for transfers: merchants test with real money. This crate is a
//! stateful fake of the Transfer API (v1), faithful to the wire format and quirks written down in
//! `transfer-api.md`, so that the SDK's tests, the CLI's `--sandbox` mode and our users' own tests
//! can run payouts end to end on 127.0.0.1. It is an independent reading of the API: it does not
//! depend on the client crate, so the two can disagree, and tests then show who is wrong.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cinetpay_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! let base = sandbox.base_url(); // http://127.0.0.1:PORT/v1, ready now
//! // ... log in with "sandbox-api-key" / "sandbox-password", send payouts ...
//! sandbox.advance_clock(std::time::Duration::from_secs(15)); // NEW -> REC -> VAL
//! # Ok(()) }
//! ```
//!
//! ## Endpoints (under `/v1`)
//!
//! Bodies are `application/x-www-form-urlencoded`; list payloads go in the single field `data` (a
//! JSON array string); `token` and `lang` go in the query string.
//!
//! | endpoint | method | inputs | success `data` |
//! |---|---|---|---|
//! | `/v1/auth/login` | POST | form `apikey`, `password` | `{"token": "<JWT>"}` |
//! | `/v1/transfer/check/balance` | GET (or POST) | query `token` | `{amount, inUsing, available, countryBalance: {"CI": {amount, inUsing, available}, ...}}` |
//! | `/v1/transfer/contact` | POST | form `data` = `[{prefix, phone, name, surname, email}]` | `[[{prefix, phone, name, surname, email, code, status, lot}]]` |
//! | `/v1/transfer/money/send/contact` | POST | form `data` = `[{prefix, phone, amount, client_transaction_id, notify_url, payment_method?}]` | `[[{prefix, phone, amount, client_transaction_id, notify_url, code, status, treatment_status, transaction_id, lot}]]` |
//! | `/v1/transfer/check/money` | GET (or POST) | query: exactly one of `transaction_id`, `client_transaction_id`, `lot` | `[{transaction_id, client_transaction_id, lot, amount, receiver, receiver_e164, operator, sending_status, transfer_valid, treatment_status, comment, validated_at, operator_transaction_id}]` (flat) |
//!
//! Success is `{"code": 0, "message": "OPERATION_SUCCES", "data": ...}` with HTTP 200. Errors are
//! `{"code": "701", "message": "INVALID_CREDENTIALS", "description": "...", "data": []}`.
//! `description` is French unless `lang=en`. A wrong HTTP method gives 708 (HTTP 405). A request
//! carrying `Expect: 100-continue` gets HTTP 417 with an empty body, before its body is read.
//!
//! ## Codes, causes and HTTP statuses
//!
//! | code | cause | HTTP |
//! |---|---|---|
//! | 701 | login `apikey`/`password` match no merchant | 401 |
//! | 704 | login field missing; no `data` field; check/money without exactly one id | 400 |
//! | 705 | token past its `exp` (sandbox clock), or expired by the admin API | 401 |
//! | 706 | token missing, unknown or garbage, or sent in the body | 401 |
//! | 708 | wrong HTTP method | 405 |
//! | 716 | `data` not a non-empty array of objects, or an item misses a field | 400 |
//! | 718 | `data` is not JSON | 400 |
//! | 719 / 720 | amount below the country's minimum / above the maximum | 400 |
//! | 721 | `payment_method` unknown for the prefix's country | 400 |
//! | 804 | prefix of a country not served, or a refused method (`OMCM`) | 400 |
//! | 725 | `notify_url` missing or not an http(s) URL | 400 |
//! | 801 | amount not a positive whole number (number or digit string), or not a multiple of 5 | 400 |
//! | 802 | phone not digits or of a length not used in the prefix's country | 400 |
//! | 602 | the batch's total for a country exceeds its `available` balance | 402 |
//! | 723 | check/money matched nothing (of this merchant) | 404 |
//! | 724 | (per item) phone is not a contact | 200 |
//! | 726 | (per item) contact already exists; success for the caller | 200 |
//! | 805 | (per item) `client_transaction_id` already used by this merchant | 200 |
//! | -1, 709, 710, 715 | never by a rule: only an `api_error` fault (or per item, `item_error`) | 500 |
//! | 702 / 703 / 707 | never by a rule: only an `api_error` fault | 500 / 401 / 401 |
//! | 717 | never by a rule: only an `api_error` fault | 400 |
//!
//! A fault may also send 805 (409), 602 or any other code as a whole-request error, and a code the
//! sandbox does not know as given (message `UNKNOWN_ERROR`, 500).
//!
//! **Whole request or per item.** Everything about the request's shape or an item's content
//! (704, 716, 718, 719, 720, 721, 725, 801, 802, 804) and a too-low balance (602) refuse the whole
//! request: nothing is recorded or debited, and the description names the first bad item
//! (`item 2: ...`). What depends on the merchant's books, 724 (not a contact) and 805 (id reused,
//! including twice in one request), is a per-item `code` inside a code-0 answer; the other items
//! of the request are accepted. A send request with at least one accepted item gets one new `lot`.
//!
//! Limits (data, see [`Limits`]): minimum CI 200, SN 200, TG 150, CM/BJ/ML/BF 500, GN/CD 1000,
//! others 200; maximum 1,500,000; multiple of 5. Phone lengths: CI 8 or 10, BJ 8 or 10, SN/GN/CM/CD
//! 9, ML/BF/NE/TG 8. Methods: CI OM, FLOOZ, MOMO, WAVECI; SN OMSN, FREESN, WAVESN; CM MTNCM (OMCM
//! refused, 804); TG TMONEYTG, FLOOZTG; BJ MTNBJ, MOOVBJ; ML OMML, MOOVML; BF OMBF, MOOVBF; GN OMGN,
//! MTNGN; CD OMCD, MPESACD, AIRTELCD; NE none (any method is 721).
//!
//! ## Money and the life of a payout
//!
//! Balances are per merchant and per country (of the prefix). Acceptance moves the amount from
//! `available` to `inUsing`; VAL releases the hold (the money leaves); REJ gives it back to
//! `available`. `amount` is `available + inUsing`.
//!
//! | sandbox time | whitelisted merchant (default) | not whitelisted |
//! |---|---|---|
//! | accept (t) | NEW, CONFIRM | NEW, PENDING |
//! | t + 5 s | REC | NOS, PENDING (waits for a confirmation) |
//! | t + 15 s | VAL or REJ | - |
//! | confirmation (c) | - | REC, CONFIRM at once (a NEW one keeps its schedule) |
//! | c + 10 s | - | VAL or REJ |
//!
//! With [`ClockMode::Manual`] (the default) time moves only through
//! [`Sandbox::advance_clock`] or `POST /_sandbox/clock/advance`; with [`ClockMode::Real`] the same
//! steps happen on the wall clock after the given [`Delays`] (e.g. [`Delays::DEMO`], 300 ms and
//! 700 ms). `validated_at` is the UTC time of VAL (`YYYY-MM-DD HH:MM:SS`), null otherwise.
//!
//! **Rejection rule:** a payout whose national phone number ends in `000` is rejected (REJ) when
//! processed. Every other payout is paid (VAL).
//!
//! ## Notifications
//!
//! When a payout becomes final the sandbox POSTs, form-encoded, `transaction_id`,
//! `client_transaction_id`, `lot`, `amount`, `receiver`, `sending_status`, `comment`,
//! `treatment_status`, `operator_transaction_id` and `validated_at` (empty strings for nulls) to its
//! `notify_url`, in the background. Only 127.0.0.1, localhost and ::1 are contacted (unless
//! [`SandboxConfig::notify_loopback_only`] is false): other hosts are recorded as `skipped`. A
//! non-2xx answer or a connection failure is retried per [`RetryPolicy`] (default 3 attempts, 500 ms
//! apart). Every attempt is recorded ([`NotificationDelivery`]); wait for them with
//! [`Sandbox::wait_for_notifications`] or `GET /_sandbox/notifications?wait_for=N`. The service
//! also pings notify URLs with bare GETs: [`Sandbox::ping`] or `POST /_sandbox/notifications/ping`
//! sends one (not retried, recorded with `method: "GET"` and no fields).
//!
//! ## Latency and scale
//!
//! [`SandboxConfig::latency`] (`--latency-ms` on the binary) adds a fixed wait to every `/v1`
//! request, as the live service's round trip does, so that a client's concurrency and chunking can
//! be measured: the wait holds no lock, and N requests sent in parallel take about one latency.
//! [`Sandbox::requests`] (`GET /_sandbox/requests`) tells how many were in progress at once.
//!
//! A request's cost does not grow with the payouts held: steps wait in a queue ordered by due time,
//! lookups go through indexes, balances move incrementally. Only the admin ledger copies every
//! payout. `cargo run --release -p cinetpay-sandbox --example fill_and_measure` measures it with
//! 0, 100,000 and 1,000,000 payouts held (figures in `docs/performance.md`).
//!
//! ## Faults
//!
//! [`Fault`]s are per endpoint (`login`, `balance`, `contact`, `send`, `status`) and count-limited;
//! each request consumes one use of the oldest fault queued for its endpoint. `latency_ms` delays
//! any kind before it acts.
//!
//! | kind | effect |
//! |---|---|
//! | `latency` | delay only, then served normally |
//! | `server_error` | `status` (default 502) with an HTML page; not processed |
//! | `drop_before` | TCP connection closed without an answer; not processed |
//! | `drop_after` | processed (a send records its payouts), then closed without an answer |
//! | `malformed_json` | processed, then 200 with a truncated JSON body |
//! | `rate_limited` | 429 `{"message":"Too Many Attempts."}`, `Retry-After: 1`; not processed |
//! | `rate_limited_empty` | 429 with an empty body; not processed |
//! | `not_yet_visible` | 723 NOT_FOUND without looking (a recorded payout not visible to lookups yet, on `status`) |
//! | `api_error` | the whole request answered with `code` (default -1) and its HTTP status; processed first only with `processed: true` |
//! | `item_error` | (`send` only) 200 code 0, every item of the request answered with `code` (default -1); recorded anyway only with `processed: true` |
//! | `slow_processing` | processed `latency_ms` later in a task of its own, even if the client gave up (timed out, closed), and answered then |
//! | `status_lag` | (`status` only) VAL/REJ payouts shown as REC, not validated: the lookup has not caught up with the notification |
//!
//! `processed: true` is the nastiest case: the service did the work and answered an error. A send
//! that `slow_processing` holds is not in the ledger until it ends; `GET /_sandbox/ledger?settle_ms=N`
//! waits for it. Put `status_lag` or `not_yet_visible` on `status` after a payout became final to
//! play "the notification arrived before the lookup shows it".
//!
//! ## Admin HTTP API (under `/_sandbox`, JSON in and out)
//!
//! A POST body may be empty where every field is optional. `api_key` defaults to the first
//! configured merchant. Errors: `{"error": "..."}` with 400 (bad input), 404 (unknown merchant or
//! transaction), 409 (merchant exists), 504 (wait timed out).
//!
//! | route | body / query | answer |
//! |---|---|---|
//! | `POST /_sandbox/reset` | - | `{"ok": true}`; back to the start state (merchants, clock, no payouts, tokens, faults, notifications) |
//! | `GET /_sandbox/merchants` | - | `[{api_key, whitelisted, balances: {"CI": {amount, inUsing, available}}, contacts}]` |
//! | `POST /_sandbox/merchants` | `{api_key, password, whitelisted?: true, balances?: {"CI": 5000}}` (without `balances`: 1,000,000 in every country; with it, only the countries given) | 201 `{"api_key"}` |
//! | `POST /_sandbox/balance` | `{api_key?, country: "CI", available}` | `{"ok": true}` |
//! | `POST /_sandbox/confirm` | `{api_key?, transaction_id?}` | `{"confirmed": n}` |
//! | `POST /_sandbox/clock/advance` | `{"seconds": 15}` | `{"now_ms", "steps"}` |
//! | `GET /_sandbox/faults` | - | the queued faults |
//! | `POST /_sandbox/faults` | `{endpoint, kind, count?: 1, latency_ms?: 0, status?, code?, processed?: false}` (400 for `item_error` off `send`, `status_lag` off `status`) | the queued faults |
//! | `DELETE /_sandbox/faults` | - | `[]` |
//! | `GET /_sandbox/ledger` | `?settle_ms=N` (optional: first wait until no `slow_processing` request is running, else 504) | `[LedgerEntry]`: every payout with its state, `accepted_count` (always 1) and `send_attempts` |
//! | `GET /_sandbox/notifications` | `?wait_for=N&timeout_ms=5000` (optional) | `[NotificationDelivery]` |
//! | `POST /_sandbox/notifications/ping` | `{url}` | the `NotificationDelivery` of one GET ping |
//! | `GET /_sandbox/requests` | - | `{received, in_progress, peak_in_progress}`: `/v1` requests since the start or the last reset ([`RequestStats`]) |
//! | `POST /_sandbox/tokens/expire` | - | `{"expired": n}` |
//!
//! ## Quirks
//!
//! [`Quirks::default`] is the real service; [`Quirks::documented`] the documented shapes.
//!
//! | switch | true (default, real) | false (documented) |
//! |---|---|---|
//! | `string_error_codes` | `"code": "701"` | `"code": 701` |
//! | `nested_list_data` | contact/send `data: [[...]]` | `data: [...]` |
//! | `string_status_amounts` | check/money `"amount": "500"` | `"amount": 500` |
//! | `country_balance` | balance has `countryBalance` | totals only |
//!
//! Tokens are JWT-shaped (base64url header, payload with `iat`/`exp` in Unix seconds of the sandbox
//! clock, random signature), live 300 s by default, and are only valid as issued.

mod admin;
mod clock;
mod codes;
mod config;
mod country;
mod due;
mod engine;
mod error;
mod fault_answers;
mod faults;
mod in_flight;
mod notify;
mod payout;
mod requests;
mod routes;
mod sandbox;
mod server;
mod state;
mod token;
mod wire;

pub use config::{
    ClockMode, Delays, Limits, MerchantConfig, Quirks, RetryPolicy, SandboxConfig, DEFAULT_API_KEY,
    DEFAULT_BALANCE, DEFAULT_PASSWORD,
};
pub use error::{AdminError, StartError, WaitTimeout};
pub use faults::{Endpoint, Fault, FaultKind};
pub use notify::{DeliveryOutcome, NotificationDelivery};
pub use payout::{LedgerEntry, SendingStatus, TreatmentStatus};
pub use requests::RequestStats;
pub use sandbox::Sandbox;
pub use state::{CountryBalance, MerchantView};
