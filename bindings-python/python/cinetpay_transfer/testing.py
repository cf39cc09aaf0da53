"""A local CinetPay Transfer API for your own tests: no money, no network.

``Sandbox`` starts the project's Rust sandbox inside this process (127.0.0.1, a free port) on the
SDK's runtime. It behaves like the live service (wire format, quirks, codes, the life of a payout
NEW -> REC -> VAL/REJ, notifications) and can be told to misbehave (``add_fault``). Time stands
still until ``advance_clock`` unless ``clock="real"``.

    from cinetpay_transfer.testing import Sandbox

    def test_payout():
        with Sandbox() as sandbox:
            client = sandbox.client()
            client.pay([Transfer("225", "0701020304", 500, "http://127.0.0.1:8000/notify")])
            sandbox.advance_clock(20)
            ...

A payout to a number ending in ``000`` is rejected (REJ); every other one is paid (VAL).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (issue 13, import time)
if TYPE_CHECKING:
    from typing import Any

from ._native import AsyncClient, Client
from ._native import Sandbox as _NativeSandbox

__all__ = ["Sandbox"]

#: Fast retries for tests (the production defaults wait 200 ms and more between attempts).
_TEST_RETRY = {"max_attempts": 3, "initial_backoff": 0.01, "max_backoff": 0.05}


class Sandbox(_NativeSandbox):
    """The in-process sandbox; a context manager that stops it on exit.

    Keyword options: ``quirks`` ("real" or "documented" answer shapes), ``token_lifetime``
    (seconds), ``clock`` ("manual" or "real"), ``whitelisted`` (False: payouts wait in NOS for
    ``confirm_pending()``).
    """

    def __enter__(self) -> "Sandbox":
        return self

    def client(self, **options: Any) -> Client:
        """A ``Client`` logged in as the seeded merchant, with fast retries."""
        return Client(self.api_key, self.password, base_url=self.base_url, **{**_TEST_RETRY, **options})

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` logged in as the seeded merchant, with fast retries."""
        return AsyncClient(
            self.api_key, self.password, base_url=self.base_url, **{**_TEST_RETRY, **options}
        )
