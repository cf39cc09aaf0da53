//! The life of a payout on the manual and real clocks, and the money it moves.

mod common;

use std::time::Duration;

use cinetpay_sandbox::{ClockMode, Delays, MerchantConfig, SandboxConfig, TreatmentStatus};
use common::{item, items, Api, PAID, REJECTED};
use serde_json::json;

const KEY: &str = "sandbox-api-key";

async fn treatment(api: &Api, token: &str, ctid: &str) -> (String, String) {
    let (status, body) = api.status(token, "client_transaction_id", ctid).await;
    assert_eq!(status, 200, "{body}");
    let s = &body["data"][0];
    (
        s["treatment_status"].as_str().unwrap().into(),
        s["sending_status"].as_str().unwrap().into(),
    )
}

#[tokio::test]
async fn a_payout_goes_new_rec_val_and_its_hold_leaves() {
    let api = Api::start().await;
    let (token, _) = api.pay(PAID, 500, "p").await;
    let ci = |api: &Api| api.sandbox.balances(KEY).unwrap()["CI"];
    assert_eq!(
        (ci(&api).available, ci(&api).in_using, ci(&api).amount),
        (999_500, 500, 1_000_000)
    );
    assert_eq!(treatment(&api, &token, "p").await.0, "NEW");
    api.sandbox.advance_clock(Duration::from_secs(4));
    assert_eq!(treatment(&api, &token, "p").await.0, "NEW");
    api.sandbox.advance_clock(Duration::from_secs(1));
    assert_eq!(treatment(&api, &token, "p").await.0, "REC");
    api.sandbox.advance_clock(Duration::from_secs(10));
    let (_, body) = api.status(&token, "client_transaction_id", "p").await;
    let s = &body["data"][0];
    assert_eq!(s["treatment_status"], "VAL");
    assert_eq!(s["transfer_valid"], "Y");
    assert_eq!(s["sending_status"], "CONFIRM");
    let validated_at = s["validated_at"].as_str().unwrap();
    assert_eq!(validated_at.len(), 19, "{validated_at}");
    assert!(s["operator_transaction_id"].is_string());
    assert_eq!(
        (ci(&api).available, ci(&api).in_using, ci(&api).amount),
        (999_500, 0, 999_500)
    );
    let (_, body) = api.balance(&token).await;
    assert_eq!(body["data"]["countryBalance"]["CI"]["available"], 999_500);
}

#[tokio::test]
async fn a_number_ending_in_000_is_rejected_and_refunded() {
    let api = Api::start().await;
    let (token, _) = api.pay(REJECTED, 2000, "r").await;
    assert_eq!(api.sandbox.balances(KEY).unwrap()["CI"].available, 998_000);
    api.sandbox.advance_clock(Duration::from_secs(15));
    let (_, body) = api.status(&token, "client_transaction_id", "r").await;
    let s = &body["data"][0];
    assert_eq!(s["treatment_status"], "REJ");
    assert_eq!(s["transfer_valid"], "N");
    assert_eq!(s["validated_at"], json!(null));
    let ci = api.sandbox.balances(KEY).unwrap()["CI"];
    assert_eq!((ci.available, ci.in_using), (1_000_000, 0));
}

#[tokio::test]
async fn one_long_advance_takes_every_step() {
    let api = Api::start().await;
    api.pay(PAID, 500, "p").await;
    assert_eq!(api.sandbox.advance_clock(Duration::from_secs(3600)), 2);
    assert_eq!(api.sandbox.ledger()[0].treatment_status, TreatmentStatus::Val);
}

