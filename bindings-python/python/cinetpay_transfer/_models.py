"""The records and enums of the SDK: what callers pass in and get back.

Plain frozen dataclasses, so they are immutable, typed (mypy and pyright read this file), print
usefully, and compare by value. The native module builds the results; inputs (``Contact``,
``Transfer``) may also be given as plain dicts with the same keys. Amounts are ``int`` numbers of
XOF: the franc CFA has no minor units and money is never a float in this SDK.

Statuses the SDK does not know yet are kept, never errors: ``TreatmentStatus("HOLD")`` is a
member named ``UNKNOWN`` whose ``value`` is ``"HOLD"``.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

if TYPE_CHECKING:
    from ._errors import CinetPayError


class _OpenStrEnum(str, enum.Enum):
    """A str enum that keeps unknown values as pseudo-members named ``UNKNOWN``."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """False for a value this version of the SDK does not know."""
        return self._name_ != "UNKNOWN"

    def __str__(self) -> str:
        return str(self.value)


class TreatmentStatus(_OpenStrEnum):
    """Where a transfer is in CinetPay's processing."""

    NEW = "NEW"  #: waiting to be processed
    REC = "REC"  #: being processed
    NOS = "NOS"  #: pending (merchant confirmation by e-mail, or the operator)
    VAL = "VAL"  #: paid (final)
    REJ = "REJ"  #: rejected, money back on the balance (final)

    @property
    def is_final(self) -> bool:
        """True for VAL and REJ: nothing will change any more (the core decides)."""
        from ._native import is_final_status

        return is_final_status(str(self.value))


class SendingStatus(_OpenStrEnum):
    """Whether the merchant's confirmation of a transfer is in."""

    CONFIRM = "CONFIRM"  #: confirmed, on its way
    PENDING = "PENDING"  #: waiting for the merchant's e-mail confirmation


class SendOutcome(str, enum.Enum):
    """Whether the service took a payout."""

    ACCEPTED = "accepted"  #: recorded by the service; follow it with transfer_status
    FAILED = "failed"  #: not made, no money left; ``error`` says why
    UNKNOWN = "unknown"  #: could not be told: look it up before sending again

    def __str__(self) -> str:
        return str(self.value)


class LookupStatus(str, enum.Enum):
    """What the service shows under a payout's ``client_transaction_id`` (``Client.look_up``)."""

    FOUND = "found"  #: this payout (same number and amount) is held under the id
    CONFLICT = "conflict"  #: another payout is held under the id: the id is taken
    NOT_FOUND = "not_found"  #: nothing shown now (right after a send that may have been processed: no proof)

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Contact:
    """A payee to register before money can be sent to them."""

    prefix: str  #: country calling code without "+" ("225"); "" when phone is "+225..."
    phone: str  #: national number, or a full "+2250701020304" with an empty prefix
    name: str
    surname: str
    email: str = ""


@dataclass(frozen=True)
class Transfer:
    """One payout to send."""

    prefix: str
    phone: str
    amount: int  #: whole XOF
    notify_url: str  #: absolute http(s) URL that CinetPay notifies when the payout is final
    client_transaction_id: Optional[str] = None  #: idempotency key; generated when None
    payment_method: Optional[str] = None  #: operator code (OM, MOMO, WAVECI...); detected when None
    name: Optional[str] = None  #: used by ``pay`` when it registers the contact
    surname: Optional[str] = None
    email: Optional[str] = None


@dataclass(frozen=True)
class CountryRule:
    """The rules of one calling code (``Limits.countries``)."""

    iso: str  #: ISO 3166 code ("CI")
    national_digits: Tuple[int, int]  #: (min, max) digits of a national number
    min_amount: int  #: smallest payout, whole XOF


@dataclass(frozen=True)
class Limits:
    """Amount and phone rules checked before any request leaves (``Client(limits=...)``).

    A field left as ``None`` keeps the core's default; each entry of ``countries`` replaces or
    adds the rule of its calling code ("225"), the others keep theirs. The core checks the values
    when the client is built: a bad one is a ``ValidationError`` naming it
    (``limits.max_amount``).
    """

    countries: Dict[str, CountryRule] = field(default_factory=dict)
    default_min_amount: Optional[int] = None  #: minimum for a calling code with no rule
    max_amount: Optional[int] = None  #: largest payout
    amount_multiple: Optional[int] = None  #: amounts are a multiple of this (1: any amount)
    default_national_digits: Optional[Tuple[int, int]] = None  #: for a calling code with no rule


