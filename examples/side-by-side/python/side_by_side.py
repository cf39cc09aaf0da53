"""The side-by-side program in Python (see ../README.md): the balance, two payouts, their final
statuses, then their notifications read and confirmed the way a notify URL handler does.
It talks only to a local sandbox named in the environment, never to the real API:

    cargo run -q -p cinetpay-sandbox -- --clock real --addr 127.0.0.1:8089 &
    CINETPAY_SANDBOX_URL=http://127.0.0.1:8089/v1 python examples/side-by-side/python/side_by_side.py
"""

import json
import os
import sys
import time
import urllib.request

from cinetpay_transfer import PING, Client, Transfer, parse_notification

LOCAL = ("http://127.0.0.1:", "http://localhost:", "http://[::1]:")
NOTIFY_URL = "https://shop.example/cinetpay/notify"
PAYOUTS = [("+2250701020304", 5_000), ("+2250701020000", 3_000)]  # ...000: rejected
POLLS = 150  # 0.2 s apart: give up after 30 s

base_url = os.environ.get("CINETPAY_SANDBOX_URL", "")
if not base_url.startswith(LOCAL):
    print("set CINETPAY_SANDBOX_URL to a local sandbox (http://127.0.0.1:PORT/v1); nothing was sent", file=sys.stderr)
    sys.exit(2)
api_key = os.environ.get("CINETPAY_SANDBOX_API_KEY", "sandbox-api-key")
password = os.environ.get("CINETPAY_SANDBOX_PASSWORD", "sandbox-password")
client = Client(api_key=api_key, password=password, base_url=base_url)

print(f"available: {client.balance().available} XOF")

run = int(time.time() * 1000)  # the ids are the idempotency keys
ids = [f"side-by-side-{run}-{n}" for n in range(1, len(PAYOUTS) + 1)]
transfers = [
    Transfer(prefix="", phone=phone, amount=amount, notify_url=NOTIFY_URL, client_transaction_id=id_)
    for (phone, amount), id_ in zip(PAYOUTS, ids)
]
for n, result in enumerate(client.pay(transfers), 1):
    print(f"payout {n}: {result.outcome}")

for n, id_ in enumerate(ids, 1):
    for _ in range(POLLS):
        status = client.transfer_status(client_transaction_id=id_)[0].treatment_status
        if status.is_final:
            break
        time.sleep(0.2)
    else:
        sys.exit(f"payout {n} is still not final after 30 s")
    print(f"payout {n}: {status}")

# What the sandbox posted to notify_url: the form fields a web framework hands a handler.
posted = base_url.removesuffix("/v1") + "/_sandbox/notifications"
for n, id_ in enumerate(ids, 1):
    for _ in range(POLLS):
        posts = [d["fields"] for d in json.load(urllib.request.urlopen(posted))]
        mine = [fields for fields in posts if fields.get("client_transaction_id") == id_]
        if mine:
            break
        time.sleep(0.2)
    else:
        sys.exit(f"no notification for payout {n} after 30 s")
    event = parse_notification(mine[-1], "POST")
    if event is PING:
        continue
    info = client.confirm_notification(event)  # asks the service, never trusts the body
    print(f"notification for payout {n}: {info.treatment_status}, confirmed")
