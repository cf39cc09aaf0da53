"""A ready Django view for the notify URL of your payouts.

CinetPay posts a form to each payout's ``notify_url`` when it is final, and sometimes pings the URL
with a bare GET. Transfer notifications carry no signature, so the view never trusts the body: it
re-queries the transfer (``confirm_notification``) and calls your handler with the service's
answer only.

    # urls.py
    from cinetpay_transfer import Client, TransferInfo
    from cinetpay_transfer.django import notification_view

    client = Client(api_key=settings.CINETPAY_API_KEY, password=settings.CINETPAY_API_PASSWORD)

    def payout_done(info: TransferInfo) -> None:
        Payout.objects.filter(reference=info.client_transaction_id).update(status=info.treatment_status.value)

    urlpatterns = [path("cinetpay/notify", notification_view(client, payout_done))]

Answers: 200 for a ping and for a confirmed notification (after your handler returned); 400 for
a body that does not parse, a transfer the service does not know, or claims that disagree with
the service (the handler is not called); 503 when the service could not be asked (network,
service error), so that CinetPay tries again later. An exception raised by your handler is not
caught (Django answers 500 and CinetPay tries again): make the handler idempotent, as the same
notification may come more than once.
"""

from __future__ import annotations

import logging
from typing import Callable, Union

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ._errors import CinetPayError, NotFoundError, NotificationMismatchError, ValidationError
from ._models import Notification, TransferInfo
from ._native import Client, parse_notification

__all__ = ["notification_view"]

logger = logging.getLogger("cinetpay_transfer.django")

ClientOrFactory = Union[Client, Callable[[], Client]]
Handler = Callable[[TransferInfo], object]

#: Errors that say "this notification is not genuine or not readable": retrying cannot help.
_REFUSED = (ValidationError, NotFoundError, NotificationMismatchError)


def notification_view(client: ClientOrFactory, on_confirmed: Handler) -> Callable[[HttpRequest], HttpResponse]:
    """A CSRF-exempt view for the notify URL.

    ``client`` is a ``Client`` or a callable returning one (called per request, e.g. to read
    settings lazily). ``on_confirmed`` receives the ``TransferInfo`` the service reports; check
    ``info.treatment_status`` (VAL paid, REJ rejected).
    """

    def get_client() -> Client:
        return client if isinstance(client, Client) else client()

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse(status=405)
        try:
            event = parse_notification(request.POST if request.method == "POST" else None, method=request.method)
        except ValidationError as e:
            logger.warning("unreadable CinetPay notification: %s", e)
            return HttpResponse("invalid notification", status=400, content_type="text/plain")
        if not isinstance(event, Notification):
            return HttpResponse("OK", content_type="text/plain")
        try:
            info = get_client().confirm_notification(event)
        except _REFUSED as e:
            logger.warning("CinetPay notification for %s refused: %s", event.transaction_id, e)
            return HttpResponse("notification refused", status=400, content_type="text/plain")
        except CinetPayError as e:
            logger.warning("CinetPay notification for %s not confirmed yet: %s", event.transaction_id, e)
            return HttpResponse("try again later", status=503, content_type="text/plain")
        on_confirmed(info)
        return HttpResponse("OK", content_type="text/plain")

    return view
