"""A list sent in one call is read a chunk at a time (issue 13, item 4; ``src/stream.rs``).

``add_contacts``, ``send`` and ``pay`` run the core's streaming engine over the caller's sequence:
the items are converted as each range is read and released again, and each chunk's results are
set by position as it settles. So: the results keep input order whatever order chunks settle in,
an item that cannot be read fails the call with its own exception before anything leaves, any
iterable works, and the converted inputs alive at once do not grow with the list.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import urllib.request
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any, Callable, Dict, Iterator, List

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox
from conftest import NOTIFY_URL

CHUNK, CONCURRENCY = 7, 4


def phone(i: int) -> str:
    return f"07{i:07d}1"  # a CI number that never ends in 000 (the sandbox rejects those)


def payout(i: int, ref: str = "s") -> ct.Transfer:
    return ct.Transfer("225", phone(i), 500 * (1 + i % 3), NOTIFY_URL, f"{ref}-{i}")


def requests_received(sandbox: Sandbox) -> int:
    with urllib.request.urlopen(f"{sandbox.admin_url}/requests") as answer:
        return int(json.load(answer)["received"])


def sync_call(sandbox: Sandbox, method: str) -> Callable[[Any], List[Any]]:
    client = sandbox.client(chunk_size=CHUNK, max_concurrency=CONCURRENCY)
    return getattr(client, method)  # type: ignore[no-any-return]


def async_call(sandbox: Sandbox, method: str) -> Callable[[Any], List[Any]]:
    async def call(items: Any) -> List[Any]:
        client = sandbox.async_client(chunk_size=CHUNK, max_concurrency=CONCURRENCY)
        return await getattr(client, method)(items)  # type: ignore[no-any-return]

    return lambda items: asyncio.run(call(items))


STYLES = pytest.mark.parametrize("style", [sync_call, async_call], ids=["sync", "async"])


class Broken(Sequence):  # type: ignore[type-arg]
    """100 payouts whose item 57 cannot be read: its ``__getitem__`` raises."""

    def __len__(self) -> int:
        return 100

    def __getitem__(self, i: Any) -> ct.Transfer:
        if not 0 <= i < 100:
            raise IndexError(i)
        if i == 57:
            raise TypeError("item 57 is not a Transfer")
        return payout(i)


@STYLES
@pytest.mark.parametrize("method", ["send", "pay"])
def test_an_unreadable_item_fails_the_call_with_its_own_exception_before_anything_leaves(
    sandbox: Sandbox, style: Any, method: str
) -> None:
    call = style(sandbox, method)
    wrong_type = [payout(i) for i in range(100)]
    wrong_type[57] = ct.Contact("225", phone(57), "Awa", "Kone")  # type: ignore[call-overload]
    with pytest.raises(ct.ValidationError) as raised:
        call(wrong_type)
    assert (raised.value.field, raised.value.index) == ("amount", 57)
    assert str(raised.value).startswith("amount is missing")

    float_amount = [payout(i) for i in range(100)]
    float_amount[57] = {"prefix": "225", "phone": phone(57), "amount": 500.0, "notify_url": NOTIFY_URL}  # type: ignore[call-overload]
    with pytest.raises(ct.ValidationError) as raised:
        call(float_amount)
    assert (raised.value.field, raised.value.index) == ("amount", 57)
    assert "must be an int of XOF, not float" in str(raised.value)

    with pytest.raises(TypeError, match="^item 57 is not a Transfer$"):
        call(Broken())

    assert sandbox.ledger() == []
    assert requests_received(sandbox) == 0


@STYLES
def test_a_contact_that_cannot_be_read_fails_add_contacts_before_any_request(sandbox: Sandbox, style: Any) -> None:
    contacts: List[Any] = [ct.Contact("225", phone(i), "Awa", "Kone") for i in range(100)]
    contacts[57] = {"prefix": "225", "phone": 701020304, "name": "Awa", "surname": "Kone"}
    with pytest.raises(ct.ValidationError) as raised:
        style(sandbox, "add_contacts")(contacts)
    assert (raised.value.field, raised.value.index) == ("phone", 57)
    assert requests_received(sandbox) == 0


@STYLES
def test_results_keep_input_positions(sandbox: Sandbox, style: Any) -> None:
    contacts = [ct.Contact("225", phone(i), "Awa", f"Kone{i}") for i in range(100)]
    added = style(sandbox, "add_contacts")(contacts)
    assert type(added) is list and [r.phone for r in added] == [c.phone for c in contacts]
    assert all(r.added for r in added)

    payouts = [payout(i) for i in range(100)]
    sent = style(sandbox, "send")(tuple(payouts))
    assert type(sent) is list and len(sent) == 100
    for i, (t, r) in enumerate(zip(payouts, sent)):
        assert (r.client_transaction_id, r.phone, r.amount) == (t.client_transaction_id, t.phone, t.amount), i
        assert r.outcome is ct.SendOutcome.ACCEPTED, i
    assert sorted(p["client_transaction_id"] for p in sandbox.ledger()) == sorted(f"s-{i}" for i in range(100))


@STYLES
def test_any_iterable_is_read_once_and_sent(sandbox: Sandbox, style: Any) -> None:
    pulled = []

    def generated() -> Iterator[ct.Transfer]:
        for i in range(60):
            pulled.append(i)
            yield payout(i, "gen")

    results = style(sandbox, "pay")(generated())
    assert pulled == list(range(60))  # made a list once, the engine reads that list
    assert [r.client_transaction_id for r in results] == [f"gen-{i}" for i in range(60)]
    assert all(r.outcome is ct.SendOutcome.ACCEPTED for r in results)
    assert len(sandbox.ledger()) == 60


class Fields(Mapping):  # type: ignore[type-arg]
    """A mapping that is no dict."""

    def __init__(self, fields: Dict[str, Any]) -> None:
        self._fields = fields

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


class Chameleon:
    """Keys when its ``__class__`` says it is a ``Mapping`` (so ``isinstance`` says so too),
    attributes otherwise: two items of one type that must be read two ways."""

    def __init__(self, fields: Dict[str, Any], as_mapping: bool) -> None:
        self._fields, self._as_mapping = fields, as_mapping

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return Fields if self._as_mapping else Chameleon

    def __getitem__(self, key: str) -> Any:
        if not self._as_mapping:
            raise TypeError("read me by attribute")
        return self._fields[key]

    def __getattr__(self, name: str) -> Any:
        if self._as_mapping or name not in self._fields:
            raise AttributeError(name)
        return self._fields[name]


@STYLES
def test_items_of_every_kind_in_one_list_are_each_read_as_their_kind(sandbox: Sandbox, style: Any) -> None:
    # The Mapping check is made once per type and read of the list (src/types.rs, Shapes), so
    # kinds alternate here within one read, and two Chameleons share a type but not a kind.
    kinds: List[Callable[[Dict[str, Any]], Any]] = [
        lambda f: ct.Transfer(**f),
        dict,
        Fields,
        lambda f: SimpleNamespace(**f),
        lambda f: Chameleon(f, as_mapping=True),
        lambda f: Chameleon(f, as_mapping=False),
    ]
    fields = [dataclasses.asdict(payout(i, "kind")) for i in range(3 * len(kinds))]
    items = [kinds[i % len(kinds)](f) for i, f in enumerate(fields)]
    style(sandbox, "add_contacts")([ct.Contact("225", phone(i), "Awa", "Kone") for i in range(len(items))])
    results = style(sandbox, "send")(items)
    assert [(r.client_transaction_id, r.amount) for r in results] == [
        (f["client_transaction_id"], f["amount"]) for f in fields
    ]
    assert all(r.outcome is ct.SendOutcome.ACCEPTED for r in results)
    assert sorted((p["client_transaction_id"], p["amount"]) for p in sandbox.ledger()) == sorted(
        (f["client_transaction_id"], f["amount"]) for f in fields
    )


def test_a_list_that_is_no_list_is_refused(client: ct.Client) -> None:
    for not_a_list in ("abc", {"prefix": "225"}, 3):
        with pytest.raises(ct.ValidationError) as raised:
            client.send(not_a_list)  # type: ignore[arg-type]
        assert raised.value.field == "transfers" and str(raised.value).startswith("transfers must be a list")


class Changing(Sequence):  # type: ignore[type-arg]
    """Payouts built on each read; item 13 reads with another amount from its second read on."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.reads_of_13 = 0

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: Any) -> ct.Transfer:
        if not 0 <= i < self.n:
            raise IndexError(i)
        t = payout(i, "chg")
        if i == 13:
            self.reads_of_13 += 1
            if self.reads_of_13 > 1:
                return ct.Transfer(t.prefix, t.phone, t.amount + 500, t.notify_url, t.client_transaction_id)
        return t


