"""The runnable examples under examples/python/ stay runnable, and never spend real money by accident.

Each example runs with real-looking credentials in the environment and no --live, while every way
out to a "live" service (CINETPAY_BASE_URL and the HTTP(S) proxies, which catch the production
host) points at a local listener that counts connections: it must count none. --live runs are
refused before any request unless they name the payee and the amount and are confirmed: typed on
a terminal, or --yes without one.
"""

from __future__ import annotations

import os
import pty
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

from cinetpay_transfer.testing import Sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"
HELPERS = {"live.py"}  # imported by the examples, not one of them
FILES = sorted(p for p in EXAMPLES.glob("*.py") if p.name not in HELPERS)
REAL_LOOKING = {"CINETPAY_API_KEY": "51243657865e1c6b8f1f76.12345678", "CINETPAY_API_PASSWORD": "Xk9#live-password-7Qz"}


class Listener:
    """A TCP listener on 127.0.0.1 that closes every connection at once and counts them."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._ports: List[int] = []
        self._seen = threading.Condition()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, (_, port) = self._sock.accept()
            except OSError:
                return
            conn.close()
            with self._seen:
                self._ports.append(port)
                self._seen.notify_all()

    def count(self) -> int:
        """Connections since the last count. A probe goes last in the accept queue: once it is
        seen, every connection made before it has been seen too (the probe is not counted)."""
        with socket.create_connection(("127.0.0.1", self._sock.getsockname()[1])) as probe:
            port = probe.getsockname()[1]
            with self._seen:
                assert self._seen.wait_for(lambda: port in self._ports, timeout=10)
                others = [p for p in self._ports if p != port]
                self._ports.clear()
                return len(others)

    def close(self) -> None:
        self._sock.close()


@pytest.fixture(scope="module")
def live_service() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def trap(url: str) -> Dict[str, str]:
    """The environment of a shell with real credentials, where "live" can only reach the listener."""
    return {
        **REAL_LOOKING,
        "CINETPAY_BASE_URL": f"{url}/v1",
        "HTTPS_PROXY": url,
        "HTTP_PROXY": url,
        "ALL_PROXY": url,
        "NO_PROXY": "127.0.0.1,localhost",  # the in-process sandbox
    }


def run(path: Path, args: List[str], env: Dict[str, str], stdin: Optional[int] = subprocess.DEVNULL) -> "subprocess.CompletedProcess[str]":
    clean = {
        k: v for k, v in os.environ.items()
        if not k.upper().startswith(("CINETPAY_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "LC_ALL", "LC_MESSAGES"))
    }
    clean["LANG"] = "C.UTF-8"  # English unless `env` says otherwise, whatever the machine's locale
    return subprocess.run(
        [sys.executable, str(path), *args], env={**clean, **env}, stdin=stdin,
        capture_output=True, text=True, timeout=120, cwd=EXAMPLES,
    )


def test_the_examples_are_found() -> None:
    assert "quickstart" in [p.stem for p in FILES]
    assert (EXAMPLES / "live.py").exists()


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_runs_on_the_sandbox_whatever_the_environment_holds(path: Path, live_service: Listener) -> None:
    if path.stem.startswith("django"):
        pytest.importorskip("django")
    done = run(path, [], trap(live_service.url))
    assert live_service.count() == 0, f"the example reached the 'live' listener: {done.stderr[-2000:]}"
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()


@pytest.mark.parametrize(
    "args, why",
    [
        (["--live"], "--live needs the payee and the amount"),
        (["--live", "+2250701020304"], "--live needs the payee and the amount"),
        (["--live", "--yes", "500"], "--live needs the payee and the amount"),
        (["--live", "+2250701020304", "500"], "without one, add --yes"),  # stdin is not a terminal
        (["--live", "--yes", "+2250701020304", "500.5"], "the amount must be whole XOF"),
        (["+2250701020304", "500"], "only mean something with --live"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_quickstart_live_is_refused_before_any_request(args: List[str], why: str, live_service: Listener) -> None:
    done = run(EXAMPLES / "quickstart.py", args, trap(live_service.url))
    assert live_service.count() == 0, f"a refused run reached the 'live' listener: {done.stderr[-2000:]}"
    assert done.returncode == 2, done.stdout + done.stderr
    assert why in done.stderr
    assert "Nothing was sent." in done.stderr


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_speaks_french_when_the_locale_does(path: Path, live_service: Listener) -> None:
    if path.stem.startswith("django"):
        pytest.importorskip("django")
    done = run(path, [], {**trap(live_service.url), "LANG": "fr_CI.UTF-8"})
    assert live_service.count() == 0, done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
    french = {
        "quickstart": ["bac à sable : aucun argent ne bouge", "disponible : 10\u202f000\u202f000 XOF", "accepté :"],
        "asyncio_payroll": ["transferts acceptés sur 12", "5\u202f000 XOF"],
        "django_notify": ["notification authentique -> 200", "notification falsifiée  -> 400"],
    }[path.stem]
    for text in french:
        assert text in done.stdout, done.stdout


def test_quickstart_refuses_in_french_too(live_service: Listener) -> None:
    done = run(EXAMPLES / "quickstart.py", ["--live"], {**trap(live_service.url), "LANG": "fr_SN.UTF-8"})
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--live demande le bénéficiaire et le montant" in done.stderr
    assert "Rien n’a été envoyé." in done.stderr
    assert live_service.count() == 0


def sandbox_as_live(sandbox: Sandbox) -> Dict[str, str]:
    return {
        "CINETPAY_API_KEY": sandbox.api_key,
        "CINETPAY_API_PASSWORD": sandbox.password,
        "CINETPAY_BASE_URL": sandbox.base_url,
    }


def test_quickstart_live_yes_pays_exactly_what_the_command_line_names() -> None:
    with Sandbox(clock="real") as sandbox:  # stands in for the live service
        done = run(EXAMPLES / "quickstart.py", ["--live", "--yes", "+225 0505060708", "700"], sandbox_as_live(sandbox))
        assert done.returncode == 0, done.stderr[-2000:]
        assert "about to pay 700 XOF to +225 05******08 (available: " in done.stdout
        assert "VAL" in done.stdout
        assert "0505060708" not in done.stdout + done.stderr, "the full number was printed"
        assert sandbox.password not in done.stdout + done.stderr, "the password was printed"
        assert [(e["prefix"], e["phone"], e["amount"]) for e in sandbox.ledger()] == [("225", "0505060708", 700)]


@pytest.mark.parametrize("answer, paid", [("no", False), ("yes", True)])
def test_quickstart_live_on_a_terminal_pays_only_after_yes(answer: str, paid: bool) -> None:
    with Sandbox(clock="real") as sandbox:
        controller, terminal = pty.openpty()
        try:
            os.write(controller, f"{answer}\n".encode())
            done = run(EXAMPLES / "quickstart.py", ["--live", "+2250701020304", "700"], sandbox_as_live(sandbox), stdin=terminal)
        finally:
            os.close(terminal)
            os.close(controller)
        assert "about to pay 700 XOF to +225 07******04 (available: " in done.stdout, done.stderr
        assert "Type yes to pay" in done.stdout
        assert done.returncode == (0 if paid else 1), done.stderr[-2000:]
        assert len(sandbox.ledger()) == (1 if paid else 0)


SIDE_BY_SIDE = EXAMPLES.parent / "side-by-side"


def test_side_by_side_prints_the_shared_transcript_against_the_sandbox() -> None:
    """examples/side-by-side/python prints exactly the lines of the Rust, Node and Kotlin versions."""
    with Sandbox(clock="real") as sandbox:
        done = run(SIDE_BY_SIDE / "python" / "side_by_side.py", [], {"CINETPAY_SANDBOX_URL": sandbox.base_url})
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout == (SIDE_BY_SIDE / "expected-output.txt").read_text(), done.stderr[-2000:]
        notified = sorted(d["fields"]["treatment_status"] for d in sandbox.notifications())
        assert notified == ["REJ", "VAL"], "each payout final once, notified once"


@pytest.mark.parametrize("url", [None, "https://client.cinetpay.com/v1"], ids=["no sandbox URL", "a remote URL"])
def test_side_by_side_refuses_without_a_local_sandbox(url: Optional[str], live_service: Listener) -> None:
    env = {**trap(live_service.url), **({"CINETPAY_SANDBOX_URL": url} if url else {})}
    done = run(SIDE_BY_SIDE / "python" / "side_by_side.py", [], env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "nothing was sent" in done.stderr and not done.stdout
    assert live_service.count() == 0
