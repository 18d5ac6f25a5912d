"""Bursts of concurrent license mutations against a real server on PostgreSQL, and what must
hold afterwards: the GraphQL documents, a seeded plan of mixed mutations, the checks of every
answer, and R1, R2 and R8 read straight from the database."""

from __future__ import annotations

import asyncio
import collections
import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import httpx

from server.api import ids
from tests.servers import run_cli

UNEXPECTED = "Something went wrong"

CHANGE = "change { id fromCount toCount reason }"
SEATS = "seats { licenseCount used available reducibleBy }"

# Every document takes an idempotency key; without one (null) the mutation is not deduplicated.
ADD_RESOURCE = f"""
mutation($input: AddResourceInput!, $accept: Boolean!, $key: String) {{
  addResource(input: $input, acceptLicenseIncrease: $accept, idempotencyKey: $key) {{
    __typename
    ... on AddResourceSuccess {{
      resource {{ id email kind loginAccess usesLicense }} {SEATS} {CHANGE}
    }}
    ... on LicenseIncreaseRequired {{ currentCount newCount message }}
  }}
}}"""

TOGGLE_ACCESS = f"""
mutation($id: ID!, $enabled: Boolean!, $accept: Boolean!, $key: String) {{
  toggleAccess(resourceId: $id, enabled: $enabled, acceptLicenseIncrease: $accept,
               idempotencyKey: $key) {{
    __typename
    ... on ToggleAccessSuccess {{ resource {{ id loginAccess }} {SEATS} {CHANGE} message }}
    ... on LicenseIncreaseRequired {{ currentCount newCount message }}
  }}
}}"""

SET_LICENSE_COUNT = f"""
mutation($count: Int!, $key: String) {{
  setLicenseCount(count: $count, idempotencyKey: $key) {{
    __typename
    ... on SetLicenseCountSuccess {{ {SEATS} {CHANGE} }}
    ... on LicenseBelowUsage {{ used requested message }}
  }}
}}"""

TERMINATE = f"""
mutation($id: ID!, $day: Date!, $key: String) {{
  terminate(resourceId: $id, lastWorkDay: $day, idempotencyKey: $key) {{
    __typename
    ... on TerminateSuccess {{ resource {{ id active loginAccess }} {SEATS} {CHANGE} }}
  }}
}}"""

REACTIVATE = f"""
mutation($id: ID!, $key: String) {{
  reactivate(resourceId: $id, idempotencyKey: $key) {{
    __typename
    ... on ReactivateSuccess {{ resource {{ id active loginAccess }} {SEATS} }}
  }}
}}"""

# Bulk changes (issue 15): several people in one change; every history row it wrote.
BULK_PEOPLE = "people { resource { id } changed code }"
BULK_SET_ACCESS = f"""
mutation($ids: [ID!]!, $enabled: Boolean!, $accept: Boolean!, $reduce: Boolean!, $key: String) {{
  bulkSetAccess(resourceIds: $ids, enabled: $enabled, acceptLicenseIncrease: $accept,
                reduceLicenseCount: $reduce, idempotencyKey: $key) {{
    __typename
    ... on BulkChangeSuccess {{ {BULK_PEOPLE} {SEATS} changes {{ id fromCount toCount reason }} }}
    ... on LicenseIncreaseRequired {{ currentCount newCount message }}
  }}
}}"""

BULK_TERMINATE = f"""
mutation($ids: [ID!]!, $day: Date!, $key: String) {{
  bulkTerminate(resourceIds: $ids, lastWorkDay: $day, idempotencyKey: $key) {{
    __typename
    ... on BulkChangeSuccess {{ {BULK_PEOPLE} {SEATS} changes {{ id fromCount toCount reason }} }}
  }}
}}"""

LOGIN = """
mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) { __typename ... on LoginSuccess { me { id role } } }
}"""

SEATS_QUERY = f"{{ {SEATS} }}"

