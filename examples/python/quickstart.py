"""Pay one person and follow the payout until it is final: the sync client, against the sandbox.

    python examples/python/quickstart.py            # local sandbox, no money involved
    CINETPAY_API_KEY=... CINETPAY_API_PASSWORD=... python examples/python/quickstart.py --live

With --live it only reads the balance (no payout is sent).
"""

from __future__ import annotations

import os
import sys
import uuid

from cinetpay_transfer import CinetPayError, Client, SendOutcome, Transfer
from cinetpay_transfer.testing import Sandbox


def main() -> int:
    if "--live" in sys.argv:
        client = Client(api_key=os.environ["CINETPAY_API_KEY"], password=os.environ["CINETPAY_API_PASSWORD"])
        print("available:", client.balance().available, "XOF")
        return 0

    with Sandbox() as sandbox:
        client = Client(api_key=sandbox.api_key, password=sandbox.password, base_url=sandbox.base_url)
        print("available:", client.balance().available, "XOF")
        order = f"order-{uuid.uuid4().hex[:8]}"
        try:
            [result] = client.pay(
                [Transfer(prefix="225", phone="0701020304", amount=5_000,
                          notify_url="http://127.0.0.1:8000/cinetpay/notify", client_transaction_id=order)]
            )
        except CinetPayError as e:
            print(f"refused ({e.kind}, code {e.code}): {e}")
            return 1
        if result.outcome is not SendOutcome.ACCEPTED:
            print("not sent:", result.error)
            return 1
        print("accepted:", result.transaction_id, result.treatment_status)
        for _ in range(4):
            sandbox.advance_clock(5)  # the sandbox's time moves only when told (NEW -> REC -> VAL)
            [info] = client.transfer_status(client_transaction_id=order)
            print("status:", info.treatment_status, "final" if info.treatment_status.is_final else "")
            if info.treatment_status.is_final:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