@dataclass(frozen=True)
class CountryBalance:
    """The balance of one country."""

    available: int
    amount: Optional[int] = None
    in_using: Optional[int] = None


@dataclass(frozen=True)
class Balance:
    """The transfer balance (separate from the collection balance), in XOF."""

    amount: int
    in_using: int
    available: int
    countries: Dict[str, CountryBalance] = field(default_factory=dict)  #: keyed by ISO code ("CI")


@dataclass(frozen=True)
class IssuedToken:
    """A token for a caller the merchant's backend has authenticated (a phone app), from
    ``Client.issue_token()``: the client's own token, from the shared ``token_store`` when there
    is one. ``expires_at`` (aware, UTC) is when the client renews it: ask again before then. The
    repr never shows the token."""

    token: str = field(repr=False)
    expires_at: datetime.datetime

    @property
    def expires_in(self) -> int:
        """Whole seconds left before ``expires_at`` (0 when past)."""
        left = self.expires_at - datetime.datetime.now(datetime.timezone.utc)
        return max(0, int(left.total_seconds()))


@dataclass(frozen=True)
class ContactResult:
    """What the service said about one contact of ``add_contacts``."""

    prefix: str
    phone: str
    added: bool  #: the contact exists now (added by this call, or before)
    already_existed: bool
    code: int
    lot: Optional[str] = None
    error: Optional[CinetPayError] = None  #: why it was refused, when not added


@dataclass(frozen=True)
class SendResult:
    """The result of one payout of ``send`` or ``pay``, in input order."""

    client_transaction_id: str
    prefix: str
    phone: str
    amount: int
    outcome: SendOutcome
    transaction_id: Optional[str] = None
    lot: Optional[str] = None
    treatment_status: Optional[TreatmentStatus] = None
    error: Optional[CinetPayError] = None  #: why it failed, or why its outcome is unknown


@dataclass(frozen=True)
class TransferInfo:
    """The state of one transfer, as the service reports it."""

    transaction_id: str
    amount: int
    treatment_status: TreatmentStatus
    client_transaction_id: Optional[str] = None
    lot: Optional[str] = None
    receiver: Optional[str] = None
    receiver_e164: Optional[str] = None
    operator: Optional[str] = None
    sending_status: Optional[SendingStatus] = None
    transfer_valid: Optional[bool] = None
    comment: Optional[str] = None
    validated_at: Optional[str] = None  #: "2018-06-27 12:53:26", as sent
    operator_transaction_id: Optional[str] = None


@dataclass(frozen=True)
class PayoutLookup:
    """What ``look_up`` found under a payout's id; ``transfer`` is set with FOUND and CONFLICT.

    NOT_FOUND right after a request that may have been processed is not proof that no money left:
    a payout being recorded may not be visible yet (the core's rule, ADR 2).
    """

    status: LookupStatus
    transfer: Optional[TransferInfo] = None


@dataclass(frozen=True)
class Notification:
    """A transfer notification as posted to the notify URL: unverified claims.

    Never act on it directly: ``client.confirm_notification(n)`` re-queries the transfer.
    """

    transaction_id: str
    client_transaction_id: Optional[str] = None
    lot: Optional[str] = None
    amount: Optional[int] = None
    receiver: Optional[str] = None
    sending_status: Optional[str] = None
    treatment_status: Optional[TreatmentStatus] = None
    comment: Optional[str] = None
    operator_transaction_id: Optional[str] = None
    operator: Optional[str] = None
    validated_at: Optional[str] = None


@dataclass(frozen=True)
class NotificationReply:
    """What to answer a request to the notify URL, decided by the core (the same rule in every
    language): ``status`` 200 (ping, or confirmed), 400 (unreadable, or disagrees with the
    service), 413 (body over 64 KiB), 503 (the service does not show the transfer final yet, or
    could not be asked: CinetPay posts it again later).

    ``transfer`` is set only with 200: the service's view of a final transfer that agrees with the
    notification. Handle it (idempotently) before answering; if that fails, answer 500.
    ``reason`` is for your logs, ``body`` for the answer.
    """

    status: int
    body: str
    reason: str
    notification: Optional[Notification] = None
    transfer: Optional[TransferInfo] = None


@dataclass(frozen=True)
class Ping:
    """A bare request to the notify URL with no data: answer 200, nothing to do."""


#: The one ``Ping`` value returned by ``parse_notification``.
PING = Ping()
