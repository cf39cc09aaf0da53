"""CinetPay Transfer API client: mobile-money payouts from Python.

A thin layer over the project's Rust core (logins and token renewal, input checks, every quirk of
the live service, payouts never sent twice). ``Client`` blocks (the GIL released, Ctrl-C
honoured, safe to share between threads and across ``os.fork``); ``AsyncClient`` has the same
methods as coroutines. See ``cinetpay_transfer.django`` for the notify-URL view and
``cinetpay_transfer.testing`` for a local sandbox of the API.
"""

from __future__ import annotations

from ._errors import (
    AuthenticationError,
    CinetPayError,
    DuplicateTransactionError,
    InsufficientBalanceError,
    NotAContactError,
    NotFoundError,
    NotificationMismatchError,
    OperatorUnavailableError,
    OutcomeUnknownError,
    ProtocolError,
    ServiceError,
    TransportError,
    ValidationError,
)

# Import time (issue 13): the records and enums (dataclasses, enum) are loaded on first use, by
# PEP 562 ``__getattr__`` below, so that ``import cinetpay_transfer`` stays cheap; the native
# module loads them itself when it first builds a result. ``from cinetpay_transfer import
# Transfer`` works as before. Type checkers read the plain imports under TYPE_CHECKING.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._models import (
        PING,
        Balance,
        Contact,
        ContactResult,
        CountryBalance,
        CountryRule,
        IssuedToken,
        Limits,
        LookupStatus,
        Notification,
        NotificationReply,
        PayoutLookup,
        Ping,
        SendingStatus,
        SendOutcome,
        SendResult,
        Transfer,
        TransferInfo,
        TreatmentStatus,
    )

from ._native import NOTIFICATION_BODY_LIMIT, USER_AGENT, AsyncClient, Client, __version__, parse_notification

__all__ = [
    "AsyncClient",
    "AuthenticationError",
    "Balance",
    "CinetPayError",
    "Client",
    "Contact",
    "ContactResult",
    "CountryBalance",
    "CountryRule",
    "DuplicateTransactionError",
    "InsufficientBalanceError",
    "IssuedToken",
    "Limits",
    "LookupStatus",
    "NotAContactError",
    "NotFoundError",
    "Notification",
    "NotificationMismatchError",
    "NotificationReply",
    "NOTIFICATION_BODY_LIMIT",
    "OperatorUnavailableError",
    "OutcomeUnknownError",
    "PING",
    "PayoutLookup",
    "Ping",
    "ProtocolError",
    "SendOutcome",
    "SendResult",
    "SendingStatus",
    "ServiceError",
    "Transfer",
    "TransferInfo",
    "TransportError",
    "TreatmentStatus",
    "USER_AGENT",
    "ValidationError",
    "__version__",
    "parse_notification",
]

_LAZY = frozenset(
    (
        "PING",
        "Balance",
        "Contact",
        "ContactResult",
        "CountryBalance",
        "CountryRule",
        "IssuedToken",
        "Limits",
        "LookupStatus",
        "Notification",
        "NotificationReply",
        "PayoutLookup",
        "Ping",
        "SendingStatus",
        "SendOutcome",
        "SendResult",
        "Transfer",
        "TransferInfo",
        "TreatmentStatus",
    )
)

if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name in _LAZY:
            from . import _models

            value = getattr(_models, name)
            globals()[name] = value  # later lookups skip __getattr__
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list:
        return sorted(set(globals()) | _LAZY)
