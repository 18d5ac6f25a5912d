"""R1, R2 and R8 under real concurrency: one server with four worker processes, on PostgreSQL,
receives 200 license-changing mutations at once. After the burst (and at every moment a
watcher looks in between) the licenses used never exceed the licenses paid for, `used` is the
live count of the people it counts, and the history is one unbroken chain in which every
accepted change appears exactly once."""

from __future__ import annotations

import asyncio
import collections
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.factories import error_codes

pytestmark = pytest.mark.postgres_only

ROOT = Path(__file__).resolve().parent.parent
ADMIN_EMAIL = "admin@concurrency.example.com"
ADMIN_PASSWORD = "a long enough password"
WORKERS = 4
EMPLOYEES = 20
CONSULTANTS = 4
WAITING = 10
MUTATIONS = 200
CONNECTIONS = 32
OPENING = 40  # operations that free no license, at the start of the burst
SEED = 20_261_128
UNEXPECTED = "Something went wrong"

CHANGE = "change { id fromCount toCount reason }"
SEATS = "seats { licenseCount used available reducibleBy }"

ADD_RESOURCE = f"""
mutation($input: AddResourceInput!, $accept: Boolean!) {{
  addResource(input: $input, acceptLicenseIncrease: $accept) {{
    __typename
    ... on AddResourceSuccess {{ resource {{ id kind loginAccess usesLicense }} {SEATS} {CHANGE} }}
    ... on LicenseIncreaseRequired {{ currentCount newCount message }}
  }}
}}"""

TOGGLE_ACCESS = f"""
mutation($id: ID!, $enabled: Boolean!, $accept: Boolean!) {{
  toggleAccess(resourceId: $id, enabled: $enabled, acceptLicenseIncrease: $accept) {{
    __typename
    ... on ToggleAccessSuccess {{ resource {{ id loginAccess }} {SEATS} {CHANGE} message }}
    ... on LicenseIncreaseRequired {{ currentCount newCount message }}
  }}
}}"""

SET_LICENSE_COUNT = f"""
mutation($count: Int!) {{
  setLicenseCount(count: $count) {{
    __typename
    ... on SetLicenseCountSuccess {{ {SEATS} {CHANGE} }}
    ... on LicenseBelowUsage {{ used requested message }}
  }}
}}"""

TERMINATE = f"""
mutation($id: ID!, $day: Date!) {{
  terminate(resourceId: $id, lastWorkDay: $day) {{
    __typename
    ... on TerminateSuccess {{ resource {{ id active loginAccess }} {SEATS} {CHANGE} }}
  }}
}}"""

REACTIVATE = f"""
mutation($id: ID!) {{
  reactivate(resourceId: $id) {{
    __typename
    ... on ReactivateSuccess {{ resource {{ id active loginAccess }} {SEATS} }}
  }}
}}"""

SEATS_QUERY = "{ seats { licenseCount used available reducibleBy } }"
HISTORY_QUERY = """
query($after: String) {
  history(first: 100, after: $after) {
    edges { node { id fromCount toCount reason } }
    pageInfo { hasNextPage endCursor }
  }
}"""

LIVE_USED = """
SELECT count(*) FROM resource
WHERE organization_id = $1 AND kind = 'EMPLOYEE' AND active AND login_access
"""
CHAIN = """
SELECT id, from_count, to_count, reason FROM license_change
WHERE organization_id = $1 ORDER BY id
"""


# --- the server, in processes of its own --------------------------------------------------


