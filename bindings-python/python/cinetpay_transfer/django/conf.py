"""The ``CINETPAY`` setting, read when first needed (never at import), and the clients built from it.

    CINETPAY = {
        "API_KEY": "...",            # required
        "API_PASSWORD": "...",       # required
        "BASE_URL": "...",           # optional: the sandbox, in tests
        "TOKEN_STORE": "redis://...",  # optional: one login shared by every process
        "OPTIONS": {...},            # optional: other Client keyword options (lang, timeouts...)
    }

The clients are built once per process and rebuilt when the setting changes (``override_settings``
in tests). Problems are named without ever showing a value (the password stays out of logs).
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Mapping, Optional, Union, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from .._native import AsyncClient, Client

SETTING = "CINETPAY"
REQUIRED = ("API_KEY", "API_PASSWORD")
KNOWN = REQUIRED + ("BASE_URL", "TOKEN_STORE", "OPTIONS")

_lock = threading.Lock()
_clients: Dict[str, Union[Client, AsyncClient]] = {}


def problems() -> List[str]:
    """What is wrong with the setting, one sentence each (empty when it is usable)."""
    value = getattr(settings, SETTING, None)
    if value is None:
        return [f"settings.{SETTING} is missing"]
    if not isinstance(value, Mapping):
        return [f"settings.{SETTING} must be a dict, not {type(value).__name__}"]
    found = [f"settings.{SETTING}[{key!r}] is missing or empty" for key in REQUIRED if not value.get(key)]
    found += [f"settings.{SETTING}[{key!r}] is not a known key ({', '.join(KNOWN)})" for key in value if key not in KNOWN]
    if not isinstance(value.get("OPTIONS", {}), Mapping):
        found.append(f"settings.{SETTING}['OPTIONS'] must be a dict of Client keyword options")
    return found


def _arguments() -> Dict[str, Any]:
    found = problems()
    if found:
        raise ImproperlyConfigured("; ".join(found))
    value: Mapping[str, Any] = getattr(settings, SETTING)
    options: Dict[str, Any] = dict(value.get("OPTIONS", {}))
    if value.get("BASE_URL"):
        options["base_url"] = value["BASE_URL"]
    if value.get("TOKEN_STORE"):
        options["token_store"] = value["TOKEN_STORE"]
    return {"api_key": value["API_KEY"], "password": value["API_PASSWORD"], **options}


def _get(kind: str) -> Union[Client, AsyncClient]:
    with _lock:
        if kind not in _clients:
            _clients[kind] = (Client if kind == "sync" else AsyncClient)(**_arguments())
        return _clients[kind]


def get_client() -> Client:
    """The blocking ``Client`` of the ``CINETPAY`` setting (``ImproperlyConfigured`` if unusable)."""
    return cast(Client, _get("sync"))


def get_async_client() -> AsyncClient:
    """The ``AsyncClient`` of the ``CINETPAY`` setting (``ImproperlyConfigured`` if unusable)."""
    return cast(AsyncClient, _get("async"))


@receiver(setting_changed)
def _forget_clients(setting: Optional[str] = None, **kwargs: Any) -> None:
    if setting == SETTING:
        with _lock:
            _clients.clear()
