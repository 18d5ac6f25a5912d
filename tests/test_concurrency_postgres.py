"""R1, R2 and R8 under real concurrency: one server with four worker processes, on PostgreSQL,
receives 200 license-changing mutations at once. After the burst (and at every moment a
watcher looks in between) the licenses used never exceed the licenses paid for, `used` is the
live count of the people it counts, and the history is one unbroken chain in which every
accepted change appears exactly once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from server.api import ids
from tests import bursts
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.servers import Server, connections_held, running_server

pytestmark = pytest.mark.postgres_only

ADMIN_EMAIL = "admin@concurrency.example.com"
ADMIN_PASSWORD = "a long enough password"
DOMAIN = "concurrency.example.com"
WORKERS = 4
EMPLOYEES = 20
CONSULTANTS = 4
WAITING = 10
CONNECTIONS = 32
# All licenses are in use when the burst starts, and its first 40 operations (the first wave
# of requests) never free one: so the unaccepted grants among them, all to people waiting for
# access, meet a full organisation and are answered LicenseIncreaseRequired (R4) whatever the
# interleaving, save the odd one overtaken by a later request.
BURST = bursts.Burst(
    seed=20_261_128,
    mutations=200,
    mix={
        "add": 20,
        "grant": 16,
        "grant-unaccepted": 16,
        "remove": 12,
        "set": 16,
        "terminate": 12,
        "reactivate": 8,
        "bulk-grant": 6,
        "bulk-remove": 6,
        "bulk-terminate": 4,
    },
    domain=DOMAIN,
    counts=(0, 45),
    opening=40,
    draw_accept_on_remove=True,
)

HISTORY_QUERY = """
query($after: String) {
  history(first: 100, after: $after) {
    edges { node { id fromCount toCount reason } }
    pageInfo { hasNextPage endCursor }
  }
}"""


# --- the server, in processes of its own --------------------------------------------------


@dataclass
class Deployment:
    server: Server
    database_url: str
    organization_id: int


@pytest.fixture(scope="module")
async def deployment(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Deployment]:
    database_url = await create_postgres_database("seats_concurrency")
    try:
        organization_id = await bursts.create_organisation(
            database_url, "Concurrency Ltd", ADMIN_EMAIL, ADMIN_PASSWORD
        )
        log_dir = tmp_path_factory.mktemp("server")
        async with running_server(database_url, log_dir, workers=WORKERS) as server:
            yield Deployment(server, database_url, organization_id)
    finally:
        await drop_postgres_database(database_url)


# --- what must hold -----------------------------------------------------------------------


async def watch_invariants(
    database_url: str, organization_id: int, stop: asyncio.Event, problems: list[str]
) -> int:
    """R2 "after every commit": look at consistent snapshots, again and again, while the
    burst runs. Returns how many snapshots were checked."""
    conn = await asyncpg.connect(bursts.asyncpg_url(database_url))
    samples = 0
    try:
        while not stop.is_set():
            found = (await bursts.snapshot(conn, organization_id)).problems()
            problems.extend(f"snapshot {samples}: {p}" for p in found)
            samples += 1
            await asyncio.sleep(0.005)
    finally:
        await conn.close()
    return samples


def _typename(outcome: bursts.Outcome) -> str | None:
    result = (outcome.body or {}).get("data") or {}
    result = result.get(outcome.operation.mutation)
    return result["__typename"] if result else None


# --- the test -------------------------------------------------------------------------------


async def test_r2_r8_hold_under_200_concurrent_mutations_on_4_processes(
    deployment: Deployment,
) -> None:
    """R1, R2, R8 (with R3 to R7 as the mutations): 200 concurrent license mutations, spread over
    four server processes sharing one PostgreSQL database, leave used ≤ licenses after every
    commit, `used` and the kept people counts (by status and kind) equal to their live counts,
    and one unbroken history in which each accepted change appears exactly once and nothing
    else does."""
    server, organization_id = deployment.server, deployment.organization_id
    on_linux = Path("/proc/net/tcp").exists()
    workers = await server.workers_up(WORKERS) if on_linux else []
    if on_linux:
        assert len(workers) == WORKERS, f"expected {WORKERS} worker processes, saw {workers}"

    async with bursts.burst_client(server.base_url, CONNECTIONS) as http:
        admin_id = await bursts.sign_in(http, ADMIN_EMAIL, ADMIN_PASSWORD)
        # All licenses are in use when the burst starts.
        people, waiting = await bursts.add_people(
            http, DOMAIN, employees=EMPLOYEES, consultants=CONSULTANTS, waiting=WAITING
        )
        seats = (await bursts.data(http, bursts.SEATS_QUERY))["seats"]
        assert seats["used"] == seats["licenseCount"] == EMPLOYEES + 1, seats

        conn = await asyncpg.connect(bursts.asyncpg_url(deployment.database_url))
        try:
            before = await bursts.last_change_id(conn, organization_id)
            operations = BURST.plan(people, admin_id, waiting=waiting)
            gate = asyncio.Semaphore(CONNECTIONS)
            stop = asyncio.Event()
            watcher_problems: list[str] = []
            watcher = asyncio.create_task(
                watch_invariants(deployment.database_url, organization_id, stop, watcher_problems)
            )
            started = time.monotonic()
            try:
                outcomes = await asyncio.gather(*(bursts.send(http, gate, op) for op in operations))
            finally:
                stop.set()
                samples = await watcher
            burst_seconds = time.monotonic() - started
            # The client's connections are still open: see which processes accepted them.
            spread = connections_held(workers, server.port) if on_linux else {}
            if on_linux:
                serving = [pid for pid, held in spread.items() if held]
                assert len(serving) >= 2, f"one process served the whole burst: {spread}"

            # Every answer is one the API promises.
            results = [r for r in (bursts.check_answer(o) for o in outcomes) if r is not None]
            reported = bursts.changes_reported(results)
            assert not watcher_problems, watcher_problems[:10]
            assert samples >= 5, f"only {samples} snapshots were taken during the burst"

            # The burst really exercised every path, not just the easy ones.
            kinds = {(o.operation.mutation, _typename(o)) for o in outcomes}
            for expected in [
                ("setLicenseCount", "LicenseBelowUsage"),
                ("setLicenseCount", "SetLicenseCountSuccess"),
                ("toggleAccess", "LicenseIncreaseRequired"),
                ("toggleAccess", "ToggleAccessSuccess"),
                ("terminate", "TerminateSuccess"),
                ("addResource", "AddResourceSuccess"),
                ("bulkSetAccess", "BulkChangeSuccess"),
                ("bulkTerminate", "BulkChangeSuccess"),
            ]:
                assert expected in kinds, f"the burst never produced {expected}: {kinds}"
            reasons = {c["reason"] for c in reported}
            assert reasons == {"MANUAL", "AUTO_INCREASE", "TERMINATION"}, reasons

            # R1, R2 and R8 in the database once everything has settled.
            settled = await bursts.snapshot(conn, organization_id)
            assert settled.problems() == []

            # R8: each accepted change is in the history exactly once, and nothing else is.
            bursts.assert_written_once(
                reported, (row for row in settled.chain if row["id"] > before)
            )
        finally:
            await conn.close()

        # The API tells the same story as the database.
        seats = (await bursts.data(http, bursts.SEATS_QUERY))["seats"]
        assert seats == {
            "licenseCount": settled.license_count,
            "used": settled.used,
            "available": settled.license_count - settled.used,
            "reducibleBy": settled.license_count - settled.used,
        }
        history, after = [], None
        while True:
            page = (await bursts.data(http, HISTORY_QUERY, after=after))["history"]
            history += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert history == [
            {
                "id": ids.encode(ids.LICENSE_CHANGE, row["id"]),
                "fromCount": row["from_count"],
                "toCount": row["to_count"],
                "reason": row["reason"],
            }
            for row in reversed(settled.chain)
        ]

    assert server.process.poll() is None, f"the server stopped:\n{server.log_tail()}"
    bursts.print_tally(outcomes)
    print("connections per worker process:", spread)
    print(
        f"burst of {BURST.mutations} mutations: {burst_seconds:.1f} s, {samples} snapshots checked"
    )