@dataclass
class Server:
    base_url: str
    database_url: str
    organization_id: int
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, size: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-size:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"`server {args[0]}` failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _process_group(pgid: int) -> list[int]:
    """The processes of a process group (Linux), to see the workers really run."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The fields after the command name, which is in parentheses: state, ppid, pgrp, ...
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid:
            found.append(int(entry.name))
    return found


def _connections_by_process(pids: list[int], port: int) -> dict[int, int]:
    """How many open TCP connections to `port` each process holds (Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            columns = line.split()
            local_port = int(columns[1].rsplit(":", 1)[1], 16)
            if local_port == port and columns[3] == "01":  # ESTABLISHED
                inodes.add(f"socket:[{columns[9]}]")
    held = {}
    for pid in pids:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        count = 0
        for fd in fds:
            try:
                count += os.readlink(fd) in inodes
            except OSError:
                continue
        held[pid] = count
    return held


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers: the whole process group it leads."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue


async def _wait_until_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, f"the server stopped:\n{log.read_text()[-4000:]}"
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"the server did not answer /healthz in 30 s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    database_url = await create_postgres_database("seats_concurrency")
    process = None
    try:
        env = {**os.environ, "DATABASE_URL": database_url}
        _run_cli(env, "migrate")
        _run_cli(
            env,
            "create-admin",
            "--org",
            "Concurrency Ltd",
            "--email",
            ADMIN_EMAIL,
            "--password",
            ADMIN_PASSWORD,
            "--name",
            "Ada Admin",
        )
        conn = await asyncpg.connect(_pg(database_url))
        try:
            organization_id = await conn.fetchval("SELECT id FROM organization")
        finally:
            await conn.close()

        port = _free_port()
        log = tmp_path_factory.mktemp("server") / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server",
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(WORKERS),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base_url = f"http://127.0.0.1:{port}"
        await _wait_until_healthy(base_url, process, log)
        yield Server(base_url, database_url, organization_id, process, log)
    finally:
        if process is not None:
            _stop(process)
        await drop_postgres_database(database_url)


# --- talking to it --------------------------------------------------------------------------


async def _post(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


async def _data(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await _post(http, query, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


@dataclass
class Operation:
    """One mutation of the burst, with the outcomes it may have."""

    label: str
    query: str
    variables: dict[str, Any]
    mutation: str
    typenames: set[str]
    codes: set[str] = field(default_factory=set)


@dataclass
class Outcome:
    operation: Operation
    status: int
    body: dict[str, Any]


def plan_burst(
    rng: random.Random, people: list[int], waiting: list[int], admin_id: int, today: date
) -> list[Operation]:
    """A fixed, seeded mix of every mutation that touches licenses or login access.

    All licenses are in use when the burst starts, and its first OPENING operations (the
    first wave of requests) never free one: so the unaccepted grants among them meet a full
    organisation and are answered LicenseIncreaseRequired (R4) whatever the interleaving,
    save the odd one overtaken by a later request."""
    targets = [*people, admin_id]
    serial = itertools.count(1)
    operations = []
    mix = {
        "add": 20,
        "grant": 16,
        "grant-unaccepted": 16,
        "remove": 12,
        "set": 16,
        "terminate": 12,
        "reactivate": 8,
    }
    opening = {kind: weight for kind, weight in mix.items() if kind not in ("remove", "set")}
    for i in range(MUTATIONS):
        now = opening if i < OPENING else mix
        kind = rng.choices(list(now), list(now.values()))[0]
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
                            "email": f"burst{n}@concurrency.example.com",
                            "kind": "EMPLOYEE" if employee else "EXTERNAL_CONSULTANT",
                            "loginAccess": rng.random() < 0.9,
                            "startDate": "2025-01-01",
                        },
                        "accept": True,
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
                    {
                        "id": str(rng.choice(targets if accept else waiting)),
                        "enabled": True,
                        "accept": accept,
                    },
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
                    {
                        "id": str(rng.choice(targets)),
                        "enabled": False,
                        "accept": rng.random() < 0.5,
                    },
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
                    {"count": rng.randint(0, 45)},
                    "setLicenseCount",
                    {"SetLicenseCountSuccess", "LicenseBelowUsage"},
                )
            )
        elif kind == "terminate":
            operations.append(
                Operation(
                    "terminate",
                    TERMINATE,
                    {"id": str(rng.choice(targets)), "day": today.isoformat()},
                    "terminate",
                    {"TerminateSuccess"},
                    {"RESOURCE_INACTIVE", "LAST_ADMIN"},
                )
            )
        else:
            operations.append(
                Operation(
                    "reactivate",
                    REACTIVATE,
                    {"id": str(rng.choice(people))},
                    "reactivate",
                    {"ReactivateSuccess"},
                    {"RESOURCE_ALREADY_ACTIVE"},
                )
            )
    return operations


# --- what must hold -----------------------------------------------------------------------


def invariant_problems(
    license_count: int, used: int, live_used: int, chain: list[Any]
) -> list[str]:
    """R1, R2 and R8 of one consistent picture of an organisation."""
    problems = []
    if used != live_used:
        problems.append(f"R1: organization.used is {used} but {live_used} licenses are in use")
    if used > license_count:
        problems.append(f"R2: {used} licenses used but only {license_count} paid for")
    if not chain:
        return [*problems, "R8: the history is empty"]
    if chain[0]["from_count"] != 0:
        problems.append(f"R8: the history starts from {chain[0]['from_count']}, not 0")
    for before, after in itertools.pairwise(chain):
        if after["from_count"] != before["to_count"]:
            problems.append(
                f"R8: change {after['id']} starts from {after['from_count']} but change "
                f"{before['id']} ended at {before['to_count']}"
            )
        if after["from_count"] == after["to_count"]:
            problems.append(f"R8: change {after['id']} changes nothing")
    if chain[-1]["to_count"] != license_count:
        problems.append(
            f"R8: the history ends at {chain[-1]['to_count']} but the count is {license_count}"
        )
    return problems


async def _snapshot(conn: asyncpg.Connection, organization_id: int) -> tuple[Any, int, list[Any]]:
    """The organisation, its live usage and its history, all as of one moment."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        org = await conn.fetchrow(
            "SELECT license_count, used FROM organization WHERE id = $1", organization_id
        )
        live_used = await conn.fetchval(LIVE_USED, organization_id)
        chain = await conn.fetch(CHAIN, organization_id)
    return org, live_used, chain


async def watch_invariants(
    database_url: str, organization_id: int, stop: asyncio.Event, problems: list[str]
) -> int:
    """R2 "after every commit": look at consistent snapshots, again and again, while the
    burst runs. Returns how many snapshots were checked."""
    conn = await asyncpg.connect(_pg(database_url))
    samples = 0
    try:
        while not stop.is_set():
            org, live_used, chain = await _snapshot(conn, organization_id)
            found = invariant_problems(org["license_count"], org["used"], live_used, chain)
            problems.extend(f"snapshot {samples}: {p}" for p in found)
            samples += 1
            await asyncio.sleep(0.005)
    finally:
        await conn.close()
    return samples


def check_answer(outcome: Outcome) -> dict[str, Any] | None:
    """Every answer is HTTP 200 with data of an expected type, or an error with an expected
    code; never a masked internal error. Returns the reported history row, if any."""
    op, body = outcome.operation, outcome.body
    where = f"{op.label} {op.variables}: {body}"
    assert outcome.status == 200, where
    errors = body.get("errors")
    if errors:
        for error in errors:
            assert UNEXPECTED not in error.get("message", ""), where
            assert error.get("extensions", {}).get("code") in op.codes, where
        assert (body.get("data") or {}).get(op.mutation) is None, where
        return None
    result = body["data"][op.mutation]
    assert result["__typename"] in op.typenames, where
    typename = result["__typename"]
    if typename == "LicenseBelowUsage":
        assert result["requested"] < result["used"], where
        return None
    if typename == "LicenseIncreaseRequired":
        assert result["newCount"] == result["currentCount"] + 1, where
        return None
    seats = result["seats"]
    assert seats["used"] <= seats["licenseCount"], f"R2 in an answer: {where}"
    assert seats["available"] == seats["licenseCount"] - seats["used"], where
    change = result.get("change")
    if change is None:
        if typename == "SetLicenseCountSuccess":
            assert seats["licenseCount"] == op.variables["count"], where
        return None
    assert change["toCount"] == seats["licenseCount"], where
    expected = {
        "SetLicenseCountSuccess": ("MANUAL", None),
        "ToggleAccessSuccess": ("AUTO_INCREASE", 1),
        "AddResourceSuccess": ("AUTO_INCREASE", 1),
        "TerminateSuccess": ("TERMINATION", -1),
    }[typename]
    assert change["reason"] == expected[0], where
    if typename == "ToggleAccessSuccess":
        assert op.variables["accept"], f"R4: an increase nobody accepted: {where}"
    if expected[1] is not None:
        assert change["toCount"] - change["fromCount"] == expected[1], where
    else:
        assert change["toCount"] == op.variables["count"] != change["fromCount"], where
    return change


def _typename(outcome: Outcome) -> str | None:
    result = (outcome.body.get("data") or {}).get(outcome.operation.mutation)
    return result["__typename"] if result else None


# --- the test -------------------------------------------------------------------------------


async def test_r2_r8_hold_under_200_concurrent_mutations_on_4_processes(server: Server) -> None:
    """R1, R2, R8 (with R3 to R7 as the mutations): 200 concurrent license mutations, spread over
    four server processes sharing one PostgreSQL database, leave used ≤ licenses after every
    commit, `used` equal to the live count, and one unbroken history in which each accepted
    change appears exactly once and nothing else does."""
    on_linux = Path("/proc/net/tcp").exists()
    workers: list[int] = []
    if on_linux:
        workers = [p for p in _process_group(server.process.pid) if p != server.process.pid]
        assert len(workers) >= WORKERS, f"expected {WORKERS} worker processes, saw {workers}"

    today = datetime.now(UTC).date()  # the organisation's time zone is UTC
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30, limits=limits) as http:
        login = await _data(
            http,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) {"
            " __typename ... on LoginSuccess { me { id role } } } }",
            e=ADMIN_EMAIL,
            p=ADMIN_PASSWORD,
        )
        assert login["login"]["__typename"] == "LoginSuccess", login
        admin_id = int(login["login"]["me"]["id"])

        # The people the burst works on, added through the API one after another: employees
        # and consultants who can sign in, and employees still waiting for login access. All
        # licenses are in use when the burst starts.
        newcomers = [
            *(("Employee", "EMPLOYEE", True) for _ in range(EMPLOYEES)),
            *(("Consultant", "EXTERNAL_CONSULTANT", True) for _ in range(CONSULTANTS)),
            *(("Newcomer", "EMPLOYEE", False) for _ in range(WAITING)),
        ]
        people, waiting = [], []
        for n, (title, kind, access) in enumerate(newcomers):
            added = await _data(
                http,
                ADD_RESOURCE,
                input={
                    "name": f"{title} {n}",
                    "email": f"person{n}@concurrency.example.com",
                    "kind": kind,
                    "loginAccess": access,
                    "startDate": "2025-01-01",
                },
                accept=True,
            )
            assert added["addResource"]["__typename"] == "AddResourceSuccess", added
            people.append(int(added["addResource"]["resource"]["id"]))
            if not access:
                waiting.append(people[-1])
        seats = (await _data(http, SEATS_QUERY))["seats"]
        assert seats["used"] == seats["licenseCount"] == EMPLOYEES + 1, seats

        conn = await asyncpg.connect(_pg(server.database_url))
        try:
            before = await conn.fetchval(
                "SELECT coalesce(max(id), 0) FROM license_change WHERE organization_id = $1",
                server.organization_id,
            )

            operations = plan_burst(random.Random(SEED), people, waiting, admin_id, today)
            gate = asyncio.Semaphore(CONNECTIONS)

            async def send(op: Operation) -> Outcome:
                async with gate:
                    response = await http.post(
                        "/graphql", json={"query": op.query, "variables": op.variables}
                    )
                body = response.json() if response.status_code == 200 else {"text": response.text}
                return Outcome(op, response.status_code, body)

            stop = asyncio.Event()
            watcher_problems: list[str] = []
            watcher = asyncio.create_task(
                watch_invariants(
                    server.database_url, server.organization_id, stop, watcher_problems
                )
            )
            started = time.monotonic()
            try:
                outcomes = await asyncio.gather(*(send(op) for op in operations))
            finally:
                stop.set()
                samples = await watcher
            burst_seconds = time.monotonic() - started
            # The client's connections are still open: see which processes accepted them.
            port = int(server.base_url.rsplit(":", 1)[1])
            spread = _connections_by_process(workers, port) if on_linux else {}
            if on_linux:
                serving = [pid for pid, held in spread.items() if held]
                assert len(serving) >= 2, f"one process served the whole burst: {spread}"

            # Every answer is one the API promises.
            reported = [c for c in (check_answer(o) for o in outcomes) if c is not None]
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
            ]:
                assert expected in kinds, f"the burst never produced {expected}: {kinds}"
            reasons = {c["reason"] for c in reported}
            assert reasons == {"MANUAL", "AUTO_INCREASE", "TERMINATION"}, reasons

            # R1, R2 and R8 in the database once everything has settled.
            org, live_used, chain = await _snapshot(conn, server.organization_id)
            assert invariant_problems(org["license_count"], org["used"], live_used, chain) == []

            # R8: each accepted change is in the history exactly once, and nothing else is.
            reported_ids = [int(c["id"]) for c in reported]
            assert len(reported_ids) == len(set(reported_ids)), "a change was reported twice"
            written = {row["id"]: row for row in chain if row["id"] > before}
            assert set(reported_ids) == set(written), (
                f"reported but not written: {sorted(set(reported_ids) - set(written))}; "
                f"written but not reported: {sorted(set(written) - set(reported_ids))}"
            )
            for change in reported:
                row = written[int(change["id"])]
                assert (change["fromCount"], change["toCount"], change["reason"]) == (
                    row["from_count"],
                    row["to_count"],
                    row["reason"],
                ), (change, dict(row))
        finally:
            await conn.close()

        # The API tells the same story as the database.
        seats = (await _data(http, SEATS_QUERY))["seats"]
        assert seats == {
            "licenseCount": org["license_count"],
            "used": org["used"],
            "available": org["license_count"] - org["used"],
            "reducibleBy": org["license_count"] - org["used"],
        }
        history, after = [], None
        while True:
            page = (await _data(http, HISTORY_QUERY, after=after))["history"]
            history += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert history == [
            {
                "id": str(row["id"]),
                "fromCount": row["from_count"],
                "toCount": row["to_count"],
                "reason": row["reason"],
            }
            for row in reversed(chain)
        ]

    assert server.process.poll() is None, f"the server stopped:\n{server.log_tail()}"
    tally = collections.Counter(
        f"{o.operation.label} -> {_typename(o) or error_codes(o.body)}" for o in outcomes
    )
    print(*sorted(tally.items()), sep="\n")
    print("connections per worker process:", spread)
    print(f"burst of {MUTATIONS} mutations: {burst_seconds:.1f} s, {samples} snapshots checked")