ORGANIZATION = """
SELECT license_count, used,
    active_employees, active_consultants, inactive_employees, inactive_consultants
FROM organization WHERE id = $1
"""
LIVE_PEOPLE = """
SELECT
    count(*) FILTER (WHERE active AND kind = 'EMPLOYEE') AS active_employees,
    count(*) FILTER (WHERE active AND kind = 'EXTERNAL_CONSULTANT') AS active_consultants,
    count(*) FILTER (WHERE NOT active AND kind = 'EMPLOYEE') AS inactive_employees,
    count(*) FILTER (WHERE NOT active AND kind = 'EXTERNAL_CONSULTANT') AS inactive_consultants
FROM resource WHERE organization_id = $1
"""
PEOPLE_COUNTS = (
    "active_employees",
    "active_consultants",
    "inactive_employees",
    "inactive_consultants",
)
LIVE_USED = """
SELECT count(*) FROM resource
WHERE organization_id = $1 AND kind = 'EMPLOYEE' AND active AND login_access
"""
CHAIN = """
SELECT id, from_count, to_count, reason, resource_id FROM license_change
WHERE organization_id = $1 ORDER BY id
"""


# --- the organisation and its people --------------------------------------------------------


def asyncpg_url(database_url: str) -> str:
    return database_url.replace("postgres://", "postgresql://", 1)


async def create_organisation(
    database_url: str, name: str, admin_email: str, admin_password: str
) -> int:
    """Migrates an empty database and creates one organisation with its administrator, with
    the command line; returns the organisation's id."""
    run_cli(database_url, "migrate")
    run_cli(
        database_url,
        "create-admin",
        "--org",
        name,
        "--email",
        admin_email,
        "--password",
        admin_password,
        "--name",
        "Ada Admin",
    )
    conn = await asyncpg.connect(asyncpg_url(database_url))
    try:
        return await conn.fetchval("SELECT id FROM organization")
    finally:
        await conn.close()


def burst_client(base_url: str, connections: int) -> httpx.AsyncClient:
    """A client that keeps up to `connections` requests in flight, each on a connection of
    its own (so that they spread over the server's worker processes)."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits)


async def data(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """The data of a GraphQL request that must succeed without errors."""
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


async def sign_in(http: httpx.AsyncClient, email: str, password: str) -> int:
    """Signs the client in (its cookie); returns the person's id."""
    login = await data(http, LOGIN, e=email, p=password)
    assert login["login"]["__typename"] == "LoginSuccess", login
    return ids.decode(login["login"]["me"]["id"], ids.RESOURCE, "id")


async def add_people(
    http: httpx.AsyncClient, domain: str, *, employees: int, consultants: int, waiting: int
) -> tuple[list[int], list[int]]:
    """The people a burst works on, added through the API one after another: employees and
    consultants who can sign in, and employees still waiting for login access. Returns the
    ids of them all, and of those waiting."""
    newcomers = [
        *(("Employee", "EMPLOYEE", True) for _ in range(employees)),
        *(("Consultant", "EXTERNAL_CONSULTANT", True) for _ in range(consultants)),
        *(("Newcomer", "EMPLOYEE", False) for _ in range(waiting)),
    ]
    people, without_access = [], []
    for n, (title, kind, access) in enumerate(newcomers):
        added = await data(
            http,
            ADD_RESOURCE,
            input={
                "name": f"{title} {n}",
                "email": f"person{n}@{domain}",
                "kind": kind,
                "loginAccess": access,
                "startDate": "2025-01-01",
            },
            accept=True,
        )
        assert added["addResource"]["__typename"] == "AddResourceSuccess", added
        people.append(ids.decode(added["addResource"]["resource"]["id"], ids.RESOURCE, "id"))
        if not access:
            without_access.append(people[-1])
    return people, without_access


# --- the burst ------------------------------------------------------------------------------


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
    body: dict[str, Any] | None  # None: the request failed in transport
    status: int = 200
    error: str = ""
    retried: bool = False
    headers: dict[str, str] = field(default_factory=dict)  # of the answer, names in lower case


# The kinds of operation that may free a license.
FREEING = ("remove", "set", "bulk-remove")


# Every change of licenses or login access, as the fault tests send it: adding people (the
# auto-increase accepted), access on and off, count changes, terminations.
FAULT_MIX = {
    "add": 24,
    "grant": 20,
    "grant-unaccepted": 8,
    "remove": 18,
    "set": 16,
    "terminate": 14,
}


def fault_burst(seed: int, domain: str, key_prefix: str) -> Burst:
    """150 such mutations, each with an idempotency key of its own for the retry after the
    fault (a killed worker, a restarted database)."""
    return Burst(
        seed=seed,
        mutations=150,
        mix=FAULT_MIX,
        domain=domain,
        counts=(5, 40),
        key_prefix=key_prefix,
    )


