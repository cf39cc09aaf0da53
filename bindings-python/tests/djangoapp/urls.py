"""The test Django project's URLs: the notify view, wired the way a user would wire it."""

from __future__ import annotations

from typing import List, Optional

from django.urls import path

from cinetpay_transfer import Client, TransferInfo
from cinetpay_transfer.django import notification_view

#: Set by the tests: the client the view uses (a factory lets settings be read per request).
CLIENT: Optional[Client] = None
#: What the handler received.
CONFIRMED: List[TransferInfo] = []


def current_client() -> Client:
    assert CLIENT is not None, "set djangoapp.urls.CLIENT first"
    return CLIENT


urlpatterns = [
    path("cinetpay/notify", notification_view(current_client, CONFIRMED.append)),
]
