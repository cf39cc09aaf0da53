"""The notify URL in Django, end to end in one file: a sandbox pays, its real notification is
posted to the view, the view confirms it by re-query and calls the handler.

    pip install django
    python examples/python/django_notify.py

In a real project only the `urlpatterns` line and the handler are yours (see cinetpay_transfer.django).
"""

from __future__ import annotations

from urllib.parse import urlencode

import django
from django.conf import settings

settings.configure(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], SECRET_KEY="example", DEBUG=True)
django.setup()

from django.test import Client as Browser  # noqa: E402
from django.urls import path  # noqa: E402

from cinetpay_transfer import Transfer, TransferInfo  # noqa: E402
from cinetpay_transfer.django import notification_view  # noqa: E402
from cinetpay_transfer.testing import Sandbox  # noqa: E402
from live import say, xof  # noqa: E402  (the locale's language: examples/python/live.py)

sandbox = Sandbox()
client = sandbox.client()


def payout_done(info: TransferInfo) -> None:
    # Called only with what CinetPay itself reports; make it idempotent (notifications repeat).
    print(say(f"handler: {info.client_transaction_id} is {info.treatment_status} ({xof(info.amount)})",
              f"traitement : {info.client_transaction_id} est {info.treatment_status} ({xof(info.amount)})"))


urlpatterns = [path("cinetpay/notify", notification_view(client, payout_done))]

if __name__ == "__main__":
    client.pay([Transfer("225", "0701020304", 5_000, "http://127.0.0.1:9/cinetpay/notify", "order-42")])
    sandbox.advance_clock(20)
    [delivery] = sandbox.notifications(wait_for=1)
    browser = Browser()
    genuine = browser.post("/cinetpay/notify", urlencode(delivery["fields"]), "application/x-www-form-urlencoded")
    print(say("genuine notification ->", "notification authentique ->"), genuine.status_code)
    forged = {**delivery["fields"], "amount": "1000000"}
    refused = browser.post("/cinetpay/notify", urlencode(forged), "application/x-www-form-urlencoded")
    print(say("forged notification  ->", "notification falsifiée  ->"), refused.status_code)
    sandbox.close()
