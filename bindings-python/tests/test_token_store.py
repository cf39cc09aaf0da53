"""The shared token store from Python: clients and forked worker processes given one Redis log in
once; ``issue_token`` hands out that token and never shows it in a repr.

Each test module run starts its own ``redis-server`` on a free port (no persistence). Without
the binary the tests are skipped locally; in CI (``CI=true``) its absence fails them. Logins are
counted from the sandbox's request log: requests received = the calls made + the logins.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from typing import Iterator

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed; CI installs it in .ci/run")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.kill()
        server.wait()


def received(sandbox: Sandbox) -> int:
    with urllib.request.urlopen(sandbox.admin_url + "/requests") as answer:
        return int(json.load(answer)["received"])


def test_clients_sharing_redis_log_in_once(sandbox: Sandbox, redis_url: str) -> None:
    workers = [sandbox.client(token_store=redis_url) for _ in range(4)]
    for worker in workers:
        worker.balance()
    assert received(sandbox) == 4 + 1


def test_forked_workers_log_in_once(sandbox: Sandbox, redis_url: str) -> None:
    # The parent never calls: each child (a Celery prefork worker, say) logs in or reads Redis.
    client = sandbox.client(token_store=redis_url)
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            try:
                client.balance()
                os._exit(0)
            except BaseException:
                os._exit(1)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
    assert received(sandbox) == 3 + 1


def test_issue_token_hands_out_the_shared_token_and_hides_it(sandbox: Sandbox, redis_url: str) -> None:
    first = sandbox.client(token_store=redis_url).issue_token()
    second = sandbox.client(token_store=redis_url).issue_token()
    assert isinstance(first, ct.IssuedToken)
    assert first.token == second.token and first.token.count(".") == 2
    assert first.token not in repr(first) and first.token not in str(first)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert now < first.expires_at <= now + datetime.timedelta(minutes=5)
    assert 0 < first.expires_in <= 300
    assert received(sandbox) == 1, "one login for both"


def test_the_async_client_issues_tokens_too(sandbox: Sandbox, redis_url: str) -> None:
    async def issue() -> ct.IssuedToken:
        return await sandbox.async_client(token_store=redis_url).issue_token()

    issued = asyncio.run(issue())
    assert issued.token == sandbox.client(token_store=redis_url).issue_token().token


def test_a_client_without_a_store_issues_its_own_token(sandbox: Sandbox) -> None:
    client = sandbox.client()
    assert client.issue_token().token == client.issue_token().token
    assert received(sandbox) == 1


def test_a_revoked_token_is_not_handed_out_again(sandbox: Sandbox) -> None:
    client = sandbox.client()
    first = client.issue_token().token
    assert client.issue_token(previous=first).token == first, "still good: the same token"
    sandbox.reset()  # the service forgets every token, as after a revocation
    renewed = client.issue_token(previous=first).token
    assert renewed != first
    assert client.issue_token(previous="an-older-token").token == renewed


def test_a_redis_out_of_reach_costs_logins_not_payouts(sandbox: Sandbox) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    client = sandbox.client(token_store=dead)
    ref = "store-down-1"
    results = client.pay(
        [ct.Transfer(prefix="225", phone="0701020304", amount=500, notify_url="http://127.0.0.1:9/n", client_transaction_id=ref)]
    )
    assert results[0].outcome == ct.SendOutcome.ACCEPTED


def test_a_bad_store_url_names_the_field(sandbox: Sandbox) -> None:
    with pytest.raises(ct.ValidationError) as caught:
        sandbox.client(token_store="http://127.0.0.1:6379")
    assert caught.value.field == "token_store"
