"""The Celery app that test_celery.py runs in real worker processes.

Everything comes from the environment the test sets: the Redis server (broker, result backend,
token store shared by the pool's processes) and the sandbox (a real HTTP server on 127.0.0.1). Short waits, so that the test is
quick: the processing window is 2 s (the production default is 90 s).
"""

from __future__ import annotations

import os

from celery import Celery

from cinetpay_transfer import Client
from cinetpay_transfer.celery import payout_task

REDIS = os.environ["CINETPAY_TEST_REDIS"]  # redis://127.0.0.1:PORT

app = Celery("cinetpay-test", broker=f"{REDIS}/0", backend=f"{REDIS}/1")
app.conf.update(
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    result_expires=3600,
)


def client() -> Client:
    return Client(
        os.environ["CINETPAY_TEST_API_KEY"],
        os.environ["CINETPAY_TEST_PASSWORD"],
        base_url=os.environ["CINETPAY_TEST_BASE_URL"],
        max_attempts=3,
        initial_backoff=0.01,
        max_backoff=0.05,
        request_timeout=2.0,
        processing_window=2.0,
        token_store=f"{REDIS}/2",  # one login for every process of the pool
    )


pay_batch = payout_task(app, client, processing_window=2.0, lookup_delay=0.5, lookup_attempts=3)
