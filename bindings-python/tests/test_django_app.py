"""The Django app (`cinetpay_transfer.django` in INSTALLED_APPS): the CINETPAY setting read lazily,
the system check, `include("cinetpay_transfer.django.urls")`'s async notify view on the
AsyncClient, and the `transfer_confirmed` signal. In the real framework (Django's test clients,
its check framework, its settings machinery) against the sandbox; run on Django 4.2 and 5.x."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Iterator, List
from urllib.parse import urlencode

import pytest

django = pytest.importorskip("django")

from django.core import checks  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.test import AsyncClient as DjangoAsyncClient  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

import cinetpay_transfer as ct  # noqa: E402
from cinetpay_transfer.django import get_async_client, get_client, transfer_confirmed  # noqa: E402
from cinetpay_transfer.testing import Sandbox  # noqa: E402
from conftest import transfer  # noqa: E402

FORM = "application/x-www-form-urlencoded"


def ours(messages: List[checks.CheckMessage]) -> List[checks.CheckMessage]:
    return [m for m in messages if m.id and m.id.startswith("cinetpay_transfer.")]


@pytest.fixture
def configured(sandbox: Sandbox) -> Iterator[Sandbox]:
    setting = {
        "API_KEY": sandbox.api_key,
        "API_PASSWORD": sandbox.password,
        "BASE_URL": sandbox.base_url,
        "OPTIONS": {"max_attempts": 3, "initial_backoff": 0.01, "max_backoff": 0.05},
    }
    with override_settings(CINETPAY=setting):
        yield sandbox


@pytest.fixture
def confirmed() -> Iterator[List[Dict[str, Any]]]:
    received: List[Dict[str, Any]] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        received.append(kwargs)

    transfer_confirmed.connect(receiver, weak=False)
    yield received
    transfer_confirmed.disconnect(receiver)


def notification_of(sandbox: Sandbox, ref: str, phone: str = "0701020304") -> Dict[str, str]:
    """Pays through the setting's client, lets the payout finish; the form the sandbox posted."""
    [sent] = get_client().pay([transfer(ref, phone=phone)])
    assert sent.outcome is ct.SendOutcome.ACCEPTED
    sandbox.advance_clock(20)
    [delivery] = [d for d in sandbox.notifications(wait_for=1) if d["fields"]["client_transaction_id"] == ref]
    return dict(delivery["fields"])


def post(path: str, body: str) -> Any:
    return asyncio.run(DjangoAsyncClient(enforce_csrf_checks=True).post(path, data=body, content_type=FORM))


# ----- settings and the system check -----


def test_the_check_names_what_is_missing_without_showing_values() -> None:
    with override_settings(CINETPAY=None):
        [error] = ours(checks.run_checks())
        assert error.id == "cinetpay_transfer.E001" and "settings.CINETPAY is missing" in error.msg
        assert 'CINETPAY = {"API_KEY"' in (error.hint or "")
    with override_settings(CINETPAY={"API_KEY": "key-1234", "API_PASSWORD": "", "BASE_UR": "x"}):
        messages = [m.msg for m in ours(checks.run_checks())]
        assert messages == [
            "settings.CINETPAY['API_PASSWORD'] is missing or empty",
            "settings.CINETPAY['BASE_UR'] is not a known key (API_KEY, API_PASSWORD, BASE_URL, TOKEN_STORE, OPTIONS)",
        ]
        assert not any("key-1234" in m for m in messages)
        with pytest.raises(ImproperlyConfigured, match="API_PASSWORD"):
            get_client()


def test_a_complete_setting_passes_the_check(configured: Sandbox) -> None:
    assert ours(checks.run_checks()) == []


def test_settings_are_read_when_first_needed_and_again_when_changed(configured: Sandbox) -> None:
    first = get_client()
    assert first is get_client() and first.base_url == configured.base_url
    assert get_client().balance().available > 0
    with Sandbox() as other, override_settings(
        CINETPAY={"API_KEY": other.api_key, "API_PASSWORD": other.password, "BASE_URL": other.base_url}
    ):
        assert get_client() is not first and get_client().base_url == other.base_url
        assert get_async_client().base_url == other.base_url


# ----- the app's async notify view and the signal -----


def test_the_urls_are_named() -> None:
    assert reverse("cinetpay_transfer:notify") == "/app/cinetpay/notify"


def test_a_real_notification_sends_transfer_confirmed(configured: Sandbox, confirmed: List[Dict[str, Any]]) -> None:
    fields = notification_of(configured, "app-1")
    response = post("/app/cinetpay/notify", urlencode(fields))
    assert response.status_code == 200, response.content
    [event] = confirmed
    info = event["transfer"]
    assert isinstance(info, ct.TransferInfo) and info.client_transaction_id == "app-1"
    assert info.treatment_status is ct.TreatmentStatus.VAL
    assert isinstance(event["notification"], ct.Notification)


def test_a_forged_notification_is_refused_and_no_signal_sent(
    configured: Sandbox, confirmed: List[Dict[str, Any]]
) -> None:
    fields = notification_of(configured, "app-2")
    assert post("/app/cinetpay/notify", urlencode({**fields, "amount": "900000"})).status_code == 400
    assert post("/app/cinetpay/notify", urlencode({**fields, "client_transaction_id": "other"})).status_code == 400
    assert confirmed == []


def test_ping_outage_and_methods(configured: Sandbox, confirmed: List[Dict[str, Any]]) -> None:
    web = DjangoAsyncClient(enforce_csrf_checks=True)
    assert asyncio.run(web.get("/app/cinetpay/notify")).status_code == 200
    assert asyncio.run(web.put("/app/cinetpay/notify")).status_code == 405
    fields = notification_of(configured, "app-3")
    configured.add_fault("status", "server_error", count=10, status=503)
    assert post("/app/cinetpay/notify", urlencode(fields)).status_code == 503
    assert confirmed == []
    configured.clear_faults()
    assert post("/app/cinetpay/notify", urlencode(fields)).status_code == 200
    assert len(confirmed) == 1


def test_a_failing_receiver_makes_cinetpay_post_again(configured: Sandbox) -> None:
    def broken(sender: object, **kwargs: Any) -> None:
        raise RuntimeError("the database is down")

    fields = notification_of(configured, "app-4")
    transfer_confirmed.connect(broken, weak=False)
    try:
        with pytest.raises(RuntimeError, match="database is down"):  # Django's 500 (raised by the test client)
            post("/app/cinetpay/notify", urlencode(fields))
    finally:
        transfer_confirmed.disconnect(broken)


def test_the_token_store_setting_gives_every_client_one_login(sandbox: Sandbox, redis_url: str) -> None:
    setting = {
        "API_KEY": sandbox.api_key,
        "API_PASSWORD": sandbox.password,
        "BASE_URL": sandbox.base_url,
        "TOKEN_STORE": f"{redis_url}/3",
    }
    with override_settings(CINETPAY=setting):
        get_client().balance()

        async def from_the_async_client() -> int:
            return (await get_async_client().balance()).available

        assert asyncio.run(from_the_async_client()) > 0
    assert sandbox.expire_tokens() == 1  # two clients, one login: the second found the token in Redis
