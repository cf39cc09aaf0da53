"""The views: the notify URL (ready, or wired by hand) and tokens for the merchant's mobile apps.

**Notify URL.** CinetPay posts a form to each payout's ``notify_url`` when it is final, and
sometimes pings the URL with a bare GET. Transfer notifications carry no signature, so the views
never trust the body: the core re-queries the transfer, and only the service's answer reaches
your code. Which status answers what is the core's rule (``Client.reply_to_notification``, the
same in every language): 200 for a ping and for a final transfer that agrees with the notification
(after your handler returned); 400 for a body that does not parse or claims that disagree with the
service (the handler is not called); 413 for a body over 64 KiB (not read further); 503 while the
service does not show the transfer final yet or could not be asked, so that CinetPay tries again
later. An exception raised by your handler is not caught (Django answers 500 and CinetPay tries
again): make the handler idempotent, as the same notification may come more than once. The body
is read raw, at most 64 KiB and one byte.

- ``notify``: the app's async view (``include("cinetpay_transfer.django.urls")``), on the
  ``AsyncClient`` of the ``CINETPAY`` setting; it sends ``transfer_confirmed``.
- ``notification_view(client, handler)``: the same rule, wired by hand, on a blocking ``Client``::

      urlpatterns = [path("cinetpay/notify", notification_view(client, payout_done))]

**Tokens.** ``token_view(client, authorize=...)`` hands the client's API token to a caller your
``authorize(request)`` accepts (your app's user, logged in to your backend), so that the app never
holds the API password. The same contract as the Node ``tokenHandler``:

- accepted: 200 ``{"token", "expires_at" (ISO 8601, UTC), "expires_in" (seconds)}``;
- refused: 403 ``{"error": "forbidden"}``, no token (an exception of ``authorize`` is Django's 500);
- no token could be had: 503 ``{"error": "token_unavailable", "kind"}``: the app asks later.

An app asking again sends the token it had in ``X-Previous-Token``: if it is still the current
one, the service is asked whether it still takes it, so a revoked token is replaced rather than
handed out again. Every answer carries ``Cache-Control: no-store``; the token is never logged nor
put in an error.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional, Union

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .._errors import CinetPayError
from .._models import NotificationReply, TransferInfo
from .._native import NOTIFICATION_BODY_LIMIT, Client
from .conf import get_async_client, get_client
from .signals import transfer_confirmed

__all__ = ["notification_view", "notify", "token_view"]

logger = logging.getLogger("cinetpay_transfer.django")

ClientOrFactory = Union[Client, Callable[[], Client]]
Handler = Callable[[TransferInfo], object]


def _body(request: HttpRequest) -> bytes:
    return request.read(NOTIFICATION_BODY_LIMIT + 1) if request.method == "POST" else b""


def _answer(reply: NotificationReply) -> HttpResponse:
    if reply.status != 200:
        logger.warning("CinetPay notification answered %d: %s", reply.status, reply.reason)
    return HttpResponse(reply.body, status=reply.status, content_type="text/plain")


def notification_view(client: ClientOrFactory, on_confirmed: Handler) -> Callable[[HttpRequest], HttpResponse]:
    """A CSRF-exempt view for the notify URL.

    ``client`` is a ``Client`` or a callable returning one (called per request, e.g. to read
    settings lazily). ``on_confirmed`` receives the ``TransferInfo`` the service reports, always
    final; check ``info.treatment_status`` (VAL paid, REJ rejected).
    """

    def current() -> Client:
        return client if isinstance(client, Client) else client()

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse(status=405)
        reply = current().reply_to_notification(request.method, _body(request))
        if reply.transfer is not None:
            on_confirmed(reply.transfer)
        return _answer(reply)

    return view


async def notify(request: HttpRequest) -> HttpResponse:
    """The app's notify view: the ``CINETPAY`` setting's ``AsyncClient``, ``transfer_confirmed``."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    method = request.method
    reply = await get_async_client().reply_to_notification(method, _body(request))
    if reply.transfer is not None:
        await _send_confirmed(reply)
    return _answer(reply)


notify.csrf_exempt = True  # type: ignore[attr-defined]  # CinetPay sends no CSRF token; csrf_exempt() wraps async views only from Django 5


async def _send_confirmed(reply: NotificationReply) -> None:
    kwargs = {"transfer": reply.transfer, "notification": reply.notification}
    asend: Optional[Callable[..., Awaitable[Any]]] = getattr(transfer_confirmed, "asend", None)
    if asend is not None:  # Django 5: sync receivers run in a thread, async ones awaited
        await asend(sender=notify, **kwargs)
    else:
        from asgiref.sync import sync_to_async

        await sync_to_async(transfer_confirmed.send)(sender=notify, **kwargs)


def token_view(
    client: Optional[ClientOrFactory] = None, *, authorize: Callable[[HttpRequest], object]
) -> Callable[[HttpRequest], HttpResponse]:
    """A GET view handing the client's token to callers ``authorize(request)`` accepts.

    ``client`` is a ``Client``, a callable returning one, or None for the ``CINETPAY`` setting's.
    ``authorize`` is your check of the caller (e.g. ``lambda r: r.user.is_authenticated``); a
    falsy answer is 403.
    """

    def current() -> Client:
        if client is None:
            return get_client()
        return client if isinstance(client, Client) else client()

    def answer(status: int, body: dict) -> JsonResponse:
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        return response

    def view(request: HttpRequest) -> HttpResponse:
        if request.method != "GET":
            return answer(405, {"error": "method_not_allowed"})
        if not authorize(request):
            return answer(403, {"error": "forbidden"})
        previous = request.headers.get("X-Previous-Token") or None
        try:
            issued = current().issue_token(previous=previous)
        except CinetPayError as e:
            logger.warning("no CinetPay token to hand out (%s)", e.kind)
            return answer(503, {"error": "token_unavailable", "kind": e.kind})
        return answer(
            200,
            {
                "token": issued.token,
                "expires_at": issued.expires_at.isoformat().replace("+00:00", "Z"),
                "expires_in": issued.expires_in,
            },
        )

    return view
