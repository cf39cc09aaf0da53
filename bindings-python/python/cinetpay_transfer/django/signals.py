"""``transfer_confirmed``: a payout is final and the service confirmed the notification about it.

Sent by the app's notify view (``cinetpay_transfer.django.urls``) with ``transfer`` (the
``TransferInfo`` the service reports: check ``transfer.treatment_status``, VAL paid, REJ rejected)
and ``notification`` (what CinetPay posted). The same notification may come more than once: make
receivers idempotent. A receiver that raises makes the view answer 500, and CinetPay posts again.
"""

from __future__ import annotations

from django.dispatch import Signal

transfer_confirmed = Signal()
