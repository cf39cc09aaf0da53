"""A local CinetPay Transfer API for your own tests: no money, no network.

``Sandbox`` starts the project's sandbox binary, ``cinetpay-sandbox``, as a child process on
127.0.0.1 and a free port, and drives it through its HTTP admin API (``/_sandbox``): the same helper,
options and admin calls as Node's ``cinetpay-transfer/testing`` and the Kotlin tests (ADR 10). It
behaves like the live service (wire format, quirks, codes, the life of a payout NEW -> REC ->
VAL/REJ, notifications) and can be told to misbehave (``add_fault``). Time stands still until
``advance_clock`` unless ``clock="real"``.

    from cinetpay_transfer.testing import Sandbox

    def test_payout():
        with Sandbox() as sandbox:
            client = sandbox.client()
            client.pay([Transfer("225", "0701020304", 500, "http://127.0.0.1:8000/notify")])
            sandbox.advance_clock(20)
            ...

A payout to a number ending in ``000`` is rejected (REJ); every other one is paid (VAL).

The binary is not part of this package (it would double the wheel for code only tests run). It is
found, in this order: the environment variable ``CINETPAY_SANDBOX_BIN`` (a path; an error if nothing
is there); the ``cinetpay-transfer-sandbox`` wheel, installed by ``pip install
"cinetpay-transfer[sandbox]"``; ``cinetpay-sandbox`` on PATH (``cargo install --locked --path
sandbox`` from a checkout of the SDK). Only the standard library is used here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import warnings
import weakref

TYPE_CHECKING = False  # typing is not imported at run time (issue 13, import time)
if TYPE_CHECKING:
    from typing import IO, Any, Dict, List, Optional

    from ._native import AsyncClient, Client

__all__ = ["Sandbox", "SandboxAdminError", "SandboxNotFoundError", "sandbox_binary"]

DEFAULT_API_KEY = "sandbox-api-key"
DEFAULT_PASSWORD = "sandbox-password"
#: Fast retries for tests (the production defaults wait 200 ms and more between attempts).
_TEST_RETRY = {"max_attempts": 3, "initial_backoff": 0.01, "max_backoff": 0.05}
#: How long the binary may take to print where it listens.
_START_TIMEOUT = 30.0
_INSTALL = (
    'install it with `pip install "cinetpay-transfer[sandbox]"`, or from a checkout of the SDK with '
    "`cargo install --locked --path sandbox`, or set CINETPAY_SANDBOX_BIN to the path of a "
    "cinetpay-sandbox binary"
)
# Loopback only: a proxy from the environment (http_proxy) must never see the admin calls.
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SandboxNotFoundError(FileNotFoundError):
    """No ``cinetpay-sandbox`` binary where ``Sandbox`` looked; the message says what to install."""


class SandboxAdminError(RuntimeError):
    """A non-2xx answer of the sandbox's admin API: ``status`` and the decoded ``body``."""

    def __init__(self, message: str, status: int, body: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


def sandbox_binary() -> str:
    """The ``cinetpay-sandbox`` binary that ``Sandbox`` starts (see the module docs for the order)."""
    from_env = os.environ.get("CINETPAY_SANDBOX_BIN")
    if from_env:
        if os.path.isfile(from_env):
            return from_env
        raise SandboxNotFoundError(
            f"CINETPAY_SANDBOX_BIN is {from_env}, where there is no file: fix the path, or unset it and {_INSTALL}"
        )
    try:
        from cinetpay_transfer_sandbox import find_sandbox_bin
    except ImportError:
        pass
    else:
        return find_sandbox_bin()
    on_path = shutil.which("cinetpay-sandbox")
    if on_path:
        return on_path
    raise SandboxNotFoundError(f"the CinetPay sandbox binary (cinetpay-sandbox) is not installed: {_INSTALL}")


def _flags(quirks: str, token_lifetime: float, clock: str, whitelisted: bool) -> List[str]:
    """The binary's flags for the start options, each checked by name before anything starts."""
    if quirks not in ("real", "documented"):
        raise ValueError(f'quirks must be "real" or "documented", not {quirks!r}')
    if clock not in ("manual", "real"):
        raise ValueError(f'clock must be "manual" or "real", not {clock!r}')
    if isinstance(token_lifetime, bool) or not isinstance(token_lifetime, (int, float)) or not (
        0 <= token_lifetime < float("inf")
    ):
        raise ValueError(f"token_lifetime must be a number of seconds >= 0, not {token_lifetime!r}")
    if not isinstance(whitelisted, bool):
        raise ValueError(f"whitelisted must be True or False, not {whitelisted!r}")
    return [
        f"--quirks={quirks}",
        f"--token-lifetime={float(token_lifetime)}",
        f"--clock={clock}",
        f"--whitelisted={'true' if whitelisted else 'false'}",
    ]


def _stop(process: subprocess.Popen[bytes], stderr: IO[bytes]) -> None:
    """Kills the sandbox process and waits for it (its port closed). Safe to call twice."""
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout, stderr):
        if stream is not None:
            stream.close()


