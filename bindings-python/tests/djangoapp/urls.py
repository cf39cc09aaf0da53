"""The test Django project's URLs, wired the way a user would wire them: the notify view by hand,
the app's URLs (settings-configured, async), and the token view for mobile apps."""

from __future__ import annotations

from typing import List, Optional

from django.http import HttpRequest
from django.urls import include, path

from cinetpay_transfer import Client, TransferInfo
from cinetpay_transfer.django import notification_view, token_view

#: Set by the tests: the client the view uses (a factory lets settings be read per request).
CLIENT: Optional[Client] = None
#: What the handler received.
CONFIRMED: List[TransferInfo] = []


def current_client() -> Client:
    assert CLIENT is not None, "set djangoapp.urls.CLIENT first"
    return CLIENT


def authorize(request: HttpRequest) -> bool:
    """The stand-in for the merchant's own login of its app users."""
    return request.headers.get("X-Session") == "alice"


urlpatterns = [
    path("cinetpay/notify", notification_view(current_client, CONFIRMED.append)),
    path("app/cinetpay/", include("cinetpay_transfer.django.urls")),
    path("app/token", token_view(current_client, authorize=authorize)),
    path("app/settings-token", token_view(authorize=authorize)),  # the CINETPAY setting's client
]
