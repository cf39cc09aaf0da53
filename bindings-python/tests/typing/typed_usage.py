"""Type-checked with `mypy --strict` against the installed package (test.sh): proves the stubs."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Union

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox


def pay(client: ct.Client) -> List[str]:
    balance: ct.Balance = client.balance()
    available: int = balance.available + balance.countries["CI"].available
    results: List[ct.SendResult] = client.pay(
        [ct.Transfer(prefix="225", phone="0701020304", amount=available // 1000, notify_url="https://x.example/n")]
    )
    ids: List[str] = [r.client_transaction_id for r in results if r.outcome is ct.SendOutcome.ACCEPTED]
    infos: List[ct.TransferInfo] = client.transfer_status(client_transaction_id=ids[0])
    final: bool = infos[0].treatment_status.is_final
    error: Optional[ct.CinetPayError] = results[0].error
    if error is not None and isinstance(error, ct.ValidationError):
        field: Optional[str] = error.field
        index: Optional[int] = error.index
        print(field, index, final)
    if error is not None:
        retry: bool = error.is_retryable
        api_message: Optional[str] = error.api_message
        print(retry, api_message)
    return ids


def limited(api_key: str, password: str) -> ct.Client:
    rule = ct.CountryRule(iso="CI", national_digits=(8, 10), min_amount=500)
    return ct.Client(api_key, password, limits=ct.Limits(countries={"225": rule}, max_amount=500_000))


def notify(client: ct.Client, body: bytes) -> Optional[ct.TransferInfo]:
    event: Union[ct.Notification, ct.Ping] = ct.parse_notification(body)
    if isinstance(event, ct.Ping):
        return None
    return client.confirm_notification(event)


async def pay_async(client: ct.AsyncClient) -> int:
    balances: List[ct.Balance] = list(await asyncio.gather(client.balance(), client.balance()))
    contacts: List[ct.ContactResult] = await client.add_contacts([ct.Contact("225", "0701020304", "A", "B")])
    return sum(b.available for b in balances) + len(contacts)


def with_sandbox() -> None:
    with Sandbox(quirks="documented") as sandbox:
        client: ct.Client = sandbox.client()
        steps: int = sandbox.advance_clock(20.0)["steps"]
        queued: List[Dict[str, Any]] = sandbox.add_fault("send", "drop_after", count=1)
        confirmed: int = sandbox.confirm(transaction_id=None, api_key=sandbox.api_key)
        print(queued, confirmed, sandbox.admin_url, sandbox.pid)
        print(pay(client), steps, sandbox.base_url, sandbox.ledger())