class Sandbox:
    """A running sandbox; a context manager that stops it on exit.

    Keyword options (the sandbox crate's names, as Node's ``Sandbox.start({...})`` takes them in
    camelCase): ``quirks`` ("real" or "documented" answer shapes), ``token_lifetime`` (seconds),
    ``clock`` ("manual" or "real"), ``whitelisted`` (False: payouts wait in NOS for ``confirm()``).

    The process stops on ``close()``, on ``with`` exit, when the object is collected, at
    interpreter exit, and by itself when this process dies (its standard input closes).
    """

    def __init__(
        self,
        *,
        quirks: str = "real",
        token_lifetime: float = 300.0,
        clock: str = "manual",
        whitelisted: bool = True,
    ) -> None:
        args = _flags(quirks, token_lifetime, clock, whitelisted)
        binary = sandbox_binary()
        stderr = tempfile.TemporaryFile()
        try:
            process = subprocess.Popen(
                [binary, "--addr=127.0.0.1:0", "--exit-with-stdin", *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
            )
        except OSError:
            stderr.close()
            raise
        # weakref.finalize also runs at interpreter exit (atexit), so no sandbox outlives its tests.
        self._finalizer = weakref.finalize(self, _stop, process, stderr)
        self._process = process
        timer = threading.Timer(_START_TIMEOUT, process.kill)
        timer.start()
        try:
            assert process.stdout is not None
            line = process.stdout.readline().decode("utf-8", "replace").strip()
        finally:
            timer.cancel()
        if not line.startswith("http://"):
            code = process.wait()
            said = _tail(stderr)
            self._finalizer()
            raise RuntimeError(f"the sandbox ({binary}) stopped before it listened (exit code {code}): {said}")
        self._base_url = line
        self._admin_url = line[: -len("/v1")] + "/_sandbox" if line.endswith("/v1") else line + "/_sandbox"

    @property
    def base_url(self) -> str:
        """The API base URL (``http://127.0.0.1:PORT/v1``): give it to ``Client(base_url=...)``."""
        return self._base_url

    @property
    def admin_url(self) -> str:
        """The HTTP admin API (``http://127.0.0.1:PORT/_sandbox``)."""
        return self._admin_url

    @property
    def api_key(self) -> str:
        """The seeded merchant's API key (whitelisted unless ``whitelisted=False``, 1,000,000 XOF per country)."""
        return DEFAULT_API_KEY

    @property
    def password(self) -> str:
        """The seeded merchant's API password."""
        return DEFAULT_PASSWORD

    @property
    def pid(self) -> int:
        """The process id of the sandbox binary."""
        return self._process.pid

    def __repr__(self) -> str:
        return f"Sandbox(base_url={self._base_url!r}, running={self._finalizer.alive})"

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stops the sandbox process and waits until it has exited. Calling it again does nothing."""
        self._finalizer()

    def client(self, **options: Any) -> Client:
        """A ``Client`` logged in as the seeded merchant, with fast retries."""
        from ._native import Client

        return Client(self.api_key, self.password, base_url=self.base_url, **{**_TEST_RETRY, **options})

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` logged in as the seeded merchant, with fast retries."""
        from ._native import AsyncClient

        return AsyncClient(self.api_key, self.password, base_url=self.base_url, **{**_TEST_RETRY, **options})

    def admin(self, method: str, path: str, body: Any = None, timeout: float = 30.0) -> Any:
        """One admin request (``"POST"``, ``"/faults"``, a JSON body); returns the decoded answer.

        Raises ``SandboxAdminError`` on a non-2xx answer.
        """
        if not self._finalizer.alive:
            raise RuntimeError("the sandbox is stopped")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self._admin_url + path, data=data, method=method)
        if data is not None:
            request.add_header("content-type", "application/json")
        try:
            with _HTTP.open(request, timeout=timeout) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as e:
            text = e.read().decode()
            raise SandboxAdminError(f"{method} {path}: {e.code} {text}", e.code, _decode(text)) from None
        return _decode(text)

    def reset(self) -> None:
        """Back to the start state: merchants, clock, no payouts, tokens, faults, notifications."""
        self.admin("POST", "/reset")

    def advance_clock(self, seconds: float) -> Dict[str, int]:
        """Moves the sandbox clock forward (payouts: NEW -> REC after 5 s -> VAL/REJ 10 s later;
        final ones notify). Returns ``{"now_ms": ..., "steps": ...}`` (steps taken)."""
        return self.admin("POST", "/clock/advance", {"seconds": seconds})  # type: ignore[no-any-return]

    def confirm(self, transaction_id: Optional[str] = None, api_key: Optional[str] = None) -> int:
        """Confirms pending payouts (all of a merchant's, or one) as the merchant's e-mail would;
        returns how many. ``api_key``: the seeded merchant's by default."""
        body = {k: v for k, v in (("transaction_id", transaction_id), ("api_key", api_key)) if v}
        return int(self.admin("POST", "/confirm", body)["confirmed"])

    def confirm_pending(self, transaction_id: Optional[str] = None) -> int:
        """Deprecated: ``confirm(transaction_id)`` (the name of every language's helper, ADR 10)."""
        warnings.warn(
            "Sandbox.confirm_pending() is deprecated: use Sandbox.confirm()", DeprecationWarning, stacklevel=2
        )
        return self.confirm(transaction_id)

    def set_balance(self, country: str, available: int, api_key: Optional[str] = None) -> None:
        """Sets a merchant's available balance in one country (ISO code, e.g. "CI"); the seeded
        merchant's by default."""
        body: Dict[str, Any] = {"country": country, "available": available}
        if api_key:
            body["api_key"] = api_key
        self.admin("POST", "/balance", body)

    def add_merchant(
        self,
        api_key: str,
        password: str,
        whitelisted: Optional[bool] = None,
        balances: Optional[Dict[str, int]] = None,
    ) -> None:
        """Adds a merchant (``whitelisted=False`` makes its payouts wait for ``confirm``)."""
        body: Dict[str, Any] = {"api_key": api_key, "password": password}
        if whitelisted is not None:
            body["whitelisted"] = whitelisted
        if balances is not None:
            body["balances"] = balances
        self.admin("POST", "/merchants", body)

    def add_fault(
        self,
        endpoint: str,
        kind: str,
        count: Optional[int] = None,
        latency_ms: Optional[int] = None,
        status: Optional[int] = None,
        code: Optional[int] = None,
        processed: Optional[bool] = None,
    ) -> List[Dict[str, Any]]:
        """Queues a fault for the next ``count`` (default 1) requests to an endpoint; returns the
        faults queued. ``endpoint`` in login, balance, contact, send, status; ``kind`` in latency,
        server_error, drop_before, drop_after, malformed_json, rate_limited, rate_limited_empty,
        not_yet_visible, api_error, item_error, slow_processing, status_lag (see the sandbox crate
        docs); ``status`` for server_error, ``code`` and ``processed`` for api_error and item_error."""
        body: Dict[str, Any] = {"endpoint": endpoint, "kind": kind}
        for name, value in (
            ("count", count), ("latency_ms", latency_ms), ("status", status), ("code", code), ("processed", processed)
        ):
            if value is not None:
                body[name] = value
        return self.admin("POST", "/faults", body)  # type: ignore[no-any-return]

    def clear_faults(self) -> None:
        """Removes every queued fault."""
        self.admin("DELETE", "/faults")

    def expire_tokens(self) -> int:
        """Makes every issued token expired (705 on next use); returns how many were valid."""
        return int(self.admin("POST", "/tokens/expire")["expired"])

    def ledger(self) -> List[Dict[str, Any]]:
        """Every payout the sandbox recorded, in acceptance order, as dicts."""
        return self.admin("GET", "/ledger")  # type: ignore[no-any-return]

    def notifications(self, wait_for: Optional[int] = None, timeout: float = 10.0) -> List[Dict[str, Any]]:
        """Notification delivery attempts, as dicts (``fields`` holds what was posted). With
        ``wait_for=n``, waits (up to ``timeout`` seconds) until at least n are recorded; raises
        ``SandboxAdminError`` (status 504) if they are not."""
        if wait_for is None:
            return self.admin("GET", "/notifications")  # type: ignore[no-any-return]
        query = urllib.parse.urlencode({"wait_for": wait_for, "timeout_ms": round(timeout * 1000)})
        return self.admin("GET", f"/notifications?{query}", timeout=timeout + 30)  # type: ignore[no-any-return]

    def ping(self, url: str) -> Dict[str, Any]:
        """Sends one bare GET ping to ``url``, as CinetPay pings notify URLs; returns the recorded attempt."""
        return self.admin("POST", "/notifications/ping", {"url": url})  # type: ignore[no-any-return]


def _decode(text: str) -> Any:
    return json.loads(text) if text else None


def _tail(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read()[-4000:].decode("utf-8", "replace").strip()
