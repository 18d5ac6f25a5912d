"""The short way through for known documents (server/api/prepared.py) answers exactly as
strawberry's whole view does: the same status, headers that matter, data and errors, for
queries, mutations, variables, operation names, refusals and failures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from server.accounts.models import Scope
from server.accounts.tokens import create_api_token
from server.api import ids
from server.api.prepared import PreparedLane
from server.app import create_app
from server.settings import Settings
from tests.factories import PASSWORD, make_org

RESOURCE = "id name email kind role active loginAccess usesLicense startDate"

# (query, variables, operation name): sent once to warm the lane, then compared.
REQUESTS: list[tuple[str, dict[str, Any] | None, str | None]] = [
    ("query Seats { seats { licenseCount used available } }", None, None),
    ("{ seats { licenseCount used available reducibleBy __typename } }", {}, None),
    (
        "query($first: Int!) { resources(first: $first) { totalCount edges { cursor node { "
        f"{RESOURCE} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
        {"first": 2},
        None,
    ),
    # Fragments, aliases and directives.
    (
        "query($with: Boolean!) { r: resources(status: ALL) { ...C } } "
        "fragment C on ResourceConnection { n: totalCount edges @include(if: $with) { node { "
        "...on Resource { name } } } }",
        {"with": True},
        None,
    ),
    # Two operations; the name picks one.
    (
        "query A { seats { used } } query B { resources { totalCount } }",
        None,
        "B",
    ),
    # Variables the operation cannot take: errors from coercion, no data.
    ("query($first: Int!) { resources(first: $first) { totalCount } }", {"first": "x"}, None),
    ("query($first: Int!) { resources(first: $first) { totalCount } }", {}, None),
    # A domain error with its code (R12: another organisation's id is missing).
    ('{ resource(id: "999999") { name } }', None, None),
    ("{ resources(first: 0) { totalCount } }", None, None),
    # A field the token's scopes do not allow.
    ("{ nextInvoice { total } }", None, None),
    # Mutations: the same one again changes nothing, so every answer after the first agrees.
    (
        "mutation($n: Int!) { setLicenseCount(count: $n) { __typename "
        "... on SetLicenseCountSuccess { seats { licenseCount } change { toCount } } } }",
        {"n": 7},
        None,
    ),
    (
        "mutation { setLicenseCount(count: 0) { __typename ... on LicenseBelowUsage { used "
        "requested message } } }",
        None,
        None,
    ),
    ("mutation { setLicenseCount(count: -1) { __typename } }", None, None),
]


@pytest.fixture
async def apps(db: None, settings: Settings) -> AsyncIterator[dict[str, Any]]:
    org = await make_org(license_count=5)
    anna = await org.add("Anna Alm")
    await org.add("Bert Bok")
    token, _ = await create_api_token(
        org.id, "Integration", [Scope.SEATS_READ, Scope.SEATS_WRITE], created_by_id=None
    )
    lane_app = create_app(settings, manage_database=False)
    full_app = create_app(settings, manage_database=False, prepared_lane=False)
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=lane_app), base_url="http://t", headers=headers
        ) as lane,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=full_app), base_url="http://t", headers=headers
        ) as full,
    ):
        yield {"lane": lane, "full": full, "org": org, "lane_app": lane_app, "anna": anna}


@pytest.fixture
def executed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The operation names the lane executed itself."""
    seen: list[str] = []
    original = PreparedLane._execute

    async def counting(self, prepared, context, variables, operation_name):
        seen.append(operation_name or "-")
        return await original(self, prepared, context, variables, operation_name)

    monkeypatch.setattr(PreparedLane, "_execute", counting)
    return seen


def _answer(response: httpx.Response) -> tuple[int, str, Any]:
    body = response.json()
    for error in body.get("errors") or []:
        error.get("extensions", {}).pop("requestId", None)  # one per request
    return response.status_code, response.headers["content-type"], body


