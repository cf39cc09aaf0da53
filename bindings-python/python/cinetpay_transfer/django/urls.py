"""``include("cinetpay_transfer.django.urls")``: the notify URL (``<prefix>notify``), named
``cinetpay_transfer:notify``. Use ``reverse("cinetpay_transfer:notify")`` in your payouts'
``notify_url`` (made absolute with your public host)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "cinetpay_transfer"

urlpatterns = [path("notify", views.notify, name="notify")]
