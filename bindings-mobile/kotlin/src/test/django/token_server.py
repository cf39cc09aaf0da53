"""The merchant's backend of DjangoTokenViewTest: Django serving ``cinetpay_transfer.django.token_view``.

It alone holds the API password (from its environment: CINETPAY_BASE_URL, CINETPAY_API_KEY,
CINETPAY_API_PASSWORD). It serves on a free port of 127.0.0.1 with Django's own threaded
development server (the one ``runserver`` and ``LiveServerTestCase`` use), prints its base URL on
the first line of stdout, and runs until killed. A request is authorized when its ``X-Session``
header is ``alice``: the stand-in for the merchant's own login of its app users.
"""

from __future__ import annotations

import os

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="e2e-tests-only",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    DATABASES={},
    USE_TZ=True,
)
django.setup()

from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.urls import path  # noqa: E402

import cinetpay_transfer as ct  # noqa: E402
from cinetpay_transfer.django import token_view  # noqa: E402

client = ct.Client(
    os.environ["CINETPAY_API_KEY"],
    os.environ["CINETPAY_API_PASSWORD"],
    base_url=os.environ["CINETPAY_BASE_URL"],
)


def authorize(request: HttpRequest) -> bool:
    return request.headers.get("X-Session") == "alice"


urlpatterns = [path("cinetpay/token", token_view(client, authorize=authorize))]

if __name__ == "__main__":
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()