async def _post(client: httpx.AsyncClient, request: tuple) -> httpx.Response:
    query, variables, name = request
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    if name is not None:
        body["operationName"] = name
    return await client.post("/graphql", json=body)


@pytest.mark.parametrize("request_", REQUESTS, ids=range(len(REQUESTS)))
async def test_the_lane_answers_as_the_whole_view(apps, executed, request_):
    first = await _post(apps["lane"], request_)  # seen for the first time: the whole view
    assert executed == []
    again = await _post(apps["lane"], request_)
    full = await _post(apps["full"], request_)
    assert executed == [request_[2] or "-"], "the second request should take the lane"
    assert _answer(again) == _answer(full)
    if not request_[0].startswith("mutation"):
        assert _answer(first) == _answer(full)
    for response in (first, again):
        assert (
            response.headers["content-security-policy"] == full.headers["content-security-policy"]
        )
        assert response.headers["x-request-id"]


async def test_documents_that_fail_validation_never_take_the_lane(apps, executed):
    for query in ("{ seats { nope } }", "{ seats "):
        for _ in range(2):
            lane = await apps["lane"].post("/graphql", json={"query": query})
            full = await apps["full"].post("/graphql", json={"query": query})
            assert _answer(lane) == _answer(full)
            assert lane.json()["errors"]
    assert executed == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'["a batch"]',
        b'{"query": "{ seats { used } }", "extensions": {"persistedQuery": 1}}',
        b'{"query": "{ seats { used } }", "variables": [1]}',
        b'{"query": "{ seats { used } }", "operationName": 3}',
    ],
)
async def test_anything_but_a_plain_request_takes_the_whole_view(apps, executed, body):
    await apps["lane"].post("/graphql", json={"query": "{ seats { used } }"})  # known now
    headers = {"content-type": "application/json"}
    lane = await apps["lane"].post("/graphql", content=body, headers=headers)
    full = await apps["full"].post("/graphql", content=body, headers=headers)
    assert (lane.status_code, lane.text) == (full.status_code, full.text)
    assert executed == []


async def test_refused_requests_are_answered_as_json_with_a_code(apps):
    """A subscription needs the websocket; a body that is not JSON is no request. Both get a
    400 with the same shape of error as everything else (it was a masked internal error)."""
    cases = [
        ({"query": "subscription { seatsChanged { used } }"}, "subscriptions"),
        ("{not json", "JSON"),
        ({"variables": {}}, "No GraphQL query"),
    ]
    for body, words in cases:
        for client in (apps["lane"], apps["full"]):
            if isinstance(body, str):
                response = await client.post(
                    "/graphql", content=body, headers={"content-type": "application/json"}
                )
            else:
                response = await client.post("/graphql", json=body)
            assert response.status_code == 400
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "BAD_REQUEST"
            assert words.lower() in error["message"].lower()


async def test_signing_in_through_the_lane_sets_the_cookie(apps, executed, settings):
    login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"
    variables = {"e": apps["org"].admin.email, "p": PASSWORD}
    for _ in range(2):
        response = await apps["lane"].post(
            "/graphql", json={"query": login, "variables": variables}, headers={"Authorization": ""}
        )
        assert response.json() == {"data": {"login": {"__typename": "LoginSuccess"}}}
        assert settings.session_cookie_name in response.headers["set-cookie"]
    assert executed == ["-"]


def _documents(app) -> Any:
    return next(r.endpoint.documents for r in app.routes if isinstance(r.endpoint, PreparedLane))


