"""Shared fixtures, and a minimal Django project (settings configured here, urls in djangoapp/)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox

try:
    import django
    from django.conf import settings
except ImportError:  # the Django tests are skipped without Django
    django = None
else:
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="tests-only",
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF="djangoapp.urls",
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "cinetpay_transfer.django"],
            # CSRF middleware on: the view must be exempt, as CinetPay sends no CSRF token.
            MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
            DATABASES={},
            USE_TZ=True,
        )
        django.setup()

NOTIFY_URL = "http://127.0.0.1:9/notify"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> ct.Client:
    return sandbox.client()


def transfer(ref: str, amount: int = 500, phone: str = "0701020304") -> ct.Transfer:
    return ct.Transfer(prefix="225", phone=phone, amount=amount, notify_url=NOTIFY_URL, client_transaction_id=ref)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of its own on a free port (no persistence), stopped after the test."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CINETPAY_EXPECT_INSTALLED"):
            pytest.fail("redis-server is not installed (.ci/run installs the Debian package)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not redis_answers(port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False
