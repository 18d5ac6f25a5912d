"""R11, R12 and R14 under generated input: every query and mutation of `schema.graphql`,
with arguments a generator makes up (valid ones, and invalid ones the schema must refuse), sent
to the app in-process, first as a signed-in administrator of an organisation with people,
history and invoices, then as an API token that may only read seats.

Whatever is sent, the answer is never a 5xx or a stack trace; it is JSON with `data` and/or
`errors`; every error has a message; every error from a resolver carries one of the documented
codes, never the masked INTERNAL_SERVER_ERROR of an unexpected exception. The administrator may
do everything (R11) and the organisation's figures still hold afterwards (R1, R2, R8). The
read-only token is refused every change with FORBIDDEN and changes nothing in the database.

The cases are generated in a worker thread (the generator is synchronous) and each one is sent
on the test's own event loop, which owns the ORM's connections. Generation is seeded: the same
cases are sent on every run.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import traceback
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.transport import Response as CheckedResponse
from schemathesis.generation import GenerationMode
from schemathesis.graphql import nodes

from server.accounts.models import ApiToken, Organization, Resource, ResourceKind, Role
from server.api import ids
from server.app import create_app
from server.billing.services import issue_due_invoices
from server.idempotency import IdempotencyKey
from server.licensing import services
from server.licensing.models import LicenseChange
from server.settings import Settings
from tests.factories import (
    MAXIMUM,
    PASSWORD,
    actor_for,
    assert_invariants,
    error_codes,
    make_org,
)
from tests.test_docs import readme_table

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "http://testserver"
GRAPHQL_URL = f"{BASE_URL}/graphql"

# About 300 generated operations per caller: valid arguments (and selections) for each of the
# 20 root fields, more for those whose arguments matter most; then invalid arguments.
EXAMPLES = {"Query": 12, "Mutation": 20, "no arguments": 4, "invalid": 3}
SEED = 20_261_128
# Stands, in a generated `expectedLicenseCount`, for the count the caller saw: the current one,
# put in just before sending (R3-R7 with optimistic concurrency, as integrations use it).
SEEN_COUNT = 987_654

# The codes the README's table documents (tests/test_docs.py holds that table to the codes the
# service answers with): one list, kept in one place.
DOCUMENTED_CODES = readme_table("| code | when |")
# What a token with seats:read may read; everything else it is refused.
# R16: the license policy and the license requests too, for integrations to learn where the
# requests they caused stand.
SEATS_READ_FIELDS = {
    "me",
    "seats",
    "resources",
    "resource",
    "history",
    "seatUsage",
    "licensePolicy",
    "licenseRequests",
    # Issue 15: the unused licenses are part of the licenses page.
    "unusedLicenses",
}
# Signing in and out are open to anyone (they act on the caller's own session, not on the
# organisation), so a token is not refused them: they are not changes a scope governs.
OPEN_MUTATIONS = {"login", "logout"}
NON_NULL_VIOLATION = "Cannot return null for non-nullable field"

# East of UTC, with a local mean time offset in its early history: days are not UTC days.
TIME_ZONE = "Europe/Stockholm"
TODAY = datetime.now(ZoneInfo(TIME_ZONE)).date()
# Last work days and date filters: mostly around today (now, scheduled, before the start
# date), sometimes anywhere in the calendar, including its very ends.
_NEAR_TODAY = st.integers(min_value=-800, max_value=120).map(lambda d: TODAY + timedelta(days=d))
_EDGE_DATES = st.sampled_from([date.min, date.max, date(2025, 1, 1), date(1970, 1, 1)])
schemathesis.graphql.scalar(
    "Date",
    st.one_of(_NEAR_TODAY, _EDGE_DATES, st.dates()).map(lambda d: nodes.String(d.isoformat())),
)


# --- the organisation the generated operations work on -----------------------------------


@dataclass
class World:
    organization_id: int
    admin: Resource
    admin_password: str
    people: list[Resource]
    foreign_ids: list[int]
    member_emails: list[str]
    taken_emails: list[str]


async def build_world() -> World:
    """An organisation three months old with invoices, people of every kind and state, a
    history of changes, and a second organisation whose ids must look missing (R12)."""
    started = datetime.now(UTC) - timedelta(days=80)
    org = await make_org("Fuzz Ltd", time_zone=TIME_ZONE, license_count=12, now=started)
    people = [
        *[await org.add(f"Employee {n}") for n in range(5)],
        *[await org.add(f"Waiting {n}", access=False) for n in range(3)],
        *[
            await org.add(f"Consultant {n}", kind=ResourceKind.EXTERNAL_CONSULTANT)
            for n in range(2)
        ],
        await org.add("Manager", role=Role.RESOURCE_MANAGER, password=PASSWORD),
        await org.add("Member", password=PASSWORD),
    ]
    leaver = await org.add("Leaver")
    await services.terminate(org.actor, leaver.id, TODAY)
    staying = await org.add("Staying a while")
    await services.terminate(org.actor, staying.id, TODAY + timedelta(days=30))
    people += [leaver, staying]
    await org.set_count(15)
    await org.set_count(14)
    await issue_due_invoices(datetime.now(UTC))

    other = await make_org("Other Ltd", license_count=3)
    foreign = await other.add("Their Person")
    await services.terminate(other.actor, (await other.add("Their Leaver")).id, TODAY)
    await assert_invariants(org.id)
    return World(
        organization_id=org.id,
        admin=org.admin,
        admin_password=PASSWORD,
        people=people,
        foreign_ids=[foreign.id, other.admin.id],
        member_emails=[p.email for p in people[-4:]],
        taken_emails=[org.admin.email, people[0].email, foreign.email],
    )


def fuzz_schema(world: World, token_ids: list[int], cursors: dict[str, str]) -> Any:
    """The exported schema, with dictionaries that steer a share of the generated arguments to
    values that reach the resolvers' real work: this organisation's ids, real cursors, names,
    free and taken e-mail addresses, the count the caller saw, reused idempotency keys."""
    own = [p.id for p in world.people] + [world.admin.id]
    people = [ids.encode(ids.RESOURCE, pk) for pk in own + world.foreign_ids]
    tokens = [ids.encode(ids.API_TOKEN, pk) for pk in token_ids]
    # Keys of one kind sent as the other, bare keys, and strings that are no id at all.
    wrong_kind = [ids.encode(ids.API_TOKEN, pk) for pk in own[:2]]
    wrong_kind += [ids.encode(ids.RESOURCE, pk) for pk in token_ids]
    malformed = [str(own[0]), str(token_ids[0]), "0", "-1", "abc", "1.5", " 7"]
    malformed += ["99999999999999999999", str(2**31), str(2**63), people[0] + "=", "A" * 5000]
    id_values = people + tokens + wrong_kind + malformed
    fresh = [f"new{n}@fuzz.example.com" for n in range(20)]
    taken = world.taken_emails + [e.upper() for e in world.taken_emails[:1]]
    data = {
        "dictionaries": {
            "ids": {"values": id_values},
            "new-emails": {"values": fresh + taken + ["not-an-email", " spaced@fuzz.example.com"]},
            # The administrator's own address is left out: failed tries would throttle it.
            "login-emails": {"values": [*world.member_emails, "nobody@fuzz.example.com"]},
            "passwords": {"values": [PASSWORD, PASSWORD, "short", "x" * 300]},
            "names": {
                "values": ["Ada Lovelace", "Zoë Ström", "  Zoë  Ström ", "Li", "x" * 201, "\t"]
            },
            "counts": {"values": [0, 1, 5, 12, 14, 15, 20, 50, MAXIMUM, MAXIMUM + 1, -1]},
            "page-sizes": {"values": [1, 2, 50, 500, 501, 0, -1]},
            # Integrations pass the count they saw; a stale one is refused LICENSE_COUNT_CHANGED.
            "expected-counts": {"values": [SEEN_COUNT, SEEN_COUNT, SEEN_COUNT, 0, -1]},
            "keys": {"values": ["fuzz-key-1", "fuzz-key-2", "fuzz-key-3", "k" * 201]},
            "terminate-keys": {"values": ["fuzz-terminate-1", "fuzz-terminate-2"]},
            # Last work days a termination can take (today, soon, later), and one it cannot.
            "work-days": {
                "values": [
                    day.isoformat()
                    for day in (TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=30))
                ]
                + ["2000-01-01"]
            },
            **{
                f"{name}-cursors": {"values": [cursor, cursor, "bm90LWEtY3Vyc29y", "!!"]}
                for name, cursor in cursors.items()
            },
        },
        "parameters": {
            "Query.resource.id": {"dictionary": "ids", "probability": 0.8},
            "Mutation.*.resourceId": {"dictionary": "ids", "probability": 0.8},
            "Mutation.revokeApiToken.id": {"dictionary": "ids", "probability": 0.8},
            # One person's history: most often a real person, so that the rows come back.
            "Query.history.resourceId": {"dictionary": "ids", "probability": 0.8},
            "Mutation.updateResource.input.name": {"dictionary": "names", "probability": 0.9},
            "Mutation.updateResource.input.email": {"dictionary": "new-emails", "probability": 0.9},
            "Mutation.addResource.input.name": {"dictionary": "names", "probability": 0.9},
            "Mutation.addResource.input.email": {"dictionary": "new-emails", "probability": 0.9},
            "Mutation.addResource.input.password": {"dictionary": "passwords", "probability": 0.8},
            "Mutation.login.email": {"dictionary": "login-emails", "probability": 0.7},
            "Mutation.login.password": {"dictionary": "passwords", "probability": 0.5},
            "Mutation.setLicenseCount.count": {"dictionary": "counts", "probability": 0.7},
            "Mutation.*.expectedLicenseCount": {
                "dictionary": "expected-counts",
                "probability": 0.9,
            },
            "Mutation.*.idempotencyKey": {"dictionary": "keys", "probability": 0.15},
            "Mutation.terminate.lastWorkDay": {"dictionary": "work-days", "probability": 0.7},
            # Keys of its own: a key another mutation used first is refused, rightly (R13).
            "Mutation.terminate.idempotencyKey": {
                "dictionary": "terminate-keys",
                "probability": 0.9,
            },
            "Query.*.first": {"dictionary": "page-sizes", "probability": 0.8},
            **{
                f"Query.{name}.after": {"dictionary": f"{name}-cursors", "probability": 0.8}
                for name in cursors
            },
        },
    }
    config = SchemathesisConfig.from_dict(data)
    return schemathesis.graphql.from_path(ROOT / "schema.graphql", config=config)


# --- sending the generated cases and judging the answers ---------------------------------


@dataclass
class Problem:
    why: str
    label: str
    mode: str
    query: str
    answer: str

    def __str__(self) -> str:
        return (
            f"FAILED {self.why}\n  operation: {self.label} ({self.mode})\n"
            f"  query:\n{_indent(self.query)}\n  answer:\n{_indent(self.answer)}"
        )


def _indent(text: str, size: int = 4000) -> str:
    text = text if len(text) <= size else text[:size] + " …"
    return "\n".join("      " + line for line in text.splitlines())


@dataclass
class Fuzzer:
    """Sends each case as one caller and records what is wrong with the answer."""

    http: httpx.AsyncClient
    credentials: dict[str, str]
    organization_id: int
    judge: Callable[[Any, dict[str, Any]], list[str]]
    after_mutation: Callable[[], Awaitable[None]] | None = None
    problems: list[Problem] = field(default_factory=list)
    tally: collections.Counter[str] = field(default_factory=collections.Counter)

    def new_problems(self) -> list[Problem]:
        return list(self.problems)

    async def exercise(self, case: Any) -> None:
        label = case.operation.label
        mode = case.meta.generation.mode.value if case.meta else "?"
        request = case.as_transport_kwargs(base_url=GRAPHQL_URL)
        query = request["json"]["query"]
        seen = f"expectedLicenseCount: {SEEN_COUNT}"
        if seen in query:
            org = await Organization.get(id=self.organization_id)
            query = query.replace(seen, f"expectedLicenseCount: {org.license_count}")

        def problem(why: str, answer: str) -> None:
            self.problems.append(Problem(why, label, mode, query, answer))

        try:
            response = await self.http.post(
                GRAPHQL_URL,
                content=orjson.dumps({**request["json"], "query": query}),
                headers={"Content-Type": "application/json", **self.credentials},
            )
        except Exception:
            problem("the app raised instead of answering", traceback.format_exc())
            return
        finally:
            # Generated logins and logouts set or clear cookies: the caller keeps its own.
            self.http.cookies.clear()
        self.tally[f"{label} -> {_outcome(response)}"] += 1
        for why in self._check(case, response):
            problem(why, f"HTTP {response.status_code}: {response.text}")
        if self.after_mutation is not None and case.operation.definition.is_mutation:
            await self.after_mutation()

    def _check(self, case: Any, response: httpx.Response) -> list[str]:
        if response.status_code >= 500:
            return [f"R14: HTTP {response.status_code}"]
        if "Traceback" in response.text:
            return ["R14: a stack trace in the answer"]
        try:
            # What the generator's own library says a GraphQL answer must be: a JSON object,
            # with no null in a field the schema declares non-null.
            case.operation.schema.validate_response(
                case.operation, CheckedResponse.from_httpx(response, verify=False), case=case
            )
        except Exception as error:
            return [f"not a valid GraphQL answer: {type(error).__name__}: {error}"]
        body = response.json()
        if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
            return ["the answer has neither `data` nor `errors`"]
        found = []
        negative = case.meta is not None and case.meta.generation.mode.is_negative
        if negative and not body.get("errors"):
            found.append("R14: arguments the schema does not allow were accepted")
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            if not isinstance(error.get("message"), str) or not error["message"]:
                found.append(f"an error without a message: {error}")
            if code is None:
                found.append(f"R14: an error without a code: {error.get('message')}")
            elif code == "INTERNAL_SERVER_ERROR":
                found.append("R14: an unexpected exception (INTERNAL_SERVER_ERROR)")
            elif NON_NULL_VIOLATION in str(error.get("message")):
                found.append("R14: null in a non-null field")
            elif error.get("path") and code not in DOCUMENTED_CODES:
                found.append(f"R14: a resolver error with code {code!r}, not a documented one")
        return found + self.judge(case, body)


def _outcome(response: httpx.Response) -> str:
    """A short name for an answer, to see what the generated cases reached."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    errors = body.get("errors") or []
    if errors:
        codes = sorted({(e.get("extensions") or {}).get("code") or "-" for e in errors})
        where = "resolver" if any(e.get("path") for e in errors) else "validation"
        return f"{where} {'/'.join(codes)}"
    return "ok"


