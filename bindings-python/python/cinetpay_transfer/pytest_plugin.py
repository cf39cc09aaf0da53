"""pytest fixtures for your own test suites, loaded by pytest through the ``pytest11`` entry point
as soon as this package is installed (nothing to import or list in ``conftest.py``):

- ``cinetpay_sandbox``: a fresh sandbox of the API per test (``testing.Sandbox``: the
  ``cinetpay-sandbox`` binary on 127.0.0.1 and a free port, time standing still until
  ``advance_clock``; install it with ``pip install "cinetpay-transfer[sandbox]"``);
- ``cinetpay_client``: a ``Client`` logged in to it as the seeded merchant, with fast retries;
- ``cinetpay_async_client``: the same as an ``AsyncClient``.

Options of the sandbox come from a marker::

    @pytest.mark.cinetpay_sandbox(quirks="documented", clock="real", token_lifetime=5)
    def test_payroll(cinetpay_client, cinetpay_sandbox): ...

Loading the plugin imports only ``cinetpay_transfer`` itself (about a millisecond, issue 13); the
sandbox is loaded by the fixtures, when a test uses them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from . import AsyncClient, Client
    from .testing import Sandbox

MARKER = "cinetpay_sandbox"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): options of the cinetpay_sandbox fixture (quirks, token_lifetime, clock, whitelisted)",
    )


@pytest.fixture
def cinetpay_sandbox(request: pytest.FixtureRequest) -> Iterator["Sandbox"]:
    """A running sandbox of the CinetPay Transfer API, stopped after the test."""
    from .testing import Sandbox

    marker = request.node.get_closest_marker(MARKER)
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    with Sandbox(**options) as sandbox:
        yield sandbox


@pytest.fixture
def cinetpay_client(cinetpay_sandbox: "Sandbox") -> "Client":
    """A ``Client`` of ``cinetpay_sandbox`` (the seeded merchant, fast retries)."""
    return cinetpay_sandbox.client()


@pytest.fixture
def cinetpay_async_client(cinetpay_sandbox: "Sandbox") -> "AsyncClient":
    """An ``AsyncClient`` of ``cinetpay_sandbox``."""
    return cinetpay_sandbox.async_client()
