"""`Client.look_up`: the core's one lookup rule (ADR 2) reached from Python, as the Celery task uses it."""

from __future__ import annotations

import asyncio

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox

from conftest import transfer


def test_not_found_then_found_then_conflict(client: ct.Client) -> None:
    payout = transfer("lookup-1", amount=700)
    assert client.look_up(payout) == ct.PayoutLookup(ct.LookupStatus.NOT_FOUND)

    assert client.pay([payout])[0].outcome is ct.SendOutcome.ACCEPTED
    found = client.look_up(payout)
    assert found.status is ct.LookupStatus.FOUND
    assert found.transfer is not None and found.transfer.client_transaction_id == "lookup-1"
    assert found.transfer.amount == 700

    other = client.look_up(transfer("lookup-1", amount=800))  # same id, another amount
    assert other.status is ct.LookupStatus.CONFLICT and other.transfer is not None


def test_needs_an_id_and_checks_the_payout_first(client: ct.Client) -> None:
    with pytest.raises(ct.ValidationError) as missing:
        client.look_up({"prefix": "225", "phone": "0701020304", "amount": 500, "notify_url": "http://127.0.0.1:9/n"})
    assert missing.value.field == "client_transaction_id"
    with pytest.raises(ct.ValidationError) as floating:
        client.look_up({**transfer("x").__dict__, "amount": 5.0})
    assert floating.value.field == "amount"


def test_async_look_up(sandbox: Sandbox) -> None:
    async def main() -> ct.PayoutLookup:
        client = sandbox.async_client()
        await client.pay([transfer("lookup-async")])
        return await client.look_up(transfer("lookup-async"))

    assert asyncio.run(main()).status is ct.LookupStatus.FOUND