def _errors_by_field(body: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for error in body.get("errors") or []:
        if error.get("path"):
            found[str(error["path"][0])].append(error)
    return found


def _codes(errors: list[dict[str, Any]]) -> set[str]:
    return {(e.get("extensions") or {}).get("code") for e in errors}


def judge_admin(case: Any, body: dict[str, Any]) -> list[str]:
    """R11: an administrator may read and do everything."""
    codes = _codes([e for errors in _errors_by_field(body).values() for e in errors])
    refused = codes & {"FORBIDDEN", "UNAUTHENTICATED"}
    return [f"R11: the administrator was refused ({', '.join(sorted(refused))})"] if refused else []


def judge_read_token(case: Any, body: dict[str, Any]) -> list[str]:
    """R11: seats:read reads seats, people and history, and nothing else; it changes nothing."""
    definition = case.operation.definition
    name = definition.field_name
    errors = _errors_by_field(body).get(name, [])
    data = body.get("data") or {}
    if name in SEATS_READ_FIELDS or (definition.is_mutation and name in OPEN_MUTATIONS):
        if _codes(errors) & {"FORBIDDEN", "UNAUTHENTICATED"}:
            return ["R11: a seats:read token was refused what its scope allows"]
        return []
    if not body.get("errors"):
        what = "change" if definition.is_mutation else "read"
        return [f"R11: a seats:read token was allowed to {what} {name}"]
    if errors and _codes(errors) != {"FORBIDDEN"}:
        return [f"R11: a seats:read token got {sorted(_codes(errors))} instead of FORBIDDEN"]
    if data.get(name) is not None:
        return [f"R11: a seats:read token got data from {name} despite the refusal"]
    return []


def plan_operations(schema: Any) -> list[tuple[Any, GenerationMode, int]]:
    """Every root field, with valid arguments, then (where it has any) invalid ones."""
    planned = []
    for root in ("Query", "Mutation"):
        for name in schema[root]:
            operation = schema[root][name]
            if not operation.definition.raw.args:
                planned.append((operation, GenerationMode.POSITIVE, EXAMPLES["no arguments"]))
                continue
            planned.append((operation, GenerationMode.POSITIVE, EXAMPLES[root]))
            planned.append((operation, GenerationMode.NEGATIVE, EXAMPLES["invalid"]))
    return planned


def generate_and_send(schema: Any, send: Callable[[Any], None]) -> int:
    """Runs in a worker thread: draws each operation's cases, seeded, and hands every one to
    `send`, which returns once the app has answered it. Returns how many were sent."""
    sent = 0
    for operation, mode, examples in plan_operations(schema):

        @seed(zlib.crc32(f"{SEED}:{operation.label}:{mode.value}".encode()))
        @settings(
            max_examples=examples,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def one(case: Any) -> None:
            nonlocal sent
            send(case)
            sent += 1

        one()
    return sent


async def run_fuzzer(schema: Any, fuzzer: Fuzzer) -> int:
    loop = asyncio.get_running_loop()

    def send(case: Any) -> None:
        asyncio.run_coroutine_threadsafe(fuzzer.exercise(case), loop).result(timeout=60)

    return await asyncio.to_thread(generate_and_send, schema, send)


def report(fuzzer: Fuzzer, sent: int, caplog: pytest.LogCaptureFixture) -> str:
    logged = [
        f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}"
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith("seats")
    ]
    problems = fuzzer.new_problems()
    lines = [f"{len(problems)} problems in {sent} generated operations:"]
    lines += [str(p) for p in problems[:15]]
    if logged:
        lines += ["server log:", *logged[:10]]
    return "\n\n".join(lines)


# --- the two callers ---------------------------------------------------------------------


@pytest.fixture
async def world(db: None) -> World:
    return await build_world()


@pytest.fixture
async def app_http(settings: Settings) -> Any:
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, timeout=30) as http:
        yield http