#[tokio::test]
async fn an_unconfirmed_payout_waits_in_nos_until_confirmed() {
    let config = SandboxConfig::default().with_merchants(vec![
        MerchantConfig::new(KEY, "sandbox-password").whitelisted(false)
    ]);
    let api = Api::with(config).await;
    let (token, _) = api.pay(PAID, 500, "p").await;
    assert_eq!(
        treatment(&api, &token, "p").await,
        ("NEW".into(), "PENDING".into())
    );
    api.sandbox.advance_clock(Duration::from_secs(60));
    assert_eq!(
        treatment(&api, &token, "p").await,
        ("NOS".into(), "PENDING".into())
    );
    assert_eq!(api.sandbox.confirm_pending(KEY).unwrap(), 1);
    assert_eq!(
        treatment(&api, &token, "p").await,
        ("REC".into(), "CONFIRM".into())
    );
    api.sandbox.advance_clock(Duration::from_secs(10));
    assert_eq!(
        treatment(&api, &token, "p").await,
        ("VAL".into(), "CONFIRM".into())
    );
    assert_eq!(api.sandbox.confirm_pending(KEY).unwrap(), 0);
}

#[tokio::test]
async fn a_payout_confirmed_before_processing_keeps_its_schedule() {
    let config = SandboxConfig::default().with_merchants(vec![
        MerchantConfig::new(KEY, "sandbox-password").whitelisted(false)
    ]);
    let api = Api::with(config).await;
    let (token, sent) = api.pay(PAID, 500, "p").await;
    let tid = sent["transaction_id"].as_str().unwrap();
    assert_eq!(api.sandbox.confirm_transaction(KEY, tid).unwrap(), 1);
    api.sandbox.advance_clock(Duration::from_secs(15));
    assert_eq!(
        treatment(&api, &token, "p").await,
        ("VAL".into(), "CONFIRM".into())
    );
}

#[tokio::test]
async fn the_real_clock_moves_payouts_by_itself() {
    let config = SandboxConfig::default().with_clock(ClockMode::Real(Delays {
        to_processing: Duration::from_millis(50),
        to_final: Duration::from_millis(50),
    }));
    let api = Api::with(config).await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    // A non-loopback notify_url is recorded as skipped the moment the payout is final: a clean
    // signal to wait on, without sleeping.
    let mut it = item(PAID, 500, "p");
    it["notify_url"] = json!("http://example.com/notify");
    let (_, body) = api.send(&token, json!([it])).await;
    assert_eq!(items(&body)[0]["code"], 0);
    api.sandbox
        .wait_for_notifications(1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(treatment(&api, &token, "p").await.0, "VAL");
}

#[tokio::test]
async fn steps_due_in_one_advance_are_taken_in_time_order_not_acceptance_order() {
    let config = SandboxConfig::default().with_merchants(vec![
        MerchantConfig::new(KEY, "sandbox-password").whitelisted(false)
    ]);
    let api = Api::with(config).await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    // Skipped deliveries are recorded as the payouts become final, in that order.
    let send = |ctid: &'static str| {
        let mut it = item(PAID, 500, ctid);
        it["notify_url"] = json!("http://example.com/notify");
        let (api, token) = (&api, token.clone());
        async move {
            let (_, body) = api.send(&token, json!([it])).await;
            items(&body)[0]["transaction_id"].as_str().unwrap().to_string()
        }
    };
    let early = send("early").await;
    api.sandbox.advance_clock(Duration::from_secs(60)); // early waits in NOS
    let late = send("late").await;
    api.sandbox.confirm_transaction(KEY, &late).unwrap(); // REC at +5 s, VAL at +15 s
    api.sandbox.advance_clock(Duration::from_secs(8));
    api.sandbox.confirm_transaction(KEY, &early).unwrap(); // REC now, VAL at +10 s: 2 s after late
    assert_eq!(api.sandbox.advance_clock(Duration::from_secs(60)), 2);
    let log = api
        .sandbox
        .wait_for_notifications(2, Duration::from_secs(5))
        .await
        .unwrap();
    let order: Vec<&str> = log.iter().map(|d| d.transaction_id.as_str()).collect();
    assert_eq!(order, [late.as_str(), early.as_str()]);
    let validated =
        |id: &str| log.iter().find(|d| d.transaction_id == id).unwrap().fields["validated_at"].clone();
    assert!(validated(&late) < validated(&early), "{log:?}");
}
