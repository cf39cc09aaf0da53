"""`token_view(client, authorize=...)`: the client's token for callers the merchant accepts, and
nothing (no token, in no answer and no log) for the others. In a real Django project against the
sandbox: the token handed out is checked by calling the sandbox's API with it."""

from __future__ import annotations

import datetime
import json
import logging
import urllib.request
from typing import Iterator

import pytest

pytest.importorskip("django")

from django.test import Client as DjangoClient  # noqa: E402
from django.test import override_settings  # noqa: E402

import cinetpay_transfer as ct  # noqa: E402
from cinetpay_transfer.testing import Sandbox  # noqa: E402
from djangoapp import urls  # noqa: E402


@pytest.fixture
def web(client: ct.Client) -> Iterator[DjangoClient]:
    urls.CLIENT = client
    yield DjangoClient()
    urls.CLIENT = None


def balance_with(sandbox: Sandbox, token: str) -> int:
    """The API's own answer to a call made with ``token`` (as an app would make it)."""
    url = f"{sandbox.base_url}/transfer/check/balance?token={token}&lang=en"
    with urllib.request.urlopen(url, timeout=5) as answer:
        return int(json.load(answer)["code"])


def test_an_accepted_caller_gets_a_working_token(web: DjangoClient, sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    response = web.get("/app/token", HTTP_X_SESSION="alice")
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"token", "expires_at", "expires_in"}
    assert balance_with(sandbox, body["token"]) == 0
    expires = datetime.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert expires.tzinfo is not None and 0 < body["expires_in"] <= 300
    # Asked again: the same token (no second login), and never in a log record.
    assert web.get("/app/token", HTTP_X_SESSION="alice").json()["token"] == body["token"]
    assert sandbox.expire_tokens() == 1
    assert body["token"] not in caplog.text


def test_a_revoked_token_sent_back_is_replaced(web: DjangoClient, sandbox: Sandbox) -> None:
    first = web.get("/app/token", HTTP_X_SESSION="alice").json()["token"]
    sandbox.expire_tokens()  # the service forgets it ahead of its expiry
    fresh = web.get("/app/token", HTTP_X_SESSION="alice", HTTP_X_PREVIOUS_TOKEN=first).json()["token"]
    assert fresh != first and balance_with(sandbox, fresh) == 0


@pytest.mark.parametrize("session", [None, "mallory"])
def test_a_refused_caller_gets_403_and_no_token(web: DjangoClient, sandbox: Sandbox, session: str) -> None:
    headers = {} if session is None else {"HTTP_X_SESSION": session}
    response = web.get("/app/token", **headers)
    assert response.status_code == 403
    assert response.json() == {"error": "forbidden"}
    assert response["Cache-Control"] == "no-store"
    assert sandbox.expire_tokens() == 0  # not even a login was made for it


def test_only_get(web: DjangoClient) -> None:
    assert web.post("/app/token", HTTP_X_SESSION="alice").status_code == 405


def test_no_token_to_hand_out_is_503_without_details(
    web: DjangoClient, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.add_fault("login", "api_error", count=10, code=-1, status=500)
    response = web.get("/app/token", HTTP_X_SESSION="alice")
    assert response.status_code == 503
    assert response.json()["error"] == "token_unavailable"
    assert sandbox.password not in caplog.text and sandbox.password not in response.content.decode()


def test_the_setting_client_by_default(sandbox: Sandbox) -> None:
    setting = {"API_KEY": sandbox.api_key, "API_PASSWORD": sandbox.password, "BASE_URL": sandbox.base_url}
    with override_settings(CINETPAY=setting):
        response = DjangoClient().get("/app/settings-token", HTTP_X_SESSION="alice")
    assert response.status_code == 200 and balance_with(sandbox, response.json()["token"]) == 0
