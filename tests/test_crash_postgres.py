"""R1, R2, R8 and R13 when a server process dies mid-burst: one server with two worker
processes, on PostgreSQL, receives 150 license-changing mutations at once, and one worker is
killed with SIGKILL while they are in flight. Requests it was serving fail in transport; every
change it had not committed must vanish whole, every change it had committed must be complete.
Afterwards the database holds no partial change: `used` is the live count, within the licenses,
the history is one unbroken chain, and each row of it belongs to a change that happened whole.
Every request that failed in transport is then sent again with its idempotency key (R13): each
change is accounted for exactly once, whether its first answer was lost or never computed."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests import bursts
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.servers import Server, connections_held, running_server, wait_until_healthy

pytestmark = pytest.mark.postgres_only

ADMIN_EMAIL = "admin@crash.example.com"
ADMIN_PASSWORD = "a long enough password"
DOMAIN = "crash.example.com"
WORKERS = 2
EMPLOYEES = 14
CONSULTANTS = 3
WAITING = 4
CONNECTIONS = 24
BURST = bursts.fault_burst(20_261_129, DOMAIN, "crash-20261129")
KILL_AFTER = BURST.mutations * 30 // 100  # answers (or transport failures) before the kill


# --- the test -------------------------------------------------------------------------------


@pytest.fixture
async def database_url() -> Any:
    url = await create_postgres_database("seats_crash")
    try:
        yield url
    finally:
        await drop_postgres_database(url)


async def test_r1_r2_r8_r13_hold_when_a_worker_is_killed_mid_burst(
    database_url: str, tmp_path: Path
) -> None:
    """R1, R2, R8 and R13 across a crash: SIGKILL one of two worker processes while 150
    license mutations are in flight. No change is left half-made, the invariants hold, the
    surviving (and restarted) processes serve on, and retrying the lost requests with their
    idempotency keys accounts for every change exactly once."""
    assert Path("/proc/net/tcp").exists(), "this test reads the process table of Linux"
    organization_id = await bursts.create_organisation(
        database_url, "Crash Ltd", ADMIN_EMAIL, ADMIN_PASSWORD
    )
    conn = await asyncpg.connect(bursts.asyncpg_url(database_url))
    try:
        async with running_server(database_url, tmp_path, workers=WORKERS) as server:
            await _crash_mid_burst(server, conn, organization_id)
    finally:
        await conn.close()


async def _crash_mid_burst(server: Server, conn: asyncpg.Connection, organization_id: int) -> None:
    workers = await server.workers_up(WORKERS)
    assert len(workers) == WORKERS, f"expected {WORKERS} workers, saw {workers}"
    async with bursts.burst_client(server.base_url, CONNECTIONS) as http:
        admin_id = await bursts.sign_in(http, ADMIN_EMAIL, ADMIN_PASSWORD)
        people, _ = await bursts.add_people(
            http, DOMAIN, employees=EMPLOYEES, consultants=CONSULTANTS, waiting=WAITING
        )
        before = await bursts.last_change_id(conn, organization_id)
        assert await bursts.database_problems(conn, organization_id) == []

        # The burst, and the kill once 30% of it has been answered.
        operations = BURST.plan(people, admin_id)
        gate = asyncio.Semaphore(CONNECTIONS)
        done = 0
        time_to_kill = asyncio.Event()

        async def counted(op: bursts.Operation) -> bursts.Outcome:
            nonlocal done
            outcome = await bursts.send(http, gate, op)
            done += 1
            if done >= KILL_AFTER:
                time_to_kill.set()
            return outcome

        async def kill_a_worker() -> tuple[int, dict[int, int]]:
            await time_to_kill.wait()
            # The worker serving most of the client's connections: most requests in flight.
            held = connections_held(workers, server.port)
            victim = max(workers, key=lambda pid: held.get(pid, 0))
            os.kill(victim, signal.SIGKILL)
            return victim, held

        killer = asyncio.create_task(kill_a_worker())
        started = time.monotonic()
        outcomes = await asyncio.gather(*(counted(op) for op in operations))
        victim, held = await killer
        burst_seconds = time.monotonic() - started

        lost = [o for o in outcomes if o.body is None]
        assert lost, (
            f"the kill of worker {victim} (connections held: {held}) broke no request: "
            "nothing was in flight there"
        )
        assert server.process.poll() is None, f"the server stopped:\n{server.log_tail()}"
        await wait_until_healthy(server)

        # Right after the crash, before anything is retried: nothing half-made.
        problems = await bursts.database_problems(conn, organization_id)
        assert problems == [], problems

        # Which lost requests the killed worker had committed, their answers lost with it.
        committed = await conn.fetchval(
            "SELECT count(*) FROM idempotency_key WHERE organization_id = $1 AND key = ANY($2)",
            organization_id,
            [o.operation.variables["key"] for o in lost],
        )

        # R13: the lost requests again, with the same keys. A change the killed worker had
        # committed is answered as it was; one it had not is made now, once.
        retried = await asyncio.gather(
            *(bursts.send(http, gate, o.operation, retried=True) for o in lost)
        )
        still_lost = [o for o in retried if o.body is None]
        assert not still_lost, [(o.operation.label, o.error) for o in still_lost]
        answered = [o for o in outcomes if o.body is not None] + retried
        results = [(o, bursts.check_answer(o)) for o in answered]

        problems = await bursts.database_problems(conn, organization_id)
        assert problems == [], problems

        # Every change is accounted for exactly once: each reported change is in the
        # history as reported, and each change written since the burst began was reported.
        chain = await conn.fetch(bursts.CHAIN, organization_id)
        reported = [r["change"] for _, r in results if r is not None and r.get("change")]
        bursts.assert_written_once(reported, (row for row in chain if row["id"] > before))

        # The same for the people added: each once, as answered.
        await bursts.assert_people_added_once(conn, organization_id, results)

        # The service works on: its answer agrees with the database, and a new change works.
        org = await conn.fetchrow(bursts.ORGANIZATION, organization_id)
        seats = (await bursts.data(http, bursts.SEATS_QUERY))["seats"]
        assert (seats["licenseCount"], seats["used"]) == (org["license_count"], org["used"])
        after = await bursts.data(http, bursts.SET_LICENSE_COUNT, count=org["license_count"] + 1)
        assert after["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess", after
        assert await bursts.database_problems(conn, organization_id) == []

    # uvicorn's supervisor starts a new worker in place of the killed one.
    now_workers = await server.workers_up(WORKERS, seconds=20)
    bursts.print_tally(outcomes)
    print(
        f"killed worker {victim} after {KILL_AFTER} answers (connections held: {held}); "
        f"{len(lost)} requests lost and retried ({committed} of them had been committed); "
        f"burst {burst_seconds:.1f} s; "
        f"workers before {workers}, after {now_workers}"
    )
    assert victim not in now_workers