@dataclass(frozen=True)
class Burst:
    """A fixed, seeded mix of the mutations that touch licenses or login access.

    `mix` weighs the kinds: add (the increase accepted), grant, grant-unaccepted, remove,
    set (a count drawn from `counts`), terminate, reactivate, and the bulk changes of two to
    five people: bulk-grant (the increase accepted), bulk-remove (reducing the count by the
    licenses freed, or not), bulk-terminate. The first `opening` operations
    are none that may free a license. Removals draw their (irrelevant) acceptance if
    `draw_accept_on_remove`. With `key_prefix` each operation has an idempotency key of its
    own."""

    seed: int
    mutations: int
    mix: dict[str, int]
    domain: str  # of the people added
    counts: tuple[int, int]
    opening: int = 0
    draw_accept_on_remove: bool = False
    key_prefix: str | None = None

    def plan(
        self,
        people: list[int],
        admin_id: int,
        *,
        waiting: list[int] | None = None,
        today: date | None = None,
    ) -> list[Operation]:
        """The operations on `people` and the administrator; unaccepted grants go to `waiting`
        if given. Terminations are for `today` (by default today in UTC, the organisation's
        time zone)."""
        rng = random.Random(self.seed)
        day = (today or datetime.now(UTC).date()).isoformat()
        targets = [*people, admin_id]
        serial = itertools.count(1)
        first = {kind: weight for kind, weight in self.mix.items() if kind not in FREEING}
        operations = []
        for i in range(self.mutations):
            now = first if i < self.opening else self.mix
            kind = rng.choices(list(now), list(now.values()))[0]
            key = {} if self.key_prefix is None else {"key": f"{self.key_prefix}-{i}"}
            if kind == "add":
                n = next(serial)
                employee = rng.random() < 0.85
                operation = Operation(
                    "addResource",
                    ADD_RESOURCE,
                    {
                        "input": {
                            "name": f"Burst Person {n}",
                            "email": f"burst{n}@{self.domain}",
                            "kind": "EMPLOYEE" if employee else "EXTERNAL_CONSULTANT",
                            "loginAccess": rng.random() < 0.9,
                            "startDate": "2025-01-01",
                        },
                        "accept": True,
                        **key,
                    },
                    "addResource",
                    {"AddResourceSuccess"},
                )
            elif kind in ("grant", "grant-unaccepted"):
                accept = kind == "grant"
                among = targets if accept or waiting is None else waiting
                operation = Operation(
                    f"toggleAccess(on, accept={accept})",
                    TOGGLE_ACCESS,
                    {
                        "id": ids.encode(ids.RESOURCE, rng.choice(among)),
                        "enabled": True,
                        "accept": accept,
                        **key,
                    },
                    "toggleAccess",
                    {"ToggleAccessSuccess"} | (set() if accept else {"LicenseIncreaseRequired"}),
                    {"RESOURCE_INACTIVE"},
                )
            elif kind == "remove":
                target = ids.encode(ids.RESOURCE, rng.choice(targets))
                operation = Operation(
                    "toggleAccess(off)",
                    TOGGLE_ACCESS,
                    {
                        "id": target,
                        "enabled": False,
                        "accept": self.draw_accept_on_remove and rng.random() < 0.5,
                        **key,
                    },
                    "toggleAccess",
                    {"ToggleAccessSuccess"},
                    {"LAST_ADMIN"},
                )
            elif kind == "set":
                operation = Operation(
                    "setLicenseCount",
                    SET_LICENSE_COUNT,
                    {"count": rng.randint(*self.counts), **key},
                    "setLicenseCount",
                    {"SetLicenseCountSuccess", "LicenseBelowUsage"},
                )
            elif kind == "terminate":
                operation = Operation(
                    "terminate",
                    TERMINATE,
                    {"id": ids.encode(ids.RESOURCE, rng.choice(targets)), "day": day, **key},
                    "terminate",
                    {"TerminateSuccess"},
                    {"RESOURCE_INACTIVE", "LAST_ADMIN"},
                )
            elif kind == "reactivate":
                operation = Operation(
                    "reactivate",
                    REACTIVATE,
                    {"id": ids.encode(ids.RESOURCE, rng.choice(people)), **key},
                    "reactivate",
                    {"ReactivateSuccess"},
                    {"RESOURCE_ALREADY_ACTIVE"},
                )
            elif kind in ("bulk-grant", "bulk-remove"):
                chosen = rng.sample(targets, rng.randint(2, min(5, len(targets))))
                enabled = kind == "bulk-grant"
                operation = Operation(
                    kind,
                    BULK_SET_ACCESS,
                    {
                        "ids": [ids.encode(ids.RESOURCE, rid) for rid in chosen],
                        "enabled": enabled,
                        "accept": enabled,
                        "reduce": not enabled and rng.random() < 0.5,
                        **key,
                    },
                    "bulkSetAccess",
                    {"BulkChangeSuccess"},
                )
            elif kind == "bulk-terminate":
                chosen = rng.sample(targets, rng.randint(2, min(5, len(targets))))
                operation = Operation(
                    kind,
                    BULK_TERMINATE,
                    {"ids": [ids.encode(ids.RESOURCE, rid) for rid in chosen], "day": day, **key},
                    "bulkTerminate",
                    {"BulkChangeSuccess"},
                )
            else:
                raise ValueError(f"no such kind of operation: {kind}")
            operations.append(operation)
        return operations


