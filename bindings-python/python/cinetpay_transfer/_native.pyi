# Types of the native module (Rust, pyo3). Records, enums and exceptions are plain Python in
# _models.py and _errors.py; everything here returns those.
from typing import Any, Awaitable, Dict, Iterable, List, Mapping, Optional, Union

from ._models import (
    Balance,
    Contact,
    ContactResult,
    IssuedToken,
    Limits,
    Notification,
    NotificationReply,
    PayoutLookup,
    Ping,
    SendResult,
    Transfer,
    TransferInfo,
)

__version__: str
USER_AGENT: str
ERROR_KINDS: tuple[str, ...]
NOTIFICATION_BODY_LIMIT: int

ContactLike = Union[Contact, Mapping[str, Any]]
TransferLike = Union[Transfer, Mapping[str, Any]]
NotificationData = Union[bytes, bytearray, str, Mapping[str, Any], None]

class Client:
    """A blocking client; calls release the GIL, honour Ctrl-C, and may be shared by threads."""

    def __init__(
        self,
        api_key: str,
        password: str,
        *,
        base_url: Optional[str] = None,
        lang: str = "en",
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        initial_backoff: Optional[float] = None,
        max_backoff: Optional[float] = None,
        chunk_size: Optional[int] = None,
        max_concurrency: Optional[int] = None,
        processing_window: Optional[float] = None,
        token_store: Optional[str] = None,
        limits: Optional[Union[Limits, Mapping[str, Any]]] = None,
    ) -> None: ...
    @property
    def base_url(self) -> str: ...
    def balance(self) -> Balance: ...
    def issue_token(self, *, previous: Optional[str] = None) -> IssuedToken: ...
    def add_contacts(self, contacts: Iterable[ContactLike]) -> List[ContactResult]: ...
    def send(self, transfers: Iterable[TransferLike]) -> List[SendResult]: ...
    def pay(self, transfers: Iterable[TransferLike]) -> List[SendResult]: ...
    def transfer_status(
        self,
        *,
        transaction_id: Optional[str] = None,
        client_transaction_id: Optional[str] = None,
        lot: Optional[str] = None,
    ) -> List[TransferInfo]: ...
    def look_up(self, transfer: TransferLike) -> PayoutLookup: ...
    def confirm_notification(self, notification: Notification) -> TransferInfo: ...
    def reply_to_notification(self, method: str, data: NotificationData = None) -> NotificationReply: ...

class AsyncClient:
    """The asyncio client: the methods of Client as coroutines, on the same runtime."""

    def __init__(
        self,
        api_key: str,
        password: str,
        *,
        base_url: Optional[str] = None,
        lang: str = "en",
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        initial_backoff: Optional[float] = None,
        max_backoff: Optional[float] = None,
        chunk_size: Optional[int] = None,
        max_concurrency: Optional[int] = None,
        processing_window: Optional[float] = None,
        token_store: Optional[str] = None,
        limits: Optional[Union[Limits, Mapping[str, Any]]] = None,
    ) -> None: ...
    @property
    def base_url(self) -> str: ...
    def balance(self) -> Awaitable[Balance]: ...
    def issue_token(self, *, previous: Optional[str] = None) -> Awaitable[IssuedToken]: ...
    def add_contacts(self, contacts: Iterable[ContactLike]) -> Awaitable[List[ContactResult]]: ...
    def send(self, transfers: Iterable[TransferLike]) -> Awaitable[List[SendResult]]: ...
    def pay(self, transfers: Iterable[TransferLike]) -> Awaitable[List[SendResult]]: ...
    def transfer_status(
        self,
        *,
        transaction_id: Optional[str] = None,
        client_transaction_id: Optional[str] = None,
        lot: Optional[str] = None,
    ) -> Awaitable[List[TransferInfo]]: ...
    def look_up(self, transfer: TransferLike) -> Awaitable[PayoutLookup]: ...
    def confirm_notification(self, notification: Notification) -> Awaitable[TransferInfo]: ...
    def reply_to_notification(
        self, method: str, data: NotificationData = None
    ) -> Awaitable[NotificationReply]: ...

def is_final_status(status: str) -> bool: ...
def parse_notification(
    data: NotificationData = None, method: str = "POST"
) -> Union[Notification, Ping]: ...
