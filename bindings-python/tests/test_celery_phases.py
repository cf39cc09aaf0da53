"""Each phase of the Celery batch task against the sandbox, one run at a time.

The task's body runs in this process with a Celery request pushed by hand (re-delivered or not);
a retry is published to Celery's in-memory broker and raised as `Retry`, whose `sig` carries the
next phase and whose `when` is the countdown. So each rule is checked where it decides: a
re-delivered batch sends nothing before looking up, waits the processing window for what it does
not see, then sends only that; an unknown outcome is looked up, never resent.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import pytest

celery = pytest.importorskip("celery")

from celery.exceptions import Retry  # noqa: E402

import cinetpay_transfer as ct  # noqa: E402
from cinetpay_transfer.celery import fix_ids, pay_payroll, payout_task  # noqa: E402
from cinetpay_transfer.testing import Sandbox  # noqa: E402
from conftest import transfer  # noqa: E402

WINDOW = 7.0


@pytest.fixture
def task(sandbox: Sandbox) -> Iterator[celery.Task]:
    app = celery.Celery("phases", broker="memory://", backend="cache+memory://")
    made = payout_task(
        app, lambda: sandbox.client(request_timeout=1.0, processing_window=1.0), processing_window=WINDOW, lookup_delay=3.0, lookup_attempts=2
    )
    yield made
    app.close()


def run(task: celery.Task, transfers: List[Dict[str, Any]], *, redelivery: bool = False, **kwargs: Any) -> Any:
    """One run of the task's body, as a worker runs a message (``redelivery``: flagged by the broker)."""
    task.push_request(id="batch-1", delivery_info={"redelivered": redelivery}, retries=0, called_directly=False)
    try:
        return task.run(transfers=transfers, **kwargs)
    finally:
        task.pop_request()


def sends(sandbox: Sandbox) -> int:
    return len(sandbox.ledger())


def outcomes(result: Dict[str, Any]) -> Dict[str, str]:
    return {r["client_transaction_id"]: r["outcome"] for r in result["results"]}


def test_a_first_delivery_pays_the_batch(task: celery.Task, sandbox: Sandbox) -> None:
    batch = fix_ids([transfer("p-1"), transfer("p-2", phone="0701020000")])
    result = run(task, batch)
    assert outcomes(result) == {"p-1": "accepted", "p-2": "accepted"} and result["redelivered"] is False
    assert sends(sandbox) == 2


def test_a_redelivered_batch_looks_up_and_waits_before_sending_what_it_does_not_see(
    task: celery.Task, sandbox: Sandbox
) -> None:
    batch = fix_ids([transfer("r-1"), transfer("r-2")])
    sandbox.client().pay(batch[:1])  # the dead worker's run got r-1 through, not r-2
    with pytest.raises(Retry) as retry:
        run(task, batch, redelivery=True)
    assert sends(sandbox) == 1, "nothing may be sent before the window"
    assert retry.value.when == WINDOW
    kwargs = retry.value.sig.kwargs
    assert kwargs["phase"] == "resend" and kwargs["redelivered"] is True
    assert [t["client_transaction_id"] for t in kwargs["transfers"]] == ["r-2"]
    assert [(r["client_transaction_id"], r["outcome"]) for r in kwargs["done"]] == [("r-1", "accepted")]

    result = run(task, **kwargs)  # the retry, after the window: r-2 still not there, sent once
    assert outcomes(result) == {"r-1": "accepted", "r-2": "accepted"} and result["redelivered"] is True
    held = [p["client_transaction_id"] for p in sandbox.ledger()]
    assert sorted(held) == ["r-1", "r-2"]


def test_a_resend_that_is_itself_redelivered_looks_up_again(task: celery.Task, sandbox: Sandbox) -> None:
    batch = fix_ids([transfer("rr-1")])
    with pytest.raises(Retry) as retry:
        run(task, batch, phase="resend", redelivery=True)
    assert retry.value.sig.kwargs["phase"] == "resend" and retry.value.when == WINDOW
    assert sends(sandbox) == 0