async def send(
    http: httpx.AsyncClient, gate: asyncio.Semaphore, op: Operation, *, retried: bool = False
) -> Outcome:
    """One operation, at most as many at once as `gate` lets through. A request that fails in
    transport is an outcome without a body."""
    async with gate:
        try:
            response = await http.post(
                "/graphql", json={"query": op.query, "variables": op.variables}
            )
        except httpx.TransportError as error:
            return Outcome(op, None, error=f"{type(error).__name__}: {error}", retried=retried)
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
    else:
        body = {"text": response.text}
    return Outcome(op, body, response.status_code, retried=retried, headers=dict(response.headers))


# --- the answers ----------------------------------------------------------------------------


def check_answer(outcome: Outcome) -> dict[str, Any] | None:
    """Every answer is HTTP 200 with data of an expected type, or an error with an expected
    code; never a masked internal error (R14). Returns the mutation's result if it succeeded."""
    op, body = outcome.operation, outcome.body
    assert body is not None, f"{op.label} {op.variables}: {outcome.error}"
    where = f"{op.label} {op.variables}{' (retried)' if outcome.retried else ''}: {body}"
    assert outcome.status == 200, where
    errors = body.get("errors")
    if errors:
        for error in errors:
            assert UNEXPECTED not in error.get("message", ""), f"R14: {where}"
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
    if typename == "BulkChangeSuccess":
        _check_bulk(op, result, where)
        return result
    change = result.get("change")
    if change is None:
        if typename == "SetLicenseCountSuccess":
            assert seats["licenseCount"] == op.variables["count"], where
        return result
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
    return result


def _check_bulk(op: Operation, result: dict[str, Any], where: str) -> None:
    """A bulk change's rows follow on from each other and end at the count it answers, each
    of the kind its action writes (R4, R7, R3 for the reduction), one per person changed."""
    changes, seats = result["changes"], result["seats"]
    assert [p["resource"]["id"] for p in result["people"]] == op.variables["ids"], where
    for before, after in itertools.pairwise(changes):
        assert after["fromCount"] == before["toCount"], where
    if changes:
        assert changes[-1]["toCount"] == seats["licenseCount"], where
    changed = sum(p["changed"] for p in result["people"])
    if op.mutation == "bulkTerminate":
        assert all(
            c["reason"] == "TERMINATION" and c["toCount"] == c["fromCount"] - 1 for c in changes
        ), where
        assert len(changes) <= changed, where
    elif op.variables["enabled"]:
        assert all(
            c["reason"] == "AUTO_INCREASE" and c["toCount"] == c["fromCount"] + 1 for c in changes
        ), where
        assert len(changes) <= changed, where
    else:
        assert all(c["reason"] == "MANUAL" and c["toCount"] < c["fromCount"] for c in changes)
        assert len(changes) <= (1 if op.variables["reduce"] else 0), where


