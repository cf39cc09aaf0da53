"""The Python surface: records, enums, exceptions, notifications, reprs, logging, packaging."""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
from pathlib import Path

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox
from conftest import NOTIFY_URL, transfer

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def test_one_subclass_per_error_kind_of_the_core() -> None:
    # The list comes from the core (ErrorKind::ALL): a kind added there and not given its class
    # here fails by name. The class name is the kind in CamelCase + "Error".
    from cinetpay_transfer import _errors, _native

    assert _native.ERROR_KINDS, "the core lists no error kind"
    for kind in _native.ERROR_KINDS:
        name = "".join(part.capitalize() for part in kind.split("_")) + "Error"
        cls = getattr(ct, name, None)
        assert cls is not None, f"core error kind {kind!r} has no class cinetpay_transfer.{name}"
        assert issubclass(cls, ct.CinetPayError) and cls.kind == kind, name
        assert name in ct.__all__, f"{name} is not exported in __all__"
        assert _errors._from_native("x", kind=kind).__class__ is cls, f"{kind!r} is not raised as {name}"
    assert issubclass(ct.ValidationError, ValueError)


def test_service_errors_carry_code_message_description_status(sandbox: Sandbox, client: ct.Client) -> None:
    sandbox.set_balance("CI", 100)
    client.add_contacts([ct.Contact("225", "0701020304", "Awa", "Kone")])
    with pytest.raises(ct.InsufficientBalanceError) as raised:
        client.send([transfer("poor-1")])
    e = raised.value
    assert (e.kind, e.code, e.api_message, e.http_status) == ("insufficient_balance", 602, "INSUFFICIENT_BALANCE", 402)
    with pytest.warns(DeprecationWarning, match="api_message"):
        assert e.message == "INSUFFICIENT_BALANCE"  # the earlier name, kept one release (ADR 6)
    assert e.description and isinstance(e.description, str)
    assert isinstance(e, ct.CinetPayError) and str(e)
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is ct.InsufficientBalanceError and again.code == 602
    assert again.api_message == "INSUFFICIENT_BALANCE"
    with pytest.warns(DeprecationWarning):
        assert ct.ServiceError("x", message="OLD").api_message == "OLD"  # the earlier keyword too


def test_wrong_credentials_are_an_authentication_error(sandbox: Sandbox) -> None:
    client = ct.Client("wrong", "wrong", base_url=sandbox.base_url)
    with pytest.raises(ct.AuthenticationError) as raised:
        client.balance()
    assert raised.value.code == 701


def test_a_refused_connection_is_a_transport_error() -> None:
    client = ct.Client("k", "p", base_url="http://127.0.0.1:9/v1", max_attempts=1, connect_timeout=2)
    with pytest.raises(ct.TransportError):
        client.balance()


def test_a_float_amount_is_refused_before_any_request(sandbox: Sandbox, client: ct.Client) -> None:
    for amount in (500.0, True, "500"):
        with pytest.raises(ct.ValidationError) as raised:
            client.send([transfer("ok-0"), {**dataclasses.asdict(transfer("f-1")), "amount": amount}])
        assert (raised.value.field, raised.value.index) == ("amount", 1)
    assert sandbox.ledger() == []


def test_core_validation_names_field_and_item(client: ct.Client) -> None:
    with pytest.raises(ct.ValidationError) as raised:
        client.send([transfer("v-1"), ct.Transfer("225", "0701020304", 500, "not a url", "v-2")])
    assert (raised.value.field, raised.value.index) == ("notify_url", 1)


def test_transfer_status_takes_exactly_one_id(client: ct.Client) -> None:
    with pytest.raises(ValueError):
        client.transfer_status()
    with pytest.raises(ct.ValidationError) as raised:
        client.transfer_status(transaction_id="a", lot="b")
    # The core's rule and field (TransferQuery::one_of), the same in every language.
    assert raised.value.field == "transaction_id"
    assert "exactly one" in str(raised.value)


def test_client_options_are_checked() -> None:
    with pytest.raises(ct.ValidationError) as raised:
        ct.Client("k", "p", base_url="ftp://nowhere")
    assert raised.value.field == "base_url"
    with pytest.raises(ct.ValidationError):
        ct.Client("k", "p", lang="de")
    with pytest.raises(ct.ValidationError):
        ct.Client("k", "p", request_timeout=-1)


def test_results_are_frozen_typed_records(sandbox: Sandbox, client: ct.Client) -> None:
    [sent] = client.pay([transfer("rec-1")])
    assert isinstance(sent, ct.SendResult) and isinstance(sent.amount, int)
    assert sent.outcome is ct.SendOutcome.ACCEPTED and sent.outcome == "accepted"
    assert sent.treatment_status is ct.TreatmentStatus.NEW and not sent.treatment_status.is_final
    with pytest.raises(dataclasses.FrozenInstanceError):
        sent.amount = 1  # type: ignore[misc]
    balance = client.balance()
    assert isinstance(balance.countries["CI"], ct.CountryBalance)
    assert balance.countries["CI"].in_using == 500
    [info] = client.transfer_status(client_transaction_id="rec-1")
    assert info.sending_status is ct.SendingStatus.CONFIRM and info.amount == 500
    assert "rec-1" in repr(info) and "TransferInfo(" in repr(info)


