//! A client built with `Lang::Fr` answers in French end to end, against the sandbox: its own
//! checks, the service's refusals (whose `message` and `description` stay the service's words),
//! and the per-item results of a send, returned and observed.

use std::ops::ControlFlow;
use std::sync::Mutex;

use cinetpay_sandbox::{MerchantConfig, Sandbox, SandboxConfig, DEFAULT_API_KEY, DEFAULT_PASSWORD};
use cinetpay_transfer::{Client, ErrorKind, Lang, SendOutcome, Transfer, TransferQuery};

async fn client(sandbox: &Sandbox, lang: Lang) -> Client {
    Client::builder()
        .credentials(DEFAULT_API_KEY, DEFAULT_PASSWORD)
        .base_url(sandbox.base_url())
        .lang(lang)
        .chunk_size(1)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_french_client_explains_in_french_and_keeps_the_service_words() {
    let merchant = MerchantConfig::new(DEFAULT_API_KEY, DEFAULT_PASSWORD).with_balance("CI", 1_500);
    let sandbox = Sandbox::start(SandboxConfig::default().with_merchants(vec![merchant]))
        .await
        .unwrap();
    let (fr, en) = (client(&sandbox, Lang::Fr).await, client(&sandbox, Lang::En).await);

    // Our own checks, before anything leaves.
    let above = [Transfer::new(
        "225",
        "0701020304",
        1_868_200,
        "https://shop.example/notify",
    )];
    let err = fr.send(&above).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(
        err.to_string(),
        "le montant de 1\u{202F}868\u{202F}200 XOF dépasse le maximum de 1\u{202F}500\u{202F}000 XOF \
         [champ : amount, élément 0]"
    );
    let err = en.send(&above).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "amount 1868200 XOF is above the maximum of 1500000 XOF [field: amount, item 0]"
    );

    // A refusal by the service: our sentence in French, its code, message and description raw.
    let err = fr
        .transfer_status(&TransferQuery::ClientTransactionId("nobody-sent-this".into()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        err.detail().starts_with("CinetPay a refusé la demande : 723 "),
        "{}",
        err.detail()
    );
    let english = en
        .transfer_status(&TransferQuery::ClientTransactionId("nobody-sent-this".into()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), english.code());
    assert_eq!(err.api_message(), english.api_message());

    // Per-item results of a send over several requests, as observed and as returned.
    let payouts = [
        Transfer::new("225", "0701020304", 1_000, "https://shop.example/notify")
            .client_transaction_id("fr-1"),
        Transfer::new("225", "0701020305", 2_000, "https://shop.example/notify")
            .client_transaction_id("fr-2"),
    ];
    let observed = Mutex::new(Vec::new());
    let results = fr
        .pay_observed(&payouts, &|chunk| {
            observed
                .lock()
                .unwrap()
                .extend(chunk.iter().filter_map(|r| r.error.clone()));
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    let refused: Vec<_> = results
        .iter()
        .filter(|r| r.outcome == SendOutcome::Failed)
        .collect();
    assert_eq!(refused.len(), 1, "{results:?}");
    let error = refused[0].error.as_ref().unwrap();
    assert_eq!(error.kind(), ErrorKind::InsufficientBalance);
    assert!(
        error.detail().starts_with("CinetPay a refusé la demande : 602 "),
        "{}",
        error.detail()
    );
    assert_eq!(observed.into_inner().unwrap(), vec![error.clone()]);
}