def test_an_unknown_outcome_is_looked_up_never_resent(task: celery.Task, sandbox: Sandbox) -> None:
    # The answer is lost and no lookup shows the payout: the core reports it unknown.
    sandbox.add_fault("send", "drop_after", count=10)
    sandbox.add_fault("status", "not_yet_visible", count=1_000)
    batch = fix_ids([transfer("u-1")])
    with pytest.raises(Retry) as retry:
        run(task, batch)
    kwargs = retry.value.sig.kwargs
    assert kwargs["phase"] == "settle" and [t["client_transaction_id"] for t in kwargs["transfers"]] == ["u-1"]
    assert sends(sandbox) == 1

    with pytest.raises(Retry) as again:  # a lookup, still nothing shown: once more later
        run(task, **kwargs)
    assert again.value.when == 3.0 and again.value.sig.kwargs["phase"] == "settle"
    result = run(task, **again.value.sig.kwargs)  # attempts used up: reported unknown, never resent
    [unknown] = result["results"]
    assert unknown["outcome"] == "unknown" and unknown["error_kind"] == "outcome_unknown"
    assert "look it up by client_transaction_id" in unknown["error"]
    assert sends(sandbox) == 1

    sandbox.clear_faults()  # the service shows it now: a later lookup settles it as accepted
    assert outcomes(run(task, **kwargs)) == {"u-1": "accepted"}


def test_ids_are_fixed_once_and_never_twice() -> None:
    fixed = fix_ids([transfer("given"), {**transfer("x").__dict__, "client_transaction_id": None}])
    assert fixed[0]["client_transaction_id"] == "given" and len(fixed[1]["client_transaction_id"]) == 36
    with pytest.raises(ValueError, match="given twice"):
        fix_ids([transfer("same"), transfer("same")])


def eager_app() -> celery.Celery:
    app = celery.Celery("eager", broker="memory://", backend="cache+memory://")
    app.conf.task_always_eager = True  # the group runs here, batch after batch
    return app


def test_pay_payroll_splits_fixes_ids_and_sums_up(sandbox: Sandbox) -> None:
    app = eager_app()
    task = payout_task(app, sandbox.client, name="eager.pay_batch")
    payouts = [transfer(f"e-{i}", amount=300 + 5 * i) for i in range(9)] + [
        {"prefix": "225", "phone": "0701020304", "amount": 400, "notify_url": "http://127.0.0.1:9/n"}  # no id
    ]
    payroll = pay_payroll(task, payouts, batch_size=3)
    assert len(payroll.batches) == 4 and [len(b) for b in payroll.batches] == [3, 3, 3, 1]
    summary = payroll.summary(timeout=30)
    assert summary.batches == 4 and summary.total == 10 and not summary.failed and not summary.unknown
    assert summary.accepted_amount == sum(300 + 5 * i for i in range(9)) + 400
    assert sorted(r.client_transaction_id for r in summary.accepted) == sorted(payroll.client_transaction_ids)
    assert sorted(p["client_transaction_id"] for p in sandbox.ledger()) == sorted(payroll.client_transaction_ids)


def test_a_batch_whose_task_failed_is_reported_unknown_not_failed(sandbox: Sandbox) -> None:
    def no_client() -> ct.Client:
        raise RuntimeError("settings missing")

    task = payout_task(eager_app(), no_client, name="eager.broken")
    summary = pay_payroll(task, [transfer("b-1"), transfer("b-2")], batch_size=1).summary(timeout=30)
    assert [r.outcome for r in summary.unknown] == ["unknown", "unknown"] and not summary.failed
    assert "batch task failed (RuntimeError)" in summary.unknown[0].error


def test_a_bad_payout_fails_alone_and_the_rest_of_its_batch_is_paid(task: celery.Task, sandbox: Sandbox) -> None:
    batch = fix_ids([transfer("v-1"), transfer("v-2", amount=301), transfer("v-3"), transfer("v-4", amount=1)])
    result = run(task, batch)
    assert outcomes(result) == {"v-1": "accepted", "v-2": "failed", "v-3": "accepted", "v-4": "failed"}
    refused = {r["client_transaction_id"]: r["error"] for r in result["results"] if r["outcome"] == "failed"}
    assert "amount 301 XOF must be a multiple of 5" in refused["v-2"]
    assert sorted(p["client_transaction_id"] for p in sandbox.ledger()) == ["v-1", "v-3"]
