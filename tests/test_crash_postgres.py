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
import collections
import itertools
import os
import random
import signal
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.servers import Server, run_cli, running_server

pytestmark = pytest.mark.postgres_only

ADMIN_EMAIL = "admin@crash.example.com"
ADMIN_PASSWORD = "a long enough password"
WORKERS = 2
EMPLOYEES = 14
CONSULTANTS = 3
WAITING = 4
MUTATIONS = 150
CONNECTIONS = 24
KILL_AFTER = MUTATIONS * 30 // 100  # answers (or transport failures) before the kill
SEED = 20_261_129
UNEXPECTED = "Something went wrong"

CHANGE = "change { id fromCount toCount reason }"
SEATS = "seats { licenseCount used available }"
ADD_RESOURCE = f"""
mutation($input: AddResourceInput!, $accept: Boolean!, $key: String) {{
  addResource(input: $input, acceptLicenseIncrease: $accept, idempotencyKey: $key) {{
    __typename
    ... on AddResourceSuccess {{ resource {{ id email kind loginAccess }} {SEATS} {CHANGE} }}
    ... on LicenseIncreaseRequired {{ currentCount newCount }}
  }}
}}"""
TOGGLE_ACCESS = f"""
mutation($id: ID!, $enabled: Boolean!, $accept: Boolean!, $key: String) {{
  toggleAccess(resourceId: $id, enabled: $enabled, acceptLicenseIncrease: $accept,
               idempotencyKey: $key) {{
    __typename
    ... on ToggleAccessSuccess {{ resource {{ id loginAccess }} {SEATS} {CHANGE} }}
    ... on LicenseIncreaseRequired {{ currentCount newCount }}
  }}
}}"""
SET_LICENSE_COUNT = f"""
mutation($count: Int!, $key: String) {{
  setLicenseCount(count: $count, idempotencyKey: $key) {{
    __typename
    ... on SetLicenseCountSuccess {{ {SEATS} {CHANGE} }}
    ... on LicenseBelowUsage {{ used requested }}
  }}
}}"""
TERMINATE = f"""
mutation($id: ID!, $day: Date!, $key: String) {{
  terminate(resourceId: $id, lastWorkDay: $day, idempotencyKey: $key) {{
    __typename
    ... on TerminateSuccess {{ resource {{ id active loginAccess }} {SEATS} {CHANGE} }}
  }}
}}"""
LOGIN = """
mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) { __typename ... on LoginSuccess { me { id } } }
}"""
SEATS_QUERY = "{ seats { licenseCount used available } }"


# --- the server's processes -----------------------------------------------------------------