async def sign_in(settings: Settings, email: str, password: str) -> str | None:
    """A session cookie's value, from the login mutation. Sent from an address of its own, so
    the generated failed sign-ins, which throttle theirs, do not hold it back."""
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app, client=("10.11.12.13", 4321))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        response = await http.post(
            "/graphql",
            json={
                "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
                "{ __typename } }",
                "variables": {"e": email, "p": password},
            },
        )
        login = (response.json().get("data") or {}).get("login") or {}
        if login.get("__typename") != "LoginSuccess":
            return None
        return http.cookies.get(settings.session_cookie_name)


@dataclass
class Setup:
    session: dict[str, str]  # the administrator's cookie header
    token: str  # a new API token with the scopes asked for
    token_id: int
    cursors: dict[str, str]  # a real `endCursor` of each paginated list


async def set_up(http: httpx.AsyncClient, settings: Settings, world: World, *scopes: str) -> Setup:
    """As the administrator: sign in, create an API token, and collect real cursors."""
    cookie = await sign_in(settings, world.admin.email, world.admin_password)
    assert cookie, "the administrator could not sign in"
    session = {"Cookie": f"{settings.session_cookie_name}={cookie}"}

    async def data(query: str) -> dict[str, Any]:
        body = (await http.post("/graphql", json={"query": query}, headers=session)).json()
        http.cookies.clear()
        assert not body.get("errors"), body
        return body["data"]

    created = await data(
        f'mutation {{ createApiToken(name: "Fuzz", scopes: [{", ".join(scopes)}]) '
        "{ ... on CreateApiTokenSuccess { token apiToken { id } } } }"
    )
    pages = await data(
        "{ resources(status: ALL, first: 3) { pageInfo { endCursor } } "
        "history(first: 2) { pageInfo { endCursor } } "
        "invoices(first: 1) { pageInfo { endCursor } } }"
    )
    cursors = {name: page["pageInfo"]["endCursor"] for name, page in pages.items()}
    assert all(cursors.values()), pages
    answer = created["createApiToken"]
    return Setup(
        session, answer["token"], ids.decode(answer["apiToken"]["id"], ids.API_TOKEN, "id"), cursors
    )