@STYLES
def test_a_payout_that_reads_differently_when_sent_is_not_sent(sandbox: Sandbox, style: Any) -> None:
    style(sandbox, "add_contacts")([ct.Contact("225", phone(i), "Awa", "Kone") for i in range(40)])
    changing = Changing(40)
    results = style(sandbox, "send")(changing)
    assert changing.reads_of_13 == 2  # checked, then read again to be sent
    assert results[13].outcome is ct.SendOutcome.FAILED
    assert isinstance(results[13].error, ct.ValidationError) and results[13].error.index == 13
    assert "changed" in str(results[13].error)
    assert all(r.outcome is ct.SendOutcome.ACCEPTED for k, r in enumerate(results) if k != 13)
    assert sorted(p["client_transaction_id"] for p in sandbox.ledger()) == sorted(
        f"chg-{i}" for i in range(40) if i != 13
    )


class Counted(ct.Transfer):
    """A payout that counts the instances alive at once."""

    alive = 0
    most_alive = 0

    def __del__(self) -> None:
        Counted.alive -= 1


class OnDemand(Sequence):  # type: ignore[type-arg]
    """``n`` payouts, each built when read (nothing holds it but the reader)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: Any) -> Counted:
        if not 0 <= i < self.n:
            raise IndexError(i)
        Counted.alive += 1
        Counted.most_alive = max(Counted.most_alive, Counted.alive)
        return Counted("225", phone(i), 500, NOTIFY_URL, f"mem-{self.n}-{i}")


@STYLES
@pytest.mark.parametrize("n", [300, 2500])
def test_the_inputs_alive_at_once_do_not_grow_with_the_list(sandbox: Sandbox, style: Any, n: int) -> None:
    """Chunks of 7, 4 in flight: whatever the length (over the 1,000 items the checks read at a
    time, too), the converted-but-unreleased payouts stay within the chunks in flight. Holding the
    list converted (as before the streaming engine) keeps all ``n`` alive."""
    sandbox.set_balance("CI", 10**9)
    Counted.alive = Counted.most_alive = 0
    results = style(sandbox, "pay")(OnDemand(n))
    assert len(results) == n and all(r.outcome is ct.SendOutcome.ACCEPTED for r in results)
    assert [r.client_transaction_id for r in results] == [f"mem-{n}-{i}" for i in range(n)]
    assert 1 <= Counted.most_alive <= CHUNK * CONCURRENCY
    assert Counted.alive == 0
