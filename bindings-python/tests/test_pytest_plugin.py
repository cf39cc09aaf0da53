"""The pytest plugin, as a user's suite meets it: a separate pytest run of a test file that only
names the fixtures (no conftest, no import of the plugin), so the `pytest11` entry point of the
installed package is what provides them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

USER_SUITE = '''
import asyncio

import pytest

from cinetpay_transfer import Transfer, TreatmentStatus

NOTIFY = "http://127.0.0.1:9/notify"


def test_pay_with_the_fixtures(cinetpay_client, cinetpay_sandbox):
    [sent] = cinetpay_client.pay([Transfer("225", "0701020304", 500, NOTIFY, client_transaction_id="u-1")])
    assert sent.outcome.value == "accepted"
    cinetpay_sandbox.advance_clock(20)
    [info] = cinetpay_client.transfer_status(client_transaction_id="u-1")
    assert info.treatment_status is TreatmentStatus.VAL


def test_each_test_has_its_own_sandbox(cinetpay_sandbox):
    assert cinetpay_sandbox.ledger() == []


def test_async_client(cinetpay_async_client, cinetpay_sandbox):
    async def main():
        return await cinetpay_async_client.balance()

    assert asyncio.run(main()).available > 0
    assert cinetpay_async_client.base_url == cinetpay_sandbox.base_url


@pytest.mark.cinetpay_sandbox(quirks="documented", whitelisted=False)
def test_marker_options(cinetpay_client, cinetpay_sandbox):
    cinetpay_client.pay([Transfer("225", "0701020304", 500, NOTIFY, client_transaction_id="u-2")])
    assert cinetpay_sandbox.confirm() == 1  # not whitelisted: the payout waited in NOS
'''


def test_a_users_suite_gets_the_fixtures_from_the_entry_point(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_SUITE)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers", "test_user.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout


def test_the_plugin_loads_neither_the_sandbox_nor_django_nor_celery_until_used(tmp_path: Path) -> None:
    (tmp_path / "test_other.py").write_text(
        "import sys\n\ndef test_nothing_loaded():\n"
        "    assert 'cinetpay_transfer.pytest_plugin' in sys.modules\n"
        "    loaded = {'cinetpay_transfer.testing', 'django', 'celery'} & set(sys.modules)\n"
        "    assert not loaded, loaded\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_other.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
