"""Issue 10 item 5: live updates survive a restart of PostgreSQL. The server's LISTEN
connection is opened again (with capped, doubling waits), every open subscription is sent the
state afresh once it is back (changes made while nobody listened are not lost to the page), and
changes made after the restart reach the subscription again. The outage is logged once, not
with a traceback per change. Run against a cluster of the test's own (tests/pgcluster.py),
never the shared one."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from tests.pgcluster import postgres_cluster
from tests.servers import Server, run_cli, running_server
from tests.test_live_updates import EMAIL, PASSWORD, sign_in, subscribed


async def set_count_once_up(server: Server, cookie: str, count: int, seconds: float = 30) -> None:
    """setLicenseCount, tried again while the server's pooled connections, cut by the
    restart, are replaced."""
    deadline = time.monotonic() + seconds
    query = f"mutation {{ setLicenseCount(count: {count}) {{ __typename }} }}"
    async with httpx.AsyncClient(base_url=server.base_url, headers={"Cookie": cookie}) as http:
        while True:
            body = (await http.post("/graphql", json={"query": query})).json()
            if "errors" not in body:
                assert body["data"]["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess"
                return
            assert time.monotonic() < deadline, body
            await asyncio.sleep(0.2)


@pytest.mark.postgres_only
async def test_live_updates_come_back_after_the_database_restarts(tmp_path):
    """Issue 10 item 5: after a restart of PostgreSQL the subscription gets the current
    seats without any change (the snapshot of the reconnection), then every change again."""
    async with postgres_cluster("seats_restart") as cluster:
        run_cli(cluster.url, "migrate")
        run_cli(cluster.url, "create-admin", "--org", "Restart AB", "--email", EMAIL,
                "--password", PASSWORD)  # fmt: skip
        async with running_server(cluster.url, tmp_path) as server:
            cookie = await sign_in(server)
            async with subscribed(server, cookie=cookie) as watcher:
                assert (await watcher.next_seats())["licenseCount"] == 1
                await set_count_once_up(server, cookie, 2)
                assert (await watcher.next_seats())["licenseCount"] == 2

                await cluster.restart()
                # Nothing changed: this is the snapshot sent once the server listens again.
                assert await watcher.next_seats(timeout=30) == {
                    "licenseCount": 2,
                    "used": 1,
                    "available": 1,
                }
                await set_count_once_up(server, cookie, 3)
                assert (await watcher.next_seats())["licenseCount"] == 3

                # A second outage is handled like the first.
                await cluster.restart()
                assert (await watcher.next_seats(timeout=30))["licenseCount"] == 3
                await set_count_once_up(server, cookie, 4)
                assert (await watcher.next_seats())["licenseCount"] == 4
            log = server.log_tail(1_000_000)
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    ours = [e for e in entries if e["logger"].startswith(("seats.", "strawberry."))]
    # One line when the connection is lost and one when it is back, per outage; no tracebacks.
    lost = [e for e in ours if "lost the LISTEN connection" in e["message"]]
    assert len(lost) == 2, ours
    assert not [e for e in ours if "exception" in e or e["level"] == "ERROR"], ours
