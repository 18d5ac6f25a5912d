"""What nothing a caller sends may do: break the service, act across sites, or get past the
limits (R14), and the optimistic concurrency integrations use."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from graphql import build_schema, parse, validate

from server.accounts import throttle
from server.api import ids, types
from server.api.limits import MAX_DEPTH, MaxDepth
from server.app import create_app
from server.settings import Settings
from tests.factories import PASSWORD, error_codes, make_org

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
    for i in range(6):
        await throttle.record_failure(org.admin.email, "10.0.0.1", start + timedelta(seconds=i))
    assert await throttle.seconds_to_wait(org.admin.email, "10.0.0.1", start) > 0
    later = start + timedelta(minutes=16)
    assert await throttle.seconds_to_wait(org.admin.email, "10.0.0.1", later) == 0
    await throttle.record_success(org.admin.email)
    assert await throttle.seconds_to_wait(org.admin.email, "10.0.0.2", start) == 0


async def test_failed_sign_ins_back_off_per_address_across_accounts(db):
    now = datetime.now(UTC)
    for i in range(21):
        await throttle.record_failure(f"guess{i}@example.com", "10.9.9.9", now)
    assert await throttle.seconds_to_wait("someone@example.com", "10.9.9.9", now) > 0
    assert await throttle.seconds_to_wait("someone@example.com", "10.9.9.8", now) == 0


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
