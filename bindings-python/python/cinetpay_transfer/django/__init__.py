"""Django integration: a settings-configured app, the notify URL, and tokens for your apps.

As an app (settings read lazily, checked by ``manage.py check``)::

    # settings.py
    INSTALLED_APPS = [..., "cinetpay_transfer.django"]
    CINETPAY = {
        "API_KEY": os.environ["CINETPAY_API_KEY"],
        "API_PASSWORD": os.environ["CINETPAY_API_PASSWORD"],
        "TOKEN_STORE": "redis://127.0.0.1:6379/2",  # optional: one login shared by every process
    }

    # urls.py
    urlpatterns = [path("cinetpay/", include("cinetpay_transfer.django.urls"))]  # .../cinetpay/notify

    # anywhere (e.g. apps.py ready())
    from cinetpay_transfer.django import transfer_confirmed

    @receiver(transfer_confirmed)
    def payout_done(sender, transfer, **kwargs):
        Payout.objects.filter(reference=transfer.client_transaction_id).update(status=transfer.treatment_status.value)

``get_client()`` / ``get_async_client()`` give the clients built from those settings. Without the
app, ``notification_view(client, handler)`` wires the notify URL by hand, and
``token_view(client, authorize=...)`` hands short-lived tokens to your mobile apps.
"""

from __future__ import annotations

from .conf import get_async_client, get_client
from .signals import transfer_confirmed
from .views import notification_view, token_view

__all__ = ["get_async_client", "get_client", "notification_view", "token_view", "transfer_confirmed"]
