"""Shared fixtures, and a minimal Django project (settings configured here, urls in djangoapp/)."""

from __future__ import annotations

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