def test_per_item_failures_are_exception_objects(sandbox: Sandbox, client: ct.Client) -> None:
    results = client.send([transfer("item-1")])  # not a contact yet
    assert results[0].outcome is ct.SendOutcome.FAILED
    assert isinstance(results[0].error, ct.NotAContactError) and results[0].error.code == 724


def test_unknown_statuses_are_kept() -> None:
    odd = ct.TreatmentStatus("HOLD")
    assert odd.value == "HOLD" and odd.name == "UNKNOWN" and not odd.is_known and not odd.is_final
    assert ct.TreatmentStatus("VAL") is ct.TreatmentStatus.VAL and ct.TreatmentStatus.REJ.is_final
    assert str(ct.TreatmentStatus.VAL) == "VAL"
    n = ct.parse_notification(b"transaction_id=T1&treatment_status=HOLD&amount=500")
    assert isinstance(n, ct.Notification) and n.treatment_status == ct.TreatmentStatus("HOLD")
    assert n.treatment_status is not None and n.treatment_status.value == "HOLD"


def test_parse_notification_accepts_body_text_and_mappings() -> None:
    body = (FIXTURES / "notification_paid.form").read_bytes().strip()
    from_bytes = ct.parse_notification(body)
    assert isinstance(from_bytes, ct.Notification)
    assert ct.parse_notification(body.decode()) == from_bytes
    from urllib.parse import parse_qs, parse_qsl

    assert ct.parse_notification(dict(parse_qsl(body.decode()))) == from_bytes
    assert ct.parse_notification(parse_qs(body.decode())) == from_bytes  # lists: last value
    assert isinstance(from_bytes.amount, int)


def test_pings() -> None:
    ping = (FIXTURES / "notification_ping.form").read_bytes()
    assert ct.parse_notification(ping) is ct.PING or isinstance(ct.parse_notification(ping), ct.Ping)
    assert isinstance(ct.parse_notification(None, method="GET"), ct.Ping)
    assert isinstance(ct.parse_notification({"a": "1"}, method="GET"), ct.Ping)
    assert isinstance(ct.parse_notification({}), ct.Ping)
    with pytest.raises(ct.ValidationError) as raised:
        ct.parse_notification({"amount": "500"})
    assert raised.value.field == "transaction_id"
    with pytest.raises(TypeError):
        ct.parse_notification(42)  # type: ignore[arg-type]


def test_a_forged_notification_is_a_mismatch(sandbox: Sandbox, client: ct.Client) -> None:
    [sent] = client.pay([transfer("forge-1")])
    assert sent.transaction_id
    forged = ct.Notification(transaction_id=sent.transaction_id, client_transaction_id="forge-1", amount=100000)
    with pytest.raises(ct.NotificationMismatchError) as raised:
        client.confirm_notification(forged)
    assert raised.value.field == "amount"


def test_reprs_never_show_secrets(sandbox: Sandbox) -> None:
    secret_key, secret_password = "SENTINEL-KEY-123", "SENTINEL-PASSWORD-456"
    client = ct.Client(secret_key, secret_password, base_url=sandbox.base_url, max_attempts=1)
    aclient = ct.AsyncClient(secret_key, secret_password, base_url=sandbox.base_url)
    with pytest.raises(ct.AuthenticationError) as raised:
        client.balance()
    for text in (repr(client), str(client), repr(aclient), repr(raised.value), str(raised.value)):
        assert secret_key not in text and secret_password not in text
    assert "***" in repr(client)


def test_logs_reach_python_logging_without_secrets(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cinetpay_transfer")
    secret_key, secret_password = "SENTINEL-KEY-789", "SENTINEL-PASSWORD-012"
    wrong = ct.Client(secret_key, secret_password, base_url=sandbox.base_url, max_attempts=1)
    with pytest.raises(ct.AuthenticationError):
        wrong.balance()
    client = sandbox.client()
    client.pay([transfer("log-1")])
    sandbox.add_fault("balance", "server_error")
    client.balance()  # retried: logged
    records = [r for r in caplog.records if r.name.startswith("cinetpay_transfer")]
    assert records, "no log record from the core"
    assert any("retry" in r.getMessage() for r in records)
    for r in caplog.records:
        text = r.getMessage()
        assert secret_key not in text and secret_password not in text
        assert "sandbox-password" not in text
        assert "eyJ" not in text  # no JWT (the sandbox's tokens are JWTs)


def test_the_installed_package_is_tested() -> None:
    package = Path(ct.__file__).parent
    assert (package / "py.typed").exists() and (package / "_native.pyi").exists()
    if os.environ.get("CINETPAY_EXPECT_INSTALLED"):
        assert "site-packages" in str(package), package


def test_fixture_amounts_stay_integers(client: ct.Client) -> None:
    # the core's fixture tests cover every quirk; here only what Python adds: int, never float
    n = ct.parse_notification((FIXTURES / "notification_paid.form").read_bytes())
    assert isinstance(n, ct.Notification) and type(n.amount) is int
    assert NOTIFY_URL.startswith("http://127.0.0.1")
