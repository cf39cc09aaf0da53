"""A ready Django view for the notify URL of your payouts.

CinetPay posts a form to each payout's ``notify_url`` when it is final, and sometimes pings the URL
with a bare GET. Transfer notifications carry no signature, so the view never trusts the body: the
core re-queries the transfer and the view calls your handler with the service's answer only.

    # urls.py
    from cinetpay_transfer import Client, TransferInfo
    from cinetpay_transfer.django import notification_view

    client = Client(api_key=settings.CINETPAY_API_KEY, password=settings.CINETPAY_API_PASSWORD)

    def payout_done(info: TransferInfo) -> None:
        Payout.objects.filter(reference=info.client_transaction_id).update(status=info.treatment_status.value)

    urlpatterns = [path("cinetpay/notify", notification_view(client, payout_done))]

Which status answers what is the core's rule (``Client.reply_to_notification``, the same in every
language), not this view's: 200 for a ping and for a final transfer that agrees with the
notification (after your handler returned); 400 for a body that does not parse or claims that
disagree with the service (the handler is not called); 413 for a body over 64 KiB (not read
further); 503 while the service does not show the transfer final yet (the notification outran
the lookup) or could not be asked, so that CinetPay tries again later. An exception raised by
your handler is not caught (Django answers 500 and CinetPay tries again): make the handler
idempotent, as the same notification may come more than once.

The body is read raw, at most 64 KiB and one byte, as CinetPay sends it
(``application/x-www-form-urlencoded``).
"""

from __future__ import annotations

import logging
from typing import Callable, Union

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ._models import TransferInfo
from ._native import NOTIFICATION_BODY_LIMIT, Client

__all__ = ["notification_view"]

logger = logging.getLogger("cinetpay_transfer.django")

ClientOrFactory = Union[Client, Callable[[], Client]]
Handler = Callable[[TransferInfo], object]


def notification_view(client: ClientOrFactory, on_confirmed: Handler) -> Callable[[HttpRequest], HttpResponse]:
    """A CSRF-exempt view for the notify URL.

    ``client`` is a ``Client`` or a callable returning one (called per request, e.g. to read
    settings lazily). ``on_confirmed`` receives the ``TransferInfo`` the service reports, always
    final; check ``info.treatment_status`` (VAL paid, REJ rejected).
    """

    def get_client() -> Client:
        return client if isinstance(client, Client) else client()

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse(status=405)
        body = request.read(NOTIFICATION_BODY_LIMIT + 1) if request.method == "POST" else b""
        reply = get_client().reply_to_notification(request.method, body)
        if reply.status != 200:
            logger.warning("CinetPay notification answered %d: %s", reply.status, reply.reason)
        if reply.transfer is not None:
            on_confirmed(reply.transfer)
        return HttpResponse(reply.body, status=reply.status, content_type="text/plain")

    return view