def _stat_fields(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, ppid, pgrp, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def worker_pids(parent: int) -> list[int]:
    """The uvicorn workers: the children of the server process that multiprocessing spawned
    (not, say, its resource tracker), alive."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if fields is None or int(fields[1]) != parent or fields[0] == "Z":
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(int(entry.name))
    return sorted(found)


def connections_held(pids: list[int], port: int) -> dict[int, int]:
    """How many established TCP connections on `port` each process holds (Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            columns = line.split()
            if int(columns[1].rsplit(":", 1)[1], 16) == port and columns[3] == "01":
                inodes.add(f"socket:[{columns[9]}]")
    held = {}
    for pid in pids:
        count = 0
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            fds = []
        for fd in fds:
            try:
                count += os.readlink(fd) in inodes
            except OSError:
                continue
        held[pid] = count
    return held


# --- the burst ------------------------------------------------------------------------------


@dataclass
class Operation:
    label: str
    query: str
    variables: dict[str, Any]
    mutation: str
    typenames: set[str]
    codes: set[str] = field(default_factory=set)


@dataclass
class Outcome:
    operation: Operation
    body: dict[str, Any] | None  # None: the request failed in transport
    error: str = ""
    retried: bool = False


def plan_burst(rng: random.Random, people: list[int], admin_id: int, today: str) -> list[Operation]:
    """A fixed, seeded mix of every change of licenses or login access: adding people (with
    the auto-increase accepted), access on and off, count changes, terminations. Each has an
    idempotency key of its own, for the retry after the crash."""
    targets = [*people, admin_id]
    serial = itertools.count(1)
    mix = {"add": 24, "grant": 20, "grant-unaccepted": 8, "remove": 18, "set": 16, "terminate": 14}
    operations = []
    for i in range(MUTATIONS):
        kind = rng.choices(list(mix), list(mix.values()))[0]
        key = f"crash-{SEED}-{i}"
        if kind == "add":
            n = next(serial)
            employee = rng.random() < 0.85
            operations.append(
                Operation(
                    "addResource",
                    ADD_RESOURCE,
                    {
                        "input": {
                            "name": f"Burst Person {n}",
                            "email": f"burst{n}@crash.example.com",
                            "kind": "EMPLOYEE" if employee else "EXTERNAL_CONSULTANT",
                            "loginAccess": rng.random() < 0.9,
                            "startDate": "2025-01-01",
                        },
                        "accept": True,
                        "key": key,
                    },
                    "addResource",
                    {"AddResourceSuccess"},
                )
            )
        elif kind in ("grant", "grant-unaccepted"):
            accept = kind == "grant"
            operations.append(
                Operation(
                    f"toggleAccess(on, accept={accept})",
                    TOGGLE_ACCESS,
                    {"id": str(rng.choice(targets)), "enabled": True, "accept": accept, "key": key},
                    "toggleAccess",
                    {"ToggleAccessSuccess"} | (set() if accept else {"LicenseIncreaseRequired"}),
                    {"RESOURCE_INACTIVE"},
                )
            )
        elif kind == "remove":
            operations.append(
                Operation(
                    "toggleAccess(off)",
                    TOGGLE_ACCESS,
                    {"id": str(rng.choice(targets)), "enabled": False, "accept": False, "key": key},
                    "toggleAccess",
                    {"ToggleAccessSuccess"},
                    {"LAST_ADMIN"},
                )
            )
        elif kind == "set":
            operations.append(
                Operation(
                    "setLicenseCount",
                    SET_LICENSE_COUNT,
                    {"count": rng.randint(5, 40), "key": key},
                    "setLicenseCount",
                    {"SetLicenseCountSuccess", "LicenseBelowUsage"},
                )
            )
        else:
            operations.append(
                Operation(
                    "terminate",
                    TERMINATE,
                    {"id": str(rng.choice(targets)), "day": today, "key": key},
                    "terminate",
                    {"TerminateSuccess"},
                    {"RESOURCE_INACTIVE", "LAST_ADMIN"},
                )
            )
    return operations


def check_answer(outcome: Outcome) -> dict[str, Any] | None:
    """An answer that arrived is one the API promises, never a masked internal error (R14).
    Returns the mutation's result if it succeeded."""
    op, body = outcome.operation, outcome.body
    assert body is not None
    where = f"{op.label} {op.variables} (retried: {outcome.retried}): {body}"
    errors = body.get("errors")
    if errors:
        for error in errors:
            assert UNEXPECTED not in error.get("message", ""), f"FAILED R14: {where}"
            assert error.get("extensions", {}).get("code") in op.codes, where
        return None
    result = body["data"][op.mutation]
    assert result["__typename"] in op.typenames, where
    if result["__typename"] in ("LicenseIncreaseRequired", "LicenseBelowUsage"):
        return None
    seats = result["seats"]
    assert seats["used"] <= seats["licenseCount"], f"FAILED R2 in an answer: {where}"
    return result


# --- what the database must show ----------------------------------------------------------


async def database_problems(conn: asyncpg.Connection, organization_id: int) -> list[str]:
    """R1, R2, R8, and no trace of a half-made change, in one consistent snapshot."""
    problems = []
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        org = await conn.fetchrow(
            "SELECT license_count, used FROM organization WHERE id = $1", organization_id
        )
        people = await conn.fetch(
            "SELECT id, kind, active, login_access, last_work_day FROM resource "
            "WHERE organization_id = $1",
            organization_id,
        )
        chain = await conn.fetch(
            "SELECT id, from_count, to_count, reason, resource_id FROM license_change "
            "WHERE organization_id = $1 ORDER BY id",
            organization_id,
        )
        stale_sessions = await conn.fetchval(
            "SELECT count(*) FROM session s JOIN resource r ON r.id = s.resource_id "
            "WHERE r.organization_id = $1 AND NOT (r.active AND r.login_access)",
            organization_id,
        )
    by_id = {person["id"]: person for person in people}
    using = [p for p in people if p["kind"] == "EMPLOYEE" and p["active"] and p["login_access"]]

    if org["used"] != len(using):
        problems.append(f"R1: organization.used is {org['used']}, {len(using)} licenses in use")
    if org["used"] > org["license_count"]:
        problems.append(f"R2: {org['used']} licenses used, {org['license_count']} paid for")
    if not chain or chain[0]["from_count"] != 0:
        problems.append("R8: the history does not start from 0")
    for before, after in itertools.pairwise(chain):
        if after["from_count"] != before["to_count"]:
            problems.append(
                f"R8: change {after['id']} starts at {after['from_count']}, change "
                f"{before['id']} ended at {before['to_count']}"
            )
    if chain and chain[-1]["to_count"] != org["license_count"]:
        problems.append(
            f"R8: the history ends at {chain[-1]['to_count']}, the count is {org['license_count']}"
        )

    for row in chain:
        person = by_id.get(row["resource_id"])
        if row["reason"] == "AUTO_INCREASE" and (person is None or person["kind"] != "EMPLOYEE"):
            problems.append(f"R4/R6: auto-increase {row['id']} names no employee who got access")
        if row["reason"] == "TERMINATION" and (
            person is None
            or person["active"]
            or person["login_access"]
            or person["last_work_day"] is None
        ):
            problems.append(f"R7: termination {row['id']} names {person}, not a terminated person")
    for person in people:
        if not person["active"] and person["login_access"]:
            problems.append(f"R7: resource {person['id']} is terminated but can sign in")
    if stale_sessions:
        problems.append(f"R5/R7: {stale_sessions} sessions of people who may no longer sign in")
    return problems


# --- the test -------------------------------------------------------------------------------


@pytest.fixture
async def database_url() -> Any:
    url = await create_postgres_database("seats_crash")
    try:
        yield url
    finally:
        await drop_postgres_database(url)


async def _data(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


async def _wait_until_healthy(server: Server, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=server.base_url, timeout=2) as http:
        while time.monotonic() < deadline:
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"/healthz did not answer after the crash:\n{server.log_tail()}")


async def test_r1_r2_r8_r13_hold_when_a_worker_is_killed_mid_burst(
    database_url: str, tmp_path: Path
) -> None:
    """R1, R2, R8 and R13 across a crash: SIGKILL one of two worker processes while 150
    license mutations are in flight. No change is left half-made, the invariants hold, the
    surviving (and restarted) processes serve on, and retrying the lost requests with their
    idempotency keys accounts for every change exactly once."""
    assert Path("/proc/net/tcp").exists(), "this test reads the process table of Linux"
    run_cli(database_url, "migrate")
    run_cli(
        database_url,
        "create-admin",
        "--org",
        "Crash Ltd",
        "--email",
        ADMIN_EMAIL,
        "--password",
        ADMIN_PASSWORD,
        "--name",
        "Ada Admin",
    )
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        organization_id = await conn.fetchval("SELECT id FROM organization")
        async with running_server(database_url, tmp_path, workers=WORKERS) as server:
            await _crash_mid_burst(server, conn, organization_id)
    finally:
        await conn.close()


async def _crash_mid_burst(server: Server, conn: asyncpg.Connection, organization_id: int) -> None:
    parent = server.process.pid
    workers = worker_pids(parent)
    assert len(workers) == WORKERS, f"expected {WORKERS} workers, saw {workers}"
    today = datetime.now(UTC).date().isoformat()  # the organisation's time zone is UTC
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30, limits=limits) as http:
        login = await _data(http, LOGIN, e=ADMIN_EMAIL, p=ADMIN_PASSWORD)
        assert login["login"]["__typename"] == "LoginSuccess", login
        admin_id = int(login["login"]["me"]["id"])
        newcomers = [
            *(("Employee", "EMPLOYEE", True) for _ in range(EMPLOYEES)),
            *(("Consultant", "EXTERNAL_CONSULTANT", True) for _ in range(CONSULTANTS)),
            *(("Newcomer", "EMPLOYEE", False) for _ in range(WAITING)),
        ]
        people = []
        for n, (title, kind, access) in enumerate(newcomers):
            added = await _data(
                http,
                ADD_RESOURCE,
                input={
                    "name": f"{title} {n}",
                    "email": f"person{n}@crash.example.com",
                    "kind": kind,
                    "loginAccess": access,
                    "startDate": "2025-01-01",
                },
                accept=True,
                key=None,
            )
            assert added["addResource"]["__typename"] == "AddResourceSuccess", added
            people.append(int(added["addResource"]["resource"]["id"]))
        before = await conn.fetchval(
            "SELECT max(id) FROM license_change WHERE organization_id = $1", organization_id
        )
        assert await database_problems(conn, organization_id) == []

        # The burst, and the kill once 30% of it has been answered.
        operations = plan_burst(random.Random(SEED), people, admin_id, today)
        gate = asyncio.Semaphore(CONNECTIONS)
        done = 0
        time_to_kill = asyncio.Event()

        async def send(op: Operation, retried: bool = False) -> Outcome:
            nonlocal done
            async with gate:
                try:
                    response = await http.post(
                        "/graphql", json={"query": op.query, "variables": op.variables}
                    )
                except httpx.TransportError as error:
                    outcome = Outcome(op, None, f"{type(error).__name__}: {error}", retried)
                else:
                    assert response.status_code == 200, (op.label, response.text)
                    outcome = Outcome(op, response.json(), retried=retried)
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
        outcomes = await asyncio.gather(*(send(op) for op in operations))
        victim, held = await killer
        burst_seconds = time.monotonic() - started

        lost = [o for o in outcomes if o.body is None]
        assert lost, (
            f"the kill of worker {victim} (connections held: {held}) broke no request: "
            "nothing was in flight there"
        )
        assert server.process.poll() is None, f"the server stopped:\n{server.log_tail()}"
        await _wait_until_healthy(server)

        # Right after the crash, before anything is retried: nothing half-made.
        problems = await database_problems(conn, organization_id)
        assert problems == [], problems

        # Which lost requests the killed worker had committed, their answers lost with it.
        committed = await conn.fetchval(
            "SELECT count(*) FROM idempotency_key WHERE organization_id = $1 AND key = ANY($2)",
            organization_id,
            [o.operation.variables["key"] for o in lost],
        )

        # R13: the lost requests again, with the same keys. A change the killed worker had
        # committed is answered as it was; one it had not is made now, once.
        retried = await asyncio.gather(*(send(o.operation, retried=True) for o in lost))
        still_lost = [o for o in retried if o.body is None]
        assert not still_lost, [(o.operation.label, o.error) for o in still_lost]
        answered = [o for o in outcomes if o.body is not None] + retried
        results = [(o, check_answer(o)) for o in answered]

        problems = await database_problems(conn, organization_id)
        assert problems == [], problems

        # Every change is accounted for exactly once: each reported change is in the
        # history as reported, and each change written since the burst began was reported.
        chain = await conn.fetch(
            "SELECT id, from_count, to_count, reason FROM license_change "
            "WHERE organization_id = $1 AND id > $2 ORDER BY id",
            organization_id,
            before,
        )
        written = {row["id"]: row for row in chain}
        reported = [r["change"] for _, r in results if r is not None and r.get("change")]
        reported_ids = [int(change["id"]) for change in reported]
        assert len(reported_ids) == len(set(reported_ids)), "R13: a change was made twice"
        assert set(reported_ids) == set(written), (
            f"R8: reported but not written: {sorted(set(reported_ids) - set(written))}; "
            f"written but not reported: {sorted(set(written) - set(reported_ids))}"
        )
        for change in reported:
            row = written[int(change["id"])]
            assert (change["fromCount"], change["toCount"], change["reason"]) == (
                row["from_count"],
                row["to_count"],
                row["reason"],
            ), (change, dict(row))

        # The same for the people added: each once, as answered.
        added = {
            r["resource"]["email"]: r["resource"]
            for o, r in results
            if r is not None and o.operation.mutation == "addResource"
        }
        stored = await conn.fetch(
            "SELECT id, email, kind, login_access FROM resource "
            "WHERE organization_id = $1 AND email LIKE 'burst%'",
            organization_id,
        )
        assert sorted(row["email"] for row in stored) == sorted(added), "R6: lost or doubled"
        for row in stored:
            answer = added[row["email"]]
            assert (str(row["id"]), row["kind"], row["login_access"]) == (
                answer["id"],
                answer["kind"],
                answer["loginAccess"],
            ), (answer, dict(row))

        # The service works on: its answer agrees with the database, and a new change works.
        org = await conn.fetchrow(
            "SELECT license_count, used FROM organization WHERE id = $1", organization_id
        )
        seats = (await _data(http, SEATS_QUERY))["seats"]
        assert (seats["licenseCount"], seats["used"]) == (org["license_count"], org["used"])
        after = await _data(http, SET_LICENSE_COUNT, count=org["license_count"] + 1, key=None)
        assert after["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess", after
        assert await database_problems(conn, organization_id) == []

    # uvicorn's supervisor starts a new worker in place of the killed one.
    deadline = time.monotonic() + 20
    while len(worker_pids(parent)) < WORKERS and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    now_workers = worker_pids(parent)
    tally = collections.Counter(
        f"{o.operation.label} -> "
        + ("lost" if o.body is None else _summary(o.body, o.operation.mutation))
        for o in outcomes
    )
    print(*sorted(tally.items()), sep="\n")
    print(
        f"killed worker {victim} after {KILL_AFTER} answers (connections held: {held}); "
        f"{len(lost)} requests lost and retried ({committed} of them had been committed); "
        f"burst {burst_seconds:.1f} s; "
        f"workers before {workers}, after {now_workers}"
    )
    assert victim not in now_workers


def _summary(body: dict[str, Any], mutation: str) -> str:
    if body.get("errors"):
        return "/".join(sorted(e.get("extensions", {}).get("code", "?") for e in body["errors"]))
    return body["data"][mutation]["__typename"]
