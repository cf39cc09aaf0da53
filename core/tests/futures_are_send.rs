//! Every call's future is `Send`: napi, pyo3-async-runtimes and uniffi run them on tokio's
//! multi-threaded runtime and refuse futures that are not. This file fails to compile otherwise.

use cinetpay_transfer::{Client, Contact, Notification, Transfer, TransferQuery};

fn assert_send<T: Send>(_: &T) {}

#[test]
fn every_call_returns_a_send_future() {
    let client = Client::builder().credentials("k", "p").build().unwrap();
    let contacts: Vec<Contact> = Vec::new();
    let transfers: Vec<Transfer> = Vec::new();
    let query = TransferQuery::Lot("1".into());
    assert_send(&client.balance());
    assert_send(&client.add_contacts(&contacts));
    assert_send(&client.send(&transfers));
    assert_send(&client.pay(&transfers));
    let observer = |_: &[cinetpay_transfer::SendResult]| std::ops::ControlFlow::Continue(());
    assert_send(&client.send_observed(&transfers, &observer));
    assert_send(&client.pay_observed(&transfers, &observer));
    assert_send(&client.transfer_status(&query));
    let notification: Option<Notification> = None;
    if let Some(n) = &notification {
        assert_send(&client.confirm_notification(n));
    }
}