async def test_kept_plans_follow_the_variables(apps, executed):
    """Plans are kept across requests only for documents without directives, whose selected
    fields cannot change with the variables; answers follow the variables either way."""
    with_directives = (
        "query($with: Boolean!, $first: Int!) { resources(first: $first) { edges { node { "
        "id name @include(if: $with) email @skip(if: $with) } } } }"
    )
    plain = (
        "query($first: Int!, $status: ResourceStatus) { resources(first: $first, "
        "status: $status) { edges { node { id name kind usesLicense } cursor } } }"
    )
    cases = [
        (with_directives, [{"with": True, "first": 3}, {"with": False, "first": 2}]),
        (plain, [{"first": 1}, {"first": 3, "status": "ALL"}, {"first": 2}]),
    ]
    for query, variable_sets in cases:
        for variables in [*variable_sets, *variable_sets]:
            body = {"query": query, "variables": variables}
            lane = await apps["lane"].post("/graphql", json=body)
            full = await apps["full"].post("/graphql", json=body)
            assert _answer(lane) == _answer(full)
            assert "errors" not in lane.json()
    documents = _documents(apps["lane_app"])
    assert documents.get(with_directives, None).plans is None
    assert documents.get(plain, None).plans  # filled by the first request through the lane
    assert len(executed) == 2 * (2 + 3) - 2


async def test_known_plain_queries_are_answered_without_an_executor(apps, monkeypatch):
    """`seats` and other queries whose root fields return plain values are compiled: no
    executor is built for them once they are known. Errors still take the normal path."""
    from server.api import prepared

    built: list[str] = []
    real = prepared.execute

    def counting(*args, **kwargs):
        built.append(kwargs.get("operation_name") or "-")
        return real(*args, **kwargs)

    monkeypatch.setattr(prepared, "execute", counting)
    cases = [
        ("query Seats { seats { licenseCount used available } }", {}),
        (
            "query($id: ID!) { resource(id: $id) { name kind usesLicense } }",
            {"id": ids.encode(ids.RESOURCE, apps["anna"].id)},
        ),
        (
            "query($id: ID!) { resource(id: $id) { name kind usesLicense } }",
            {"id": ids.encode(ids.RESOURCE, 9999)},
        ),
        (  # issue 10 item 11: a token's id with a person's key is no person's id
            "query($id: ID!) { resource(id: $id) { name kind usesLicense } }",
            {"id": ids.encode(ids.API_TOKEN, apps["anna"].id)},
        ),
        ("{ nextInvoice { total } }", {}),  # beyond the token's scopes: refused
    ]
    for query, variables in cases:
        for _ in range(3):
            body = {"query": query, "variables": variables}
            lane = await apps["lane"].post("/graphql", json=body)
            full = await apps["full"].post("/graphql", json=body)
            assert _answer(lane) == _answer(full)
    # Only the answers with errors took the normal path: the missing person and the id of
    # another kind three times each (their document was known from the person before), the
    # refusal twice (the first request was the whole view's). The others never built an
    # executor.
    assert len(built) == 8


async def test_graphql_posts_skip_the_router_and_the_rest_does_not(apps, monkeypatch):
    from starlette.routing import Router

    routed: list[str] = []
    real = Router.__call__

    async def recording(self, scope, receive, send):
        routed.append(f"{scope.get('method')} {scope['path']}")
        await real(self, scope, receive, send)

    monkeypatch.setattr(Router, "__call__", recording)
    answer = await apps["lane"].post("/graphql", json={"query": "{ seats { used } }"})
    assert answer.json() == {"data": {"seats": {"used": 3}}}
    assert routed == []
    assert (await apps["lane"].get("/healthz")).status_code == 200
    assert (await apps["lane"].get("/graphql?query={__typename}")).status_code in (200, 400)
    assert routed == ["GET /healthz", "GET /graphql"]


def test_remembering_a_known_document_keeps_what_was_learnt_of_it():
    from graphql import parse

    from server.api.prepared import PreparedDocuments

    documents = PreparedDocuments(size=2)
    documents.remember("{ seats { used } }", None, parse("{ seats { used } }"))
    kept = documents.get("{ seats { used } }", None)
    kept.plans["learnt"] = True
    documents.remember("{ seats { used } }", None, parse("{ seats { used } }"))
    assert documents.get("{ seats { used } }", None) is kept
    for text in ("{ me { id } }", "{ plan { name } }"):  # the least recently used goes
        documents.remember(text, None, parse(text))
    assert documents.get("{ seats { used } }", None) is None and len(documents) == 2
