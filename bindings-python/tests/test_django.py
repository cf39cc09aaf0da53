"""The Django notify view, inside a real (minimal) Django project, against the sandbox."""

from __future__ import annotations

from typing import Dict, Iterator
from urllib.parse import urlencode

import pytest

pytest.importorskip("django")

from django.test import Client as DjangoClient  # noqa: E402

import cinetpay_transfer as ct  # noqa: E402
from cinetpay_transfer.testing import Sandbox  # noqa: E402
from conftest import transfer  # noqa: E402
from djangoapp import urls  # noqa: E402

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def web(client: ct.Client) -> Iterator[DjangoClient]:
    urls.CLIENT = client
    urls.CONFIRMED.clear()
    yield DjangoClient(enforce_csrf_checks=True)
    urls.CLIENT = None


def real_notification(sandbox: Sandbox, client: ct.Client, ref: str, phone: str = "0701020304") -> Dict[str, str]:
    """Pays, lets the payout finish, and returns the form the sandbox really posted."""
    [sent] = client.pay([transfer(ref, phone=phone)])
    assert sent.outcome is ct.SendOutcome.ACCEPTED
    sandbox.advance_clock(20)
    deliveries = [d for d in sandbox.notifications(wait_for=1) if d["fields"]["client_transaction_id"] == ref]
    return dict(deliveries[0]["fields"])


def test_a_ping_gets_200(web: DjangoClient) -> None:
    assert web.get("/cinetpay/notify").status_code == 200
    assert web.head("/cinetpay/notify").status_code == 200
    assert web.post("/cinetpay/notify", data="", content_type=FORM).status_code == 200
    assert urls.CONFIRMED == []


def test_the_real_notification_is_confirmed_and_handled(web: DjangoClient, sandbox: Sandbox, client: ct.Client) -> None:
    fields = real_notification(sandbox, client, "dj-1")
    response = web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM)
    assert response.status_code == 200, response.content
    [info] = urls.CONFIRMED
    assert isinstance(info, ct.TransferInfo)
    assert info.client_transaction_id == "dj-1"
    assert info.treatment_status is ct.TreatmentStatus.VAL and info.treatment_status.is_final
    assert info.amount == 500


def test_a_rejected_payout_is_handed_over_too(web: DjangoClient, sandbox: Sandbox, client: ct.Client) -> None:
    fields = real_notification(sandbox, client, "dj-2", phone="0701020000")
    assert web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM).status_code == 200
    [info] = urls.CONFIRMED
    assert info.treatment_status is ct.TreatmentStatus.REJ


def test_a_forged_amount_is_refused_and_the_handler_not_called(
    web: DjangoClient, sandbox: Sandbox, client: ct.Client
) -> None:
    fields = real_notification(sandbox, client, "dj-3")
    fields["amount"] = "900000"
    response = web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM)
    assert response.status_code == 400
    assert urls.CONFIRMED == []


def test_a_forged_client_transaction_id_is_refused(web: DjangoClient, sandbox: Sandbox, client: ct.Client) -> None:
    fields = real_notification(sandbox, client, "dj-5")
    fields["client_transaction_id"] = "someone-else"
    assert web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM).status_code == 400
    assert web.post("/cinetpay/notify", data="amount=500", content_type=FORM).status_code == 400
    assert urls.CONFIRMED == []


def test_an_unknown_transfer_is_never_handed_over_and_cinetpay_asked_to_retry(web: DjangoClient) -> None:
    # 723 may be the lookup lagging behind a genuine notification: 503, not 400.
    forged = {"transaction_id": "EA000000.000000.M000000", "amount": "500", "treatment_status": "VAL"}
    assert web.post("/cinetpay/notify", data=urlencode(forged), content_type=FORM).status_code == 503
    assert urls.CONFIRMED == []


@pytest.mark.parametrize("lag", ["status_lag", "not_yet_visible"])
def test_a_notification_ahead_of_the_lookup_answers_503_until_it_caught_up(
    web: DjangoClient, sandbox: Sandbox, client: ct.Client, lag: str
) -> None:
    fields = real_notification(sandbox, client, f"dj-lag-{lag}")
    sandbox.add_fault("status", lag, count=1)
    response = web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM)
    assert response.status_code == 503, response.content
    assert urls.CONFIRMED == []
    # CinetPay posts it again: the lookup now shows VAL.
    assert web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM).status_code == 200
    [info] = urls.CONFIRMED
    assert info.treatment_status is ct.TreatmentStatus.VAL


def test_a_body_over_64_kib_is_refused_413(web: DjangoClient, sandbox: Sandbox, client: ct.Client) -> None:
    # The genuine notification, padded past the limit with a longer comment: 413, not handed over.
    fields = real_notification(sandbox, client, "dj-big")
    big = urlencode({**fields, "comment": "x" * ct.NOTIFICATION_BODY_LIMIT})
    assert web.post("/cinetpay/notify", data=big, content_type=FORM).status_code == 413
    assert urls.CONFIRMED == []
    assert web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM).status_code == 200


def test_a_service_outage_asks_cinetpay_to_retry(web: DjangoClient, sandbox: Sandbox, client: ct.Client) -> None:
    fields = real_notification(sandbox, client, "dj-4")
    sandbox.add_fault("status", "server_error", count=10, status=503)
    response = web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM)
    assert response.status_code == 503
    assert urls.CONFIRMED == []
    sandbox.clear_faults()
    assert web.post("/cinetpay/notify", data=urlencode(fields), content_type=FORM).status_code == 200
    assert len(urls.CONFIRMED) == 1
