"""Issue 5, point 1: GIL released, Ctrl-C, threads, fork, asyncio on the same runtime."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox
from conftest import transfer


def test_threads_share_one_client(sandbox: Sandbox, client: ct.Client) -> None:
    client.add_contacts([ct.Contact("225", "0701020304", "Awa", "Kone")])
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: client.send([transfer(f"thr-{i}")])[0], range(16)))
    assert {r.client_transaction_id for r in results} == {f"thr-{i}" for i in range(16)}
    assert all(r.outcome is ct.SendOutcome.ACCEPTED for r in results)
    assert len(sandbox.ledger()) == 16


def test_a_blocked_call_releases_the_gil(sandbox: Sandbox, client: ct.Client) -> None:
    client.balance()  # log in first
    sandbox.add_fault("balance", "latency", latency_ms=800)
    ticks = []

    def ticker() -> None:
        end = time.monotonic() + 0.6
        while time.monotonic() < end:
            ticks.append(1)
            time.sleep(0.01)

    thread = threading.Thread(target=ticker)
    thread.start()
    client.balance()
    thread.join()
    assert len(ticks) > 20  # the other thread ran while this one waited on the network


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_client_keeps_working_in_a_forked_child(sandbox: Sandbox, client: ct.Client) -> None:
    assert client.balance().available > 0  # the parent used the runtime and the pool
    pid = os.fork()
    if pid == 0:  # child: as under gunicorn --preload
        code = 1
        try:
            signal.alarm(20)  # a hang must fail the test, not freeze it
            ok = client.balance().available > 0
            [sent] = client.pay([transfer("fork-child")])
            code = 0 if ok and sent.outcome is ct.SendOutcome.ACCEPTED else 2
        except BaseException as e:  # noqa: BLE001
            print("child failed:", repr(e), file=sys.stderr)
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    # The parent still works, and sees the child's payout.
    assert client.transfer_status(client_transaction_id="fork-child")[0].amount == 500


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_interrupts_a_blocked_call(sandbox: Sandbox, client: ct.Client) -> None:
    """Ctrl-C as an interactive Python gets it. A process started in the background without job
    control (`nohup ... &`, some CI runners) inherits SIGINT ignored, and Python then installs no
    handler for it: the test installs Python's own, so that it checks the binding, not how pytest
    was launched (that is why it failed in such runs, "DID NOT RAISE")."""
    assert threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        client.balance()
        sandbox.add_fault("balance", "latency", latency_ms=10_000)
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            client.balance()
        assert time.monotonic() - started < 5
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_asyncio_gathers_20_calls(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = sandbox.async_client()
        await client.add_contacts([ct.Contact("225", "0701020304", "Awa", "Kone")])
        results = await asyncio.gather(*(client.send([transfer(f"aio-{i}")]) for i in range(20)))
        assert sorted(r[0].client_transaction_id for r in results) == sorted(f"aio-{i}" for i in range(20))
        balances = await asyncio.gather(*(client.balance() for _ in range(20)))
        assert len({b.in_using for b in balances}) == 1

    asyncio.run(main())
    assert len(sandbox.ledger()) == 20


def test_the_event_loop_is_never_blocked(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = sandbox.async_client()
        await client.balance()
        sandbox.add_fault("balance", "latency", latency_ms=600)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        balance = await client.balance()
        task.cancel()
        assert balance.available > 0
        assert ticks > 20, ticks

    asyncio.run(main())


def test_async_errors_are_the_same_exceptions(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = sandbox.async_client()
        with pytest.raises(ct.NotFoundError) as raised:
            await client.transfer_status(transaction_id="EA0.0.M0")
        assert raised.value.code == 723

    asyncio.run(main())


def test_a_cancelled_coroutine_does_not_break_the_client(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = sandbox.async_client()
        sandbox.add_fault("balance", "latency", latency_ms=2000)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.balance(), 0.2)
        assert (await client.balance()).available > 0

    asyncio.run(main())


EXIT_SCRIPT = """
import asyncio, logging
logging.basicConfig(level=logging.DEBUG)
from cinetpay_transfer.testing import Sandbox
async def main():
    with Sandbox(clock="real") as sandbox:
        client = sandbox.async_client()
        await asyncio.gather(*(client.balance() for _ in range(20)))
asyncio.run(main())
print("done")
"""


def test_the_interpreter_exits_cleanly_after_async_calls() -> None:
    # Runtime threads completing futures or logging while Python finalizes used to abort the
    # process (runtime::finalize); it was intermittent, hence several runs.
    import subprocess

    for _ in range(6):
        done = subprocess.run([sys.executable, "-c", EXIT_SCRIPT], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr[-1500:]
