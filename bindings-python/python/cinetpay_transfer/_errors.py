"""The exception hierarchy: one base class, one subclass per error kind of the core.

A kind says what the caller can do (fix credentials, fix a field, top up the balance, add the
contact, look the payout up before retrying...). Every exception also keeps CinetPay's raw
``code``, ``api_message`` and ``description`` and the HTTP status, for logs and support tickets
(``message``, the earlier name of ``api_message``, still works and warns: ADR 6).
The native module builds them through :func:`_from_native`; the same objects appear unraised as
``SendResult.error`` / ``ContactResult.error`` for per-item failures. None of them ever holds a
credential or a token.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (issue 13, import time)
if TYPE_CHECKING:
    from typing import Dict, Optional, Sequence, Tuple, Type


class CinetPayError(Exception):
    """Base class of every error of this SDK.

    ``str(err)`` is a human explanation; ``kind`` the core's stable snake_case name.
    """

    kind: str = "unknown"

    def __init__(
        self,
        detail: str,
        *,
        kind: Optional[str] = None,
        code: Optional[int] = None,
        api_message: Optional[str] = None,
        description: Optional[str] = None,
        http_status: Optional[int] = None,
        field: Optional[str] = None,
        index: Optional[int] = None,
        client_transaction_ids: Sequence[str] = (),
        is_retryable: bool = False,
        message: Optional[str] = None,
    ) -> None:
        super().__init__(detail)
        if message is not None:
            _deprecated_message()
            api_message = api_message if api_message is not None else message
        if kind is not None:
            self.kind = kind
        self.detail: str = detail
        #: CinetPay's response code (602, 724, ...), when the service answered with one.
        self.code: Optional[int] = code
        #: CinetPay's ``message`` (``"INSUFFICIENT_BALANCE"``, ...): the core's ``api_message``.
        self.api_message: Optional[str] = api_message
        #: CinetPay's ``description``, in the client's language.
        self.description: Optional[str] = description
        #: HTTP status of the answer, when there was one.
        self.http_status: Optional[int] = http_status
        #: The input field at fault (validation), or that disagrees (notification mismatch).
        self.field: Optional[str] = field
        #: The position of the item at fault in a list argument.
        self.index: Optional[int] = index
        #: Payouts to look up before any new attempt (outcome unknown).
        self.client_transaction_ids: Tuple[str, ...] = tuple(client_transaction_ids)
        #: Whether the same request may succeed later (transport failure, 5xx, 429): the core's rule.
        self.is_retryable: bool = is_retryable

    def _fields(self) -> Dict[str, object]:
        return {
            "kind": self.kind,
            "code": self.code,
            "api_message": self.api_message,
            "description": self.description,
            "http_status": self.http_status,
            "field": self.field,
            "index": self.index,
            "client_transaction_ids": self.client_transaction_ids,
            "is_retryable": self.is_retryable,
        }

    @property
    def message(self) -> Optional[str]:
        """Deprecated: the earlier name of :attr:`api_message` (ADR 6), kept for one release."""
        _deprecated_message()
        return self.api_message

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild, (type(self), self.detail, self._fields()))

    def __repr__(self) -> str:
        extra = "".join(
            f", {k}={v!r}"
            for k, v in self._fields().items()
            if k != "kind" and v not in (None, ()) and v is not False
        )
        return f"{type(self).__name__}({self.detail!r}{extra})"


def _deprecated_message() -> None:
    import warnings

    warnings.warn(
        "CinetPayError.message is deprecated: use api_message (CinetPay's own message)",
        DeprecationWarning,
        stacklevel=3,
    )


def _rebuild(cls: Type[CinetPayError], detail: str, fields: Dict[str, object]) -> CinetPayError:
    return cls(detail, **fields)  # type: ignore[arg-type]


class AuthenticationError(CinetPayError):
    """API key, password or token refused (701, 703; 705-707 when a fresh login did not help)."""

    kind = "authentication"


class ValidationError(CinetPayError, ValueError):
    """Input refused, by the SDK before sending or by the service; ``field`` and ``index`` say where."""

    kind = "validation"


class InsufficientBalanceError(CinetPayError):
    """The transfer balance is too low (602); nothing was sent."""

    kind = "insufficient_balance"


class NotFoundError(CinetPayError):
    """No such transfer, lot or id (723)."""

    kind = "not_found"


class NotAContactError(CinetPayError):
    """The number is not a contact of the merchant (724): add it first, or use ``pay``."""

    kind = "not_a_contact"


class DuplicateTransactionError(CinetPayError):
    """The ``client_transaction_id`` was used before (805)."""

    kind = "duplicate_transaction"


class OperatorUnavailableError(CinetPayError):
    """The operator or payment method is not supported (721, 804)."""

    kind = "operator_unavailable"


class ServiceError(CinetPayError):
    """The service failed or refused for its own reasons (5xx, 429, -1, 702, 708-715, unknown codes)."""

    kind = "service"


class TransportError(CinetPayError):
    """The request could not be delivered (connection refused, DNS, timeout of a read)."""

    kind = "transport"


class OutcomeUnknownError(CinetPayError):
    """A payout may or may not have been made: look ``client_transaction_ids`` up before retrying."""

    kind = "outcome_unknown"


class ProtocolError(CinetPayError):
    """The service answered something the SDK cannot read."""

    kind = "protocol"


class NotificationMismatchError(CinetPayError):
    """A notification disagrees with what the service says about the transfer: do not trust it."""

    kind = "notification_mismatch"


_BY_KIND: Dict[str, Type[CinetPayError]] = {
    cls.kind: cls
    for cls in (
        AuthenticationError,
        ValidationError,
        InsufficientBalanceError,
        NotFoundError,
        NotAContactError,
        DuplicateTransactionError,
        OperatorUnavailableError,
        ServiceError,
        TransportError,
        OutcomeUnknownError,
        ProtocolError,
        NotificationMismatchError,
    )
}


def _from_native(detail: str, *, kind: str, **fields: object) -> CinetPayError:
    """Called by the native module; a kind without a subclass yet gives the base class."""
    cls = _BY_KIND.get(kind, CinetPayError)
    return cls(detail, kind=kind, **fields)  # type: ignore[arg-type]
