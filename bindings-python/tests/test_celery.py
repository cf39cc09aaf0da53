"""Issue 15: a payroll of 1,000 payouts over a real Celery pool of 4 processes, one killed mid-run.

Real parts only: a `redis-server` of the test's own (conftest's `redis_url`: broker, result
backend, token store), `celery worker --concurrency=4` as a subprocess importing celeryapp.py, and
the sandbox as an HTTP server on 127.0.0.1 that the worker processes call. Every send is processed
300 ms after it arrives, even when its client is gone (the sandbox's `slow_processing`), so the
pool process killed with SIGKILL (one running a batch, as the worker reports) dies with a request
in flight that still lands: its batch is re-delivered and must look its payouts up first.

Checked at the end: every payout held once in the sandbox's ledger, the summary (all 1,000
accepted, amounts), at least one batch re-delivered (the kill hit a running task), and one login
for the whole run (the sandbox's tokens still valid). The rules of each phase (nothing sent before
the window, only what no lookup shows) are pinned down one by one in test_celery_phases.py.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

celery = pytest.importorskip("celery")
redis = pytest.importorskip("redis")

from cinetpay_transfer import Transfer  # noqa: E402
from cinetpay_transfer.testing import Sandbox  # noqa: E402

HERE = Path(__file__).parent
PAYOUTS = 1_000
BATCH = 25


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def busy_process(app: "celery.Celery") -> int:
    """The pid of a pool process running a batch now (as the worker reports it). `limit=1`
    returns on the worker's reply rather than after the whole timeout, so the batch reported is
    still running when the caller kills its process."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for tasks in (app.control.inspect(timeout=0.5, limit=1).active() or {}).values():
            if tasks:
                return int(tasks[0]["worker_pid"])
    raise AssertionError("no pool process is running a batch")


def payroll() -> list[Transfer]:
    return [
        Transfer("225", f"07{10_000_000 + i:08d}", 200 + 100 * (i % 9), "http://127.0.0.1:9/notify",
                 client_transaction_id=f"payroll-{i:04d}")
        for i in range(PAYOUTS)
    ]


def test_a_payroll_over_four_workers_one_killed(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.monotonic()
    with Sandbox() as sandbox:
        sandbox.add_fault("send", "slow_processing", count=10_000, latency_ms=300)
        env = {
            **os.environ,
            "CINETPAY_TEST_REDIS": redis_url,
            "CINETPAY_TEST_BASE_URL": sandbox.base_url,
            "CINETPAY_TEST_API_KEY": sandbox.api_key,
            "CINETPAY_TEST_PASSWORD": sandbox.password,
            "PYTHONPATH": str(HERE),
        }
        for name, value in env.items():
            if name.startswith("CINETPAY_TEST_"):
                monkeypatch.setenv(name, value)  # celeryapp reads them here too (it enqueues)
        import celeryapp
        from cinetpay_transfer.celery import pay_payroll

        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celeryapp", "worker", "--pool=prefork", "--concurrency=4",
             "--loglevel=" + os.environ.get("CINETPAY_TEST_CELERY_LOG", "WARNING"), "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "test@%h"],
            cwd=HERE, env=env,
        )
        try:
            deadline = time.monotonic() + 30
            while not celeryapp.app.control.ping(timeout=0.5):
                assert worker.poll() is None, "the celery worker exited"
                assert time.monotonic() < deadline, "the celery worker did not start"
            transfers = payroll()
            run = pay_payroll(celeryapp.pay_batch, transfers, batch_size=BATCH)
            assert run.client_transaction_ids == [t.client_transaction_id for t in transfers]

            # Kill one pool process once sends are under way, while every process has a (slow) send in
            # flight: between two batches a process is idle for a moment, and killing it then would
            # re-deliver nothing.
            deadline = time.monotonic() + 30
            while len(sandbox.ledger()) < 100 or sandbox.admin("GET", "/requests")["in_progress"] < 4:
                assert time.monotonic() < deadline, "no payout reached the sandbox"
                time.sleep(0.02)
            assert len(children(worker.pid)) == 4
            os.kill(busy_process(celeryapp.app), signal.SIGKILL)

            summary = run.summary(timeout=120)
            del run  # its pending results unsubscribe from Redis when collected: while it runs
            gc.collect()
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)

        ledger = sandbox.ledger()
        logins = sandbox.expire_tokens()  # tokens still valid = logins of this run (the clock stands still)
    elapsed = time.monotonic() - started

    held = Counter(entry["client_transaction_id"] for entry in ledger)
    assert len(held) == PAYOUTS and set(held.values()) == {1}, "a payout held twice, or missing"
    assert summary.total == PAYOUTS and summary.batches == PAYOUTS // BATCH
    assert not summary.failed and not summary.unknown
    assert sorted(r.client_transaction_id for r in summary.accepted) == sorted(held)
    assert summary.accepted_amount == sum(t.amount for t in transfers)
    assert summary.redelivered_batches >= 1, "the killed process was running no batch"
    print(f"\n1,000 payouts, 4 processes, 1 killed: {elapsed:.1f} s, {logins} login(s), "
          f"{summary.redelivered_batches} batch(es) re-delivered")
    assert logins == 1, "the processes share one token through Redis"
