"""Must FAIL `mypy --strict` (test.sh checks that it does): the stubs are real types, not Any."""

from __future__ import annotations

import cinetpay_transfer as ct


def wrong(client: ct.Client) -> str:
    balance = client.balance()
    return balance.availble  # misspelt field: an error only if balance is typed
