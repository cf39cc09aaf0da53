"""The Django app: add ``"cinetpay_transfer.django"`` to ``INSTALLED_APPS``."""

from __future__ import annotations

from django.apps import AppConfig


class CinetPayConfig(AppConfig):
    name = "cinetpay_transfer.django"
    label = "cinetpay_transfer"
    verbose_name = "CinetPay Transfer"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the settings check)