async def test_r14_r11_generated_operations_as_an_administrator(
    world: World, app_http: httpx.AsyncClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """R14 (and R11, R12): ~300 generated queries and mutations as a signed-in administrator
    never break the service; afterwards R1, R2 and R8 still hold."""
    caplog.set_level(logging.ERROR, logger="seats")
    setup = await set_up(app_http, settings, world, "SEATS_READ")
    repairs: collections.Counter[str] = collections.Counter()

    async def keep_the_administrator_signed_in() -> None:
        """Generated logouts end the session, and a generated co-administrator makes demoting
        the administrator, removing their access or terminating them possible: sign in again
        and, if the administrator can no longer sign in or is one no more, give them their
        place back first."""
        me = await app_http.post(
            "/graphql", json={"query": "{ me { role } }"}, headers=fuzzer.credentials
        )
        app_http.cookies.clear()
        signed_in = (me.json().get("data") or {}).get("me")
        if signed_in and signed_in["role"] == "ADMIN":
            return
        admin = await Resource.get(id=world.admin.id)
        actor = actor_for(admin)
        if admin.role is not Role.ADMIN:
            # A generated setRole demoted them, which a co-administrator made possible: that
            # co-administrator gives them the role back.
            other = (
                await Resource.filter(
                    organization_id=admin.organization_id,
                    role=Role.ADMIN,
                    active=True,
                    login_access=True,
                )
                .exclude(id=admin.id)
                .first()
            )
            assert other, "the administrator was demoted with no administrator left"
            await services.set_role(actor_for(other), admin.id, Role.ADMIN)
            repairs["administrator again"] += 1
            if signed_in:
                return
        if not admin.active:
            await services.reactivate(actor, admin.id)
            repairs["reactivated"] += 1
        if not (await Resource.get(id=admin.id)).login_access:
            await services.toggle_access(
                actor, admin.id, True, accept_increase=True, maximum=MAXIMUM
            )
            repairs["access given back"] += 1
        cookie = await sign_in(settings, world.admin.email, world.admin_password)
        assert cookie, "the administrator can no longer sign in"
        fuzzer.credentials["Cookie"] = f"{settings.session_cookie_name}={cookie}"
        repairs["signed in again"] += 1

    fuzzer = Fuzzer(
        http=app_http,
        credentials=dict(setup.session),
        organization_id=world.organization_id,
        judge=judge_admin,
        after_mutation=keep_the_administrator_signed_in,
    )
    schema = fuzz_schema(world, [setup.token_id], setup.cursors)
    sent = await run_fuzzer(schema, fuzzer)

    print(*sorted(fuzzer.tally.items()), sep="\n")
    print(f"{sent} generated operations as an administrator; {dict(repairs)}")
    assert not fuzzer.new_problems(), report(fuzzer, sent, caplog)
    assert sent >= 250, f"only {sent} operations were generated"
    await assert_invariants(world.organization_id)
    # The cases reached the resolvers' real work, not only their input checks.
    for expected in (
        "Mutation.setLicenseCount -> ok",
        "Mutation.addResource -> ok",
        "Mutation.toggleAccess -> ok",
        "Mutation.terminate -> ok",
        "Query.resource -> resolver NOT_FOUND",
        "Query.resources -> ok",
        "Query.history -> ok",
    ):
        assert fuzzer.tally[expected], f"no generated operation answered {expected}"
    reached = {key.split(" -> ")[1] for key in fuzzer.tally}
    assert {"validation GRAPHQL_VALIDATION_FAILED", "ok"} <= reached, reached


async def _database_state() -> dict[str, Any]:
    return {
        "license_change": await LicenseChange.all().count(),
        "resource": await Resource.all().count(),
        "api_token": await ApiToken.all().count(),
        "idempotency_key": await IdempotencyKey.all().count(),
        "organizations": await Organization.all()
        .order_by("id")
        .values_list("id", "license_count", "used"),
        "people": await Resource.all()
        .order_by("id")
        .values_list("id", "active", "login_access", "last_work_day", "email"),
        "revoked": await ApiToken.filter(revoked_at__isnull=False).count(),
    }


async def test_r11_r14_generated_operations_with_a_read_only_token(
    world: World, app_http: httpx.AsyncClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """R11 and R14: ~300 generated operations with a seats:read token. Reads of seats, people
    and history answer; everything else, every change above all, is refused with FORBIDDEN,
    and the database is as it was."""
    caplog.set_level(logging.ERROR, logger="seats")
    setup = await set_up(app_http, settings, world, "SEATS_READ")
    before = await _database_state()

    fuzzer = Fuzzer(
        http=app_http,
        credentials={"Authorization": f"Bearer {setup.token}"},
        organization_id=world.organization_id,
        judge=judge_read_token,
    )
    schema = fuzz_schema(world, [setup.token_id], setup.cursors)
    sent = await run_fuzzer(schema, fuzzer)

    print(*sorted(fuzzer.tally.items()), sep="\n")
    print(f"{sent} generated operations with a seats:read token")
    assert not fuzzer.new_problems(), report(fuzzer, sent, caplog)
    assert sent >= 250, f"only {sent} operations were generated"
    assert await _database_state() == before, "R11: a read-only token changed the database"
    await assert_invariants(world.organization_id)
    reached = {key.split(" -> ")[1] for key in fuzzer.tally}
    assert "resolver FORBIDDEN" in reached, reached


# --- what the generated cases found ------------------------------------------------------


@pytest.mark.parametrize(
    ("time_zone", "arguments"),
    [
        ("UTC", 'to: "9999-12-31"'),
        ("Europe/Stockholm", 'to: "9999-12-31"'),
        # 0001-01-01 00:00 at Stockholm's local mean time (+00:53) is in the year 0 in UTC,
        # which no datetime holds.
        ("Europe/Stockholm", 'from: "0001-01-01"'),
    ],
)
async def test_r14_history_range_at_the_ends_of_the_calendar(client, time_zone, arguments):
    """R14: a date range reaching the first or last day the calendar has is an ordinary range
    (or, at worst, bad input): never an unexpected error. The fuzz runs above found it."""
    org = await make_org(time_zone=time_zone)
    await client.login(org.admin.email)
    body = await client(f"{{ history({arguments}) {{ edges {{ node {{ id }} }} }} }}")
    assert set(error_codes(body)) <= {"BAD_USER_INPUT"}, body


async def test_r14_history_csv_to_the_last_day_of_the_calendar(db, settings):
    """R14, the same range on the CSV export: an answer, not a 500."""
    org = await make_org()
    transport = httpx.ASGITransport(
        app=create_app(settings, manage_database=False), raise_app_exceptions=False
    )
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        login = (
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"
        )
        await http.post(
            "/graphql", json={"query": login, "variables": {"e": org.admin.email, "p": PASSWORD}}
        )
        response = await http.get("/history.csv?to=9999-12-31")
    assert response.status_code in (200, 400), response.text


@pytest.mark.parametrize(
    "query",
    [
        '{ resource(id: "ID") { id } }',
        'mutation { toggleAccess(resourceId: "ID", enabled: false) { __typename } }',
        'mutation { terminate(resourceId: "ID", lastWorkDay: "2026-01-05") { __typename } }',
        'mutation { cancelTermination(resourceId: "ID") { __typename } }',
        'mutation { reactivate(resourceId: "ID") { __typename } }',
        'mutation { revokeApiToken(id: "ID") { __typename } }',
    ],
    ids=lambda query: query.split("(")[0].split()[-1],
)
@pytest.mark.parametrize(
    "number",
    [
        2**31,
        2**63,
    ],
)
async def test_r12_r14_an_id_past_the_integer_range_is_not_found(client, query, number):
    """R12 and R14: an id no row can have behaves like any missing id: NOT_FOUND, not an
    unexpected error. The fuzz runs above found it."""
    org = await make_org()
    await client.login(org.admin.email)
    body = await client(query.replace("ID", str(number)))
    assert error_codes(body) == ["NOT_FOUND"], body


NUL = "a\\u0000b"  # GraphQL's escape for U+0000 in a string literal


@pytest.mark.parametrize(
    ("where", "query"),
    [
        ("login.email", f'mutation {{ login(email: "{NUL}", password: "x") {{ __typename }} }}'),
        ("resources.search", f'{{ resources(search: "{NUL}") {{ totalCount }} }}'),
        (
            "addResource.name",
            f'mutation {{ addResource(input: {{name: "{NUL}", email: "n1@example.com"}}) '
            "{ __typename } }",
        ),
        (
            "addResource.email",
            f'mutation {{ addResource(input: {{name: "N", email: "n{NUL}@example.com"}}) '
            "{ __typename } }",
        ),
        (
            "idempotencyKey",
            f'mutation {{ setLicenseCount(count: 5, idempotencyKey: "{NUL}") {{ __typename }} }}',
        ),
        (
            "createApiToken.name",
            f'mutation {{ createApiToken(name: "{NUL}", scopes: [SEATS_READ]) {{ __typename }} }}',
        ),
    ],
    ids=lambda value: value if "{" not in value else "",
)
async def test_r14_a_nul_character_in_text_is_no_unexpected_error(client, where, query):
    """R14: text with a NUL character is refused as bad input, on every database (PostgreSQL
    cannot store it); never an unexpected error. The fuzz runs above found it."""
    org = await make_org(license_count=3)
    await client.login(org.admin.email)
    response = await client.http.post("/graphql", json={"query": query})
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
