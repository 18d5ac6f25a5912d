"""Issue 15 on four server processes sharing PostgreSQL: every change's event reaches a real
receiver at least once, with one webhook-id per change, though the receiver is down at first
and a process is killed while it is posting."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from standardwebhooks.webhooks import Webhook

from tests import bursts
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.servers import Server, free_port, running_server
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.postgres_only

ADMIN_EMAIL = "admin@hooks.example.com"
ADMIN_PASSWORD = "a long enough password"
WORKERS = 4
CHANGES = 40
# The settings of the servers: loopback allowed, short timeouts and waits, frequent polls.
ENV = {
    "SEATS_WEBHOOKS_ALLOW_PRIVATE": "1",
    "SEATS_WEBHOOK_TIMEOUT": "1",
    "SEATS_WEBHOOK_RETRY_SECONDS": "0.2",
    "SEATS_WEBHOOK_POLL": "0.1",
}
CREATE = """mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input)
  { ... on CreateWebhookEndpointSuccess { secret } } }"""
SET_COUNT = """mutation($n: Int!) { setLicenseCount(count: $n) { __typename } }"""


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[tuple[Server, str]]:
    database_url = await create_postgres_database("seats_hooks")
    try:
        await bursts.create_organisation(database_url, "Hooks Ltd", ADMIN_EMAIL, ADMIN_PASSWORD)
        async with running_server(database_url, tmp_path, workers=WORKERS, env=ENV) as server:
            yield server, database_url
    finally:
        await drop_postgres_database(database_url)


def sender_of(pids: list[int], client_port: int, port: int) -> list[int]:
    """Those of `pids` holding the connection from `client_port` to `port` here (Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            columns = line.split()
            local = int(columns[1].rsplit(":", 1)[1], 16)
            remote = int(columns[2].rsplit(":", 1)[1], 16)
            if (local, remote) == (client_port, port):
                inodes.add(f"socket:[{columns[9]}]")
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            if inodes & set(links):
                found.append(pid)
    return found


async def until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


async def test_issue_15_four_processes_a_late_receiver_and_a_killed_worker(deployment):
    server, database_url = deployment
    workers = await server.workers_up(WORKERS)
    assert len(workers) == WORKERS, workers
    receiver = Receiver(free_port(), hold=asyncio.Event())
    db = await asyncpg.connect(bursts.asyncpg_url(database_url))
    try:
        async with bursts.burst_client(server.base_url, 16) as http:
            await bursts.sign_in(http, ADMIN_EMAIL, ADMIN_PASSWORD)
            created = await bursts.data(
                http,
                CREATE,
                input={"url": receiver.url, "events": ["LICENSE_COUNT_CHANGED"]},
            )
            secret = created["createWebhookEndpoint"]["secret"]
            changes_before = await db.fetchval("SELECT count(*) FROM license_change")
            # Distinct counts, sent at once over the processes: each one is a change.
            answers = await asyncio.gather(
                *(bursts.data(http, SET_COUNT, n=50 + i) for i in range(CHANGES))
            )
        assert all(a["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess" for a in answers)
        changes = await db.fetchval("SELECT count(*) FROM license_change") - changes_before
        assert changes == CHANGES

        # The receiver is down: every delivery's first attempt fails, and is kept.
        await until(
            lambda: db.fetchval("SELECT count(*) = 0 FROM webhook_delivery WHERE attempts = 0"),
            30,
            "failed attempts while the receiver is down",
        )
        await receiver.start()
        try:
            # The first request to arrive is held; the process that sent it is killed.
            await asyncio.wait_for(receiver.arrived.wait(), 30)
            held = receiver.received[0]
            (sender,) = sender_of(server.worker_pids(), held.client_port, receiver.port)
            os.kill(sender, signal.SIGKILL)
            held_id = held.message_id
            receiver.hold.set()
            await until(
                lambda: db.fetchval(
                    "SELECT count(*) = 0 FROM webhook_delivery WHERE status <> 'DELIVERED'"
                ),
                90,
                f"every delivery delivered:\n{server.log_tail()}",
            )
        finally:
            await receiver.stop()
        message_ids = {row[0] for row in await db.fetch("SELECT message_id FROM webhook_event")}
    finally:
        await db.close()

    assert receiver.ids() == message_ids
    assert len(receiver.ids()) == changes
    by_id = defaultdict(set)
    for arrival in receiver.received:
        Webhook(secret).verify(arrival.body, arrival.headers)
        by_id[arrival.message_id].add(arrival.body)
    assert all(len(bodies) == 1 for bodies in by_id.values()), "a resend is the same message"
    arrivals_of_held = sum(r.message_id == held_id for r in receiver.received)
    assert arrivals_of_held >= 2, "the killed process's delivery was sent again, same id"
