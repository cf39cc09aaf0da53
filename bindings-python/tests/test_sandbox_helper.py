"""The sandbox helper itself (ADR 10): the binary it finds, the errors when there is none, its
option checks, its admin calls under the names Node's helper has, and no process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Iterator

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox, SandboxAdminError, SandboxNotFoundError, sandbox_binary

NOTIFY_URL = "http://127.0.0.1:9/notify"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def packaged() -> bool:
    try:
        import cinetpay_transfer_sandbox  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture
def no_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No CINETPAY_SANDBOX_BIN and an empty PATH (the sandbox wheel must not be installed)."""
    if packaged():
        pytest.skip("cinetpay-transfer-sandbox is installed here")
    monkeypatch.delenv("CINETPAY_SANDBOX_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    yield


def test_a_missing_file_in_the_environment_variable_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CINETPAY_SANDBOX_BIN", "/nonexistent/cinetpay-sandbox")
    with pytest.raises(SandboxNotFoundError, match="CINETPAY_SANDBOX_BIN is /nonexistent/cinetpay-sandbox, where there is no file") as raised:
        Sandbox()
    assert 'pip install "cinetpay-transfer[sandbox]"' in str(raised.value)


def test_without_any_binary_the_error_says_what_to_install(no_binary: None) -> None:
    with pytest.raises(SandboxNotFoundError) as raised:
        Sandbox()
    assert 'pip install "cinetpay-transfer[sandbox]"' in str(raised.value)
    assert "cargo install --locked --path sandbox" in str(raised.value)


def test_the_binary_on_path_is_found_without_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    if packaged():
        pytest.skip("cinetpay-transfer-sandbox is installed here (it comes before PATH)")
    binary = os.environ.get("CINETPAY_SANDBOX_BIN")
    assert binary, "test.sh sets CINETPAY_SANDBOX_BIN"
    monkeypatch.delenv("CINETPAY_SANDBOX_BIN")
    monkeypatch.setenv("PATH", os.path.dirname(binary))
    assert sandbox_binary() == os.path.join(os.path.dirname(binary), "cinetpay-sandbox")
    with Sandbox() as sandbox:
        assert sandbox.client().balance().available > 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"clock": "fast"}, 'clock must be "manual" or "real"'),
        ({"quirks": "odd"}, 'quirks must be "real" or "documented"'),
        ({"token_lifetime": -1}, "token_lifetime must be a number of seconds >= 0"),
        ({"whitelisted": "no"}, "whitelisted must be True or False"),
    ],
)
def test_bad_option_values_are_refused_by_name(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Sandbox(**options)


def test_close_ends_the_process_and_a_second_close_does_nothing() -> None:
    sandbox = Sandbox()
    pid = sandbox.pid
    assert alive(pid)
    sandbox.close()
    assert not alive(pid), f"the sandbox {pid} still runs after close()"
    sandbox.close()
    with pytest.raises(RuntimeError, match="stopped"):
        sandbox.ledger()


def test_a_collected_sandbox_is_stopped() -> None:
    pid = Sandbox().pid
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(pid), "a Sandbox no longer referenced still runs"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_test_process_killed_without_closing_leaves_no_sandbox_behind() -> None:
    script = "import sys, time\nfrom cinetpay_transfer.testing import Sandbox\ns = Sandbox()\nprint(s.pid, flush=True)\ntime.sleep(60)\n"
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    pid = int(child.stdout.readline())
    assert alive(pid)
    child.send_signal(signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(pid), f"the sandbox {pid} outlived the killed test process"


def test_the_admin_calls_have_the_names_of_every_language(sandbox: Sandbox) -> None:
    sandbox.add_merchant("other-key", "other-password", whitelisted=False, balances={"CI": 700})
    other = ct.Client("other-key", "other-password", base_url=sandbox.base_url, max_attempts=1)
    other.add_contacts([ct.Contact("225", "0701020304", "A", "B")])
    [sent] = other.send([ct.Transfer("225", "0701020304", 500, NOTIFY_URL, client_transaction_id="h-1")])
    assert sandbox.confirm(api_key="other-key") == 1
    assert sandbox.confirm(transaction_id=sent.transaction_id, api_key="other-key") == 0
    sandbox.set_balance("CI", 100, api_key="other-key")
    queued = sandbox.add_fault("balance", "server_error", count=2, status=503)
    assert [(f["endpoint"], f["kind"], f["count"]) for f in queued] == [("balance", "server_error", 2)]
    sandbox.clear_faults()
    assert sandbox.advance_clock(20)["steps"] >= 2  # REC then VAL of the confirmed payout
    ping = sandbox.ping("http://127.0.0.1:9/ping")
    assert (ping["method"], ping["url"]) == ("GET", "http://127.0.0.1:9/ping")
    assert len(sandbox.notifications(wait_for=1, timeout=1)) >= 1
    with pytest.raises(SandboxAdminError) as waited:
        sandbox.notifications(wait_for=50, timeout=0.2)
    assert waited.value.status == 504
    with pytest.raises(SandboxAdminError) as unknown:
        sandbox.set_balance("XX", 1)
    assert unknown.value.status == 400
    assert [p["client_transaction_id"] for p in sandbox.admin("GET", "/ledger")] == ["h-1"]


def test_confirm_pending_is_a_deprecated_alias_of_confirm() -> None:
    with Sandbox(whitelisted=False) as sandbox:
        client = sandbox.client()
        client.add_contacts([ct.Contact("225", "0701020304", "A", "B")])
        client.send([ct.Transfer("225", "0701020304", 500, NOTIFY_URL, client_transaction_id="d-1")])
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            assert sandbox.confirm_pending() == 1
        assert [w.category for w in seen] == [DeprecationWarning]
        assert "Sandbox.confirm()" in str(seen[0].message)
