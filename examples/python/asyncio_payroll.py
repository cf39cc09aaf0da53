"""A small payroll with the asyncio client: 10 payouts at once, the event loop never blocked.

    python examples/python/asyncio_payroll.py
"""

from __future__ import annotations

import asyncio

from cinetpay_transfer import AsyncClient, SendOutcome, Transfer
from cinetpay_transfer.testing import Sandbox
from live import LANG, say, xof  # the locale's language (examples/python/live.py)

PAYEES = [("0701020304", 5_000), ("0505060708", 7_500), ("0101020000", 2_000)]  # ...000: rejected


async def main() -> None:
    with Sandbox(clock="real") as sandbox:  # real clock: payouts finish by themselves in ~1 s
        client = AsyncClient(api_key=sandbox.api_key, password=sandbox.password, base_url=sandbox.base_url, lang=LANG)
        batches = [
            [Transfer("225", phone, amount, "http://127.0.0.1:8000/notify", f"payroll-{run}-{phone}")]
            for run in range(4)
            for phone, amount in PAYEES
        ]
        results = await asyncio.gather(*(client.pay(batch) for batch in batches))
        accepted = [r for [r] in results if r.outcome is SendOutcome.ACCEPTED]
        print(say(f"{len(accepted)} of {len(batches)} payouts accepted",
                  f"{len(accepted)} transferts acceptés sur {len(batches)}"))
        await asyncio.sleep(1.5)
        infos = await asyncio.gather(
            *(client.transfer_status(client_transaction_id=r.client_transaction_id) for r in accepted)
        )
        for [info] in infos:
            print(f"{info.client_transaction_id:28} {xof(info.amount):>10}  {info.treatment_status}")


if __name__ == "__main__":
    asyncio.run(main())
