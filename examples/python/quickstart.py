"""Pay one person and follow the payout until it is final, with the sync client.

    python examples/python/quickstart.py                        # in-process sandbox, no money moves
    python examples/python/quickstart.py --live PHONE AMOUNT    # the live service: REAL MONEY

Credentials in the environment are read only with --live; the payee and the amount then come from
the command line, and the run shows them with the balance and asks before paying (see live.py).
"""

from __future__ import annotations

import sys
import time
import uuid
from typing import Callable

from cinetpay_transfer import CinetPayError, Client, SendOutcome, Transfer
from cinetpay_transfer.testing import Sandbox
from live import LANG, confirm_live, live_args, say, xof  # examples/python/live.py: when to go live, in which language


def pay_and_follow(client: Client, phone: str, amount: int, wait: Callable[[], object]) -> int:
    order = f"order-{uuid.uuid4().hex[:8]}"  # the idempotency key: keep it with your order
    try:
        [result] = client.pay(
            [Transfer(prefix="", phone=phone, amount=amount, notify_url="https://shop.example/cinetpay/notify",
                      client_transaction_id=order, name="Example", surname="Payee")]
        )
    except CinetPayError as e:
        print(say(f"refused ({e.kind}, code {e.code}): {e}", f"refusé ({e.kind}, code {e.code}) : {e}"))
        return 1
    if result.outcome is not SendOutcome.ACCEPTED:
        print(say(f"not sent: {result.error}", f"non envoyé : {result.error}"))
        return 1
    print(say("accepted:", "accepté :"), result.transaction_id, result.treatment_status, "client_transaction_id", order)
    while True:
        [info] = client.transfer_status(client_transaction_id=order)
        final = say("final", "final") if info.treatment_status.is_final else ""
        print(say("status:", "statut :"), info.treatment_status, final)
        if info.treatment_status.is_final:
            return 0
        wait()


def main() -> int:
    live = live_args()  # None: the sandbox
    if live is None:
        with Sandbox() as sandbox:
            print(say("sandbox: no money moves", "bac à sable : aucun argent ne bouge"))
            client = Client(api_key=sandbox.api_key, password=sandbox.password, base_url=sandbox.base_url, lang=LANG)
            print(say("available:", "disponible :"), xof(client.balance().available))
            # The sandbox's time moves only when told (NEW -> REC -> VAL).
            return pay_and_follow(client, "+2250701020304", 5_000, wait=lambda: sandbox.advance_clock(5))

    client = Client(api_key=live.api_key, password=live.password, base_url=live.base_url, lang=LANG)
    try:
        available = client.balance().available
    except CinetPayError as e:
        print(say(f"no balance ({e.kind}, code {e.code}): {e}\nNothing was sent.",
                  f"pas de solde ({e.kind}, code {e.code}) : {e}\nRien n’a été envoyé."), file=sys.stderr)
        return 1
    if not confirm_live(live, available):
        print(say("stopped: nothing was sent", "arrêté : rien n’a été envoyé"))
        return 1
    return pay_and_follow(client, live.phone, live.amount, wait=lambda: time.sleep(5))


if __name__ == "__main__":
    sys.exit(main())