def changes_reported(results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every history row the successful answers name: a single change's, a bulk change's."""
    return [
        change
        for result in results
        for change in (result.get("changes") or [result.get("change")])
        if change
    ]


def summary(outcome: Outcome) -> str:
    """What became of an operation, in a word: its result's type, its error codes, or lost."""
    if outcome.body is None:
        return "lost"
    if outcome.status != 200:
        return f"HTTP {outcome.status}"
    errors = outcome.body.get("errors")
    if errors:
        return "/".join(sorted(str(e.get("extensions", {}).get("code")) for e in errors))
    return outcome.body["data"][outcome.operation.mutation]["__typename"]


def print_tally(outcomes: Iterable[Outcome]) -> None:
    tally = collections.Counter(f"{o.operation.label} -> {summary(o)}" for o in outcomes)
    print(*sorted(tally.items()), sep="\n")


# --- what the database must show ----------------------------------------------------------


@dataclass
class Snapshot:
    """An organisation, its live usage and its history, all as of one moment."""

    license_count: int
    used: int
    live_used: int
    chain: list[asyncpg.Record]
    people: dict[str, int]
    live_people: dict[str, int]

    def problems(self) -> list[str]:
        return [
            *invariant_problems(self.license_count, self.used, self.live_used, self.chain),
            *people_count_problems(self.people, self.live_people),
        ]


async def snapshot(conn: asyncpg.Connection, organization_id: int) -> Snapshot:
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        org = await conn.fetchrow(ORGANIZATION, organization_id)
        live_used = await conn.fetchval(LIVE_USED, organization_id)
        chain = await conn.fetch(CHAIN, organization_id)
        live_people = await conn.fetchrow(LIVE_PEOPLE, organization_id)
    return Snapshot(
        org["license_count"],
        org["used"],
        live_used,
        chain,
        {name: org[name] for name in PEOPLE_COUNTS},
        dict(live_people),
    )


def people_count_problems(kept: dict[str, int], live: dict[str, int]) -> list[str]:
    """The organisation's kept people counts against the people themselves."""
    return [
        f"organization.{name} is {kept[name]} but the people number {live[name]}"
        for name in PEOPLE_COUNTS
        if kept[name] != live[name]
    ]


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


async def database_problems(conn: asyncpg.Connection, organization_id: int) -> list[str]:
    """R1, R2, R7, R8, and no trace of a half-made change, in one consistent snapshot."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        org = await conn.fetchrow(ORGANIZATION, organization_id)
        people = await conn.fetch(
            "SELECT id, kind, active, login_access, last_work_day FROM resource "
            "WHERE organization_id = $1",
            organization_id,
        )
        chain = await conn.fetch(CHAIN, organization_id)
        live_people = await conn.fetchrow(LIVE_PEOPLE, organization_id)
        stale_sessions = await conn.fetchval(
            "SELECT count(*) FROM session s JOIN resource r ON r.id = s.resource_id "
            "WHERE r.organization_id = $1 AND NOT (r.active AND r.login_access)",
            organization_id,
        )
    by_id = {person["id"]: person for person in people}
    using = [p for p in people if p["kind"] == "EMPLOYEE" and p["active"] and p["login_access"]]
    problems = invariant_problems(org["license_count"], org["used"], len(using), chain)
    problems += people_count_problems({n: org[n] for n in PEOPLE_COUNTS}, dict(live_people))

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


async def assert_people_added_once(
    conn: asyncpg.Connection, organization_id: int, results: list[tuple[Outcome, Any]]
) -> None:
    """R6 (and R13): the people a burst added (`results`: each answer with what
    `check_answer` made of it) are stored each once, as they were answered."""
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
        assert (ids.encode(ids.RESOURCE, row["id"]), row["kind"], row["login_access"]) == (
            answer["id"],
            answer["kind"],
            answer["loginAccess"],
        ), (answer, dict(row))


async def last_change_id(conn: asyncpg.Connection, organization_id: int) -> int:
    return await conn.fetchval(
        "SELECT coalesce(max(id), 0) FROM license_change WHERE organization_id = $1",
        organization_id,
    )


def assert_written_once(reported: list[dict[str, Any]], written: Iterable[Any]) -> None:
    """R8 (and R13): each change an answer reported is in the history exactly once, as it was
    reported, and each change `written` was reported."""
    rows = {row["id"]: row for row in written}
    reported_ids = [ids.decode(change["id"], ids.LICENSE_CHANGE, "id") for change in reported]
    assert len(reported_ids) == len(set(reported_ids)), "a change was reported twice"
    assert set(reported_ids) == set(rows), (
        f"R8: reported but not written: {sorted(set(reported_ids) - set(rows))}; "
        f"written but not reported: {sorted(set(rows) - set(reported_ids))}"
    )
    for change in reported:
        row = rows[ids.decode(change["id"], ids.LICENSE_CHANGE, "id")]
        assert (change["fromCount"], change["toCount"], change["reason"]) == (
            row["from_count"],
            row["to_count"],
            row["reason"],
        ), (change, dict(row))
