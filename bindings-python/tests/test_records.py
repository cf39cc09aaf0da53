"""Records made by the native module are the dataclasses of ``_models.py``, whole.

The native side makes results without calling the dataclass's ``__init__`` (``records.rs``: the
way ``pickle`` restores an object, for speed), so these tests check that what comes back is
indistinguishable from a record built by hand, and that a field renamed on one side only fails
loudly, naming it.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap

import pytest

import cinetpay_transfer as ct

from conftest import transfer


def assert_whole_record(record: object) -> None:
    """Every dataclass field set, equal and hashed as the same record built by its ``__init__``."""
    assert dataclasses.is_dataclass(record) and not isinstance(record, type)
    names = [f.name for f in dataclasses.fields(record)]
    assert sorted(vars(record)) == sorted(names), f"{type(record).__name__} has {sorted(vars(record))}"
    rebuilt = type(record)(**{name: getattr(record, name) for name in names})
    assert rebuilt == record and repr(rebuilt) == repr(record)
    if not isinstance(record, ct.Balance):  # a Balance holds a dict of countries: no hash
        assert hash(rebuilt) == hash(record)
    assert dataclasses.replace(record) == record
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, names[0], None)


def test_results_of_a_payout_are_whole_frozen_dataclasses(client: ct.Client) -> None:
    [contact] = client.add_contacts([ct.Contact(prefix="225", phone="0701020304", name="A", surname="B")])
    [sent] = client.send([transfer("records-1")])
    assert sent.outcome is ct.SendOutcome.ACCEPTED
    assert sent.treatment_status is not None and sent.treatment_status.is_known
    for record in (contact, sent, client.balance(), client.look_up(transfer("records-1"))):
        assert_whole_record(record)
    [info] = client.transfer_status(client_transaction_id="records-1")
    assert_whole_record(info)
    assert info.treatment_status is ct.TreatmentStatus(info.treatment_status.value)


def test_a_notification_is_a_whole_dataclass_and_unknown_statuses_are_kept() -> None:
    event = ct.parse_notification({"transaction_id": "T1", "treatment_status": "HOLD", "amount": "500"})
    assert isinstance(event, ct.Notification)
    assert_whole_record(event)
    assert event.treatment_status is not None and not event.treatment_status.is_known
    assert event.treatment_status.value == "HOLD"


def test_a_field_the_native_module_does_not_fill_fails_naming_it() -> None:
    # A fresh interpreter: the native side checks each class once, on its first record.
    script = textwrap.dedent(
        """
        import dataclasses, typing
        import cinetpay_transfer as ct
        from cinetpay_transfer import _models

        fields = [(f.name, typing.Any) for f in dataclasses.fields(_models.Notification)]
        _models.Notification = dataclasses.make_dataclass(
            "Notification", fields + [("signature", typing.Any)], frozen=True)
        try:
            ct.parse_notification({"transaction_id": "T1"})
        except TypeError as e:
            print(e)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "Notification" in out.stdout and "not filled: signature;" in out.stdout, out.stdout + out.stderr
