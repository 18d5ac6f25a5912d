"""Issue 11: GraphQL over HTTP as its specification says. A client that asks for
`application/graphql-response+json` gets it, and the status tells whether anything was
executed: 400 (405 for a mutation by GET) and no `data` for a request GraphQL refused, 200 and
`data` once execution started. A client that asks for `application/json`, `*/*` or nothing gets
the answers it always had. Every error still carries its code (R14). Every request takes the
one path, so a document sent again is answered as the first time (see the last test)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from server.accounts import services
from server.accounts.models import Scope
from server.accounts.tokens import create_api_token
from server.api import media
from server.app import create_app
from server.settings import Settings
from tests.factories import make_org

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# The Content-Type of each: the new one says its encoding; application/json is as it was.
GRAPHQL_CONTENT_TYPE = "application/graphql-response+json; charset=utf-8"
SEATS = "{ seats { licenseCount } }"


@dataclass
class Clients:
    """One integration (a token with every scope) of an organisation with 3 licences, on two
    apps: `graphql` asks for application/graphql-response+json, `json` for application/json."""

    graphql: httpx.AsyncClient
    json: httpx.AsyncClient


@pytest.fixture
async def clients(db: None, settings: Settings) -> AsyncIterator[Clients]:
    org = await make_org(license_count=3)
    token, _ = await create_api_token(org.id, "Integration", list(Scope), created_by_id=None)
    opened = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, manage_database=False)),
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}", "Accept": accept},
        )
        for accept in (GRAPHQL_RESPONSE, JSON)
    ]
    async with opened[0], opened[1]:
        yield Clients(*opened)


async def ask(
    http: httpx.AsyncClient,
    method: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A GraphQL request: `body` as JSON by POST, or in the query string by GET (variables as
    JSON text)."""
    if method == "POST":
        return await http.post("/graphql", json=body, headers=headers)
    params = {key: json.dumps(v) if key == "variables" else v for key, v in body.items()}
    return await http.get("/graphql", params=params, headers=headers)


def answer(
    response: httpx.Response, status: int, content_type: str, keys: set[str]
) -> dict[str, Any]:
    """The body of `response`, checked to have this status, Content-Type and entries."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == content_type
    body = response.json()
    assert set(body) == keys, body
    return body


def code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]


# --- request errors: GraphQL refuses the request before executing any of it ----------------

TOO_MANY_ALIASES = "{ " + " ".join(f"a{i}: seats {{ used }}" for i in range(40)) + " }"
TOO_MANY_TOKENS = "{ seats { " + "used " * 3000 + "} }"
FIRST_N = "query($n: Int!) { resources(first: $n) { totalCount } }"

REQUEST_ERRORS = [
    pytest.param({"query": "{ seats { licenseCount }"}, "GRAPHQL_PARSE_FAILED", id="parse"),
    pytest.param({"query": "{ seats { nope } }"}, "GRAPHQL_VALIDATION_FAILED", id="validation"),
    pytest.param({"query": TOO_MANY_ALIASES}, "QUERY_TOO_COMPLEX", id="aliases"),
    pytest.param({"query": TOO_MANY_TOKENS}, "QUERY_TOO_COMPLEX", id="tokens"),
    pytest.param({"query": FIRST_N, "variables": {"n": "x"}}, "BAD_USER_INPUT", id="variable"),
    pytest.param({"query": FIRST_N, "variables": {}}, "BAD_USER_INPUT", id="no-variable"),
]


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(("body", "expected"), REQUEST_ERRORS)
async def test_issue_11_r14_a_request_error_is_400_without_data(clients, method, body, expected):
    """Issue 11 (R14): a document that does not parse, does not validate, is over the limits,
    or whose variables the operation cannot take is refused before execution: in
    application/graphql-response+json, 400 with the error's code and no `data` entry; in
    application/json, 200 with `data: null`, as before."""
    refused = answer(
        await ask(clients.graphql, method, body), 400, GRAPHQL_CONTENT_TYPE, {"errors"}
    )
    assert code(refused) == expected
    assert all("path" not in error for error in refused["errors"])
    legacy = answer(await ask(clients.json, method, body), 200, JSON, {"data", "errors"})
    assert legacy["data"] is None
    assert legacy["errors"] == refused["errors"]


# --- refusals of the view, before GraphQL ----------------------------------------------------

REFUSALS = [
    pytest.param("POST", b'{"query":', "Unable to parse request body as JSON", id="not-json"),
    pytest.param(
        "POST", b'{"variables": {}}', "No GraphQL query found in the request", id="no-query"
    ),
    pytest.param("GET", {}, "No GraphQL query found in the request", id="get-no-query"),
    pytest.param(
        "POST",
        b'{"query": "query A { seats { used } }", "operationName": "B"}',
        'Unknown operation named "B".',
        id="unknown-operation",
    ),
    pytest.param(
        "POST",
        b'{"query": "subscription { seatsChanged { used } }"}',
        "subscriptions are not allowed when using POST",
        id="subscription",
    ),
    pytest.param(
        "POST",
        b'{"query": "{ seats { used } }", "variables": [7]}',
        "The GraphQL operation's `variables` must be an object or null, if provided.",
        id="variables-not-an-object",
    ),
]


@pytest.mark.parametrize(("method", "sent", "message"), REFUSALS)
async def test_issue_11_a_refusal_before_graphql_keeps_its_status_in_either_type(
    clients, method, sent, message
):
    """Issue 11: a request the view refuses before GraphQL runs (a body that is not JSON, no
    query, no such operation, a subscription without a websocket, variables that are not an
    object) keeps its status 400 and code BAD_REQUEST, and has no `data`, in the media type
    asked for."""
    expected = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    for http, content_type in ((clients.graphql, GRAPHQL_CONTENT_TYPE), (clients.json, JSON)):
        if method == "GET":
            response = await http.get("/graphql")
        else:
            response = await http.post(
                "/graphql", content=sent, headers={"Content-Type": "application/json"}
            )
        assert answer(response, 400, content_type, {"errors"}) == expected


async def test_issue_11_a_head_request_is_405_as_strawberrys_view_answered_it(clients):
    """Issue 11: GraphQL runs for GET and POST only; HEAD, which the router lets through with
    GET, is 405 in JSON and runs nothing."""
    for http in (clients.graphql, clients.json):
        response = await http.head("/graphql", params={"query": "{ seats { used } }"})
        assert response.status_code == 405, response


async def test_issue_11_a_mutation_by_get_is_405_allowing_post(clients):
    """Issue 11: a mutation sent by GET is not run. Asked as application/graphql-response+json
    it is 405 Method Not Allowed with `Allow: POST` and no `data`; as application/json it is
    still 400 BAD_REQUEST."""
    body = {"query": "mutation { setLicenseCount(count: 9) { __typename } }"}
    expected = {
        "errors": [
            {
                "message": "mutations are not allowed when using GET",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }
    response = await ask(clients.graphql, "GET", body)
    assert answer(response, 405, GRAPHQL_CONTENT_TYPE, {"errors"}) == expected
    assert response.headers["allow"] == "POST"
    response = await ask(clients.json, "GET", body)
    assert answer(response, 400, JSON, {"errors"}) == expected
    assert "allow" not in response.headers
    seats = answer(await ask(clients.json, "POST", {"query": SEATS}), 200, JSON, {"data"})
    assert seats["data"]["seats"]["licenseCount"] == 3


# --- execution started: 200 and `data` -----------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param('{ resource(id: "nope") { name } }', "NOT_FOUND", id="not-found"),
        pytest.param("{ resources(first: -1) { totalCount } }", "BAD_USER_INPUT", id="bad-input"),
    ],
)
async def test_issue_11_r14_a_field_error_is_200_with_data(clients, method, query, expected):
    """Issue 11 (R14): an error raised while executing a field is no request error, even with
    the code a bad variable has (BAD_USER_INPUT): 200 with its `data` entry, null here since the
    field cannot be, and the error's `path`, in either media type."""
    for http, content_type in ((clients.graphql, GRAPHQL_CONTENT_TYPE), (clients.json, JSON)):
        response = await ask(http, method, {"query": query})
        body = answer(response, 200, content_type, {"data", "errors"})
        assert body["data"] is None
        assert code(body) == expected
        assert body["errors"][0]["path"]


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_issue_11_a_success_is_200_in_the_type_asked_for(clients, method):
    """Issue 11: an answer without errors is 200 with its data, in the media type asked for."""
    expected = {"data": {"seats": {"licenseCount": 3}}}
    response = await ask(clients.graphql, method, {"query": SEATS})
    assert answer(response, 200, GRAPHQL_CONTENT_TYPE, {"data"}) == expected
    response = await ask(clients.json, method, {"query": SEATS})
    assert answer(response, 200, JSON, {"data"}) == expected


async def test_issue_11_a_database_outage_keeps_503_without_data(clients, monkeypatch):
    """Issue 11: a field that cannot reach the database still answers 503 SERVICE_UNAVAILABLE
    with Retry-After. In application/graphql-response+json it has no `data` entry (a status
    other than 200 never has); in application/json it keeps `data: null`, as before."""

    async def unreachable(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("the database does not answer")

    monkeypatch.setattr(services, "login", unreachable)
    body = {"query": 'mutation { login(email: "a@example.com", password: "x") { __typename } }'}
    response = await ask(clients.graphql, "POST", body)
    refused = answer(response, 503, GRAPHQL_CONTENT_TYPE, {"errors"})
    assert code(refused) == "SERVICE_UNAVAILABLE"
    assert int(response.headers["retry-after"]) > 0
    response = await ask(clients.json, "POST", body)
    legacy = answer(response, 503, JSON, {"data", "errors"})
    assert legacy["data"] is None
    assert code(legacy) == "SERVICE_UNAVAILABLE"


# --- the Accept header ---------------------------------------------------------------------

PARSE_ERROR = {"query": "{ seats {"}


async def media_of(http: httpx.AsyncClient, accept: str | None) -> str:
    """The media type the app answers a document that does not parse in, with this Accept
    header (None: no Accept at all), checked to have the status and shape of that type."""
    request = http.build_request("POST", "/graphql", json=PARSE_ERROR)
    del request.headers["accept"]
    if accept is not None:
        request.headers["accept"] = accept
    response = await http.send(request)
    if response.status_code == 400:
        answer(response, 400, GRAPHQL_CONTENT_TYPE, {"errors"})
        return GRAPHQL_RESPONSE
    body = answer(response, 200, JSON, {"data", "errors"})
    assert body["data"] is None
    return JSON


async def test_issue_11_the_accept_weights_choose_the_media_type(clients):
    """Issue 11: the client's weights (q) choose between the two media types, whichever it
    lists first."""
    assert await media_of(clients.json, f"{GRAPHQL_RESPONSE};q=0.5, {JSON}") == JSON
    assert await media_of(clients.json, f"{JSON};q=0.9, {GRAPHQL_RESPONSE}") == GRAPHQL_RESPONSE
    assert await media_of(clients.json, f"{GRAPHQL_RESPONSE};q=0, */*") == JSON
    assert (
        await media_of(clients.json, f"{GRAPHQL_RESPONSE}; charset=utf-8, {JSON}; charset=utf-8")
        == GRAPHQL_RESPONSE
    )


async def test_issue_11_any_media_type_is_json_as_before(clients):
    """Issue 11: `*/*` (or `application/*`) alone is answered as application/json, as before;
    naming the new media type besides it chooses that."""
    assert await media_of(clients.graphql, "*/*") == JSON
    assert await media_of(clients.graphql, "application/*") == JSON
    assert await media_of(clients.graphql, f"*/*, {GRAPHQL_RESPONSE}") == GRAPHQL_RESPONSE


async def test_issue_11_no_accept_is_json_as_before(clients):
    """Issue 11: a request without Accept is answered as application/json, as before; the same
    request asking for the new media type is not."""
    assert await media_of(clients.graphql, None) == JSON
    assert await media_of(clients.graphql, GRAPHQL_RESPONSE) == GRAPHQL_RESPONSE


# --- the rules themselves (server/api/media.py) --------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        ("text/html", JSON),  # neither: as before
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        ("APPLICATION/GRAPHQL-RESPONSE+JSON", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, {JSON}", GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),  # equal weights: the newer one
        (f"{JSON}, {GRAPHQL_RESPONSE};q=0.9", JSON),
        (f"{GRAPHQL_RESPONSE};q=0.2, {JSON};q=0.3", JSON),
        (f"{GRAPHQL_RESPONSE};q=0.3, {JSON};q=0.2", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0", JSON),
        (f"{GRAPHQL_RESPONSE};q=2, {JSON}", JSON),  # a malformed weight: that range is ignored
        (f"{GRAPHQL_RESPONSE}; charset=latin-1, {JSON}", JSON),  # only UTF-8 is written
        (f"{JSON};q=0.5, */*", GRAPHQL_RESPONSE),  # JSON weighed down, anything else welcome
        (f"{JSON};q=0, application/*", GRAPHQL_RESPONSE),
        ("application/*, */*;q=0.1", JSON),
        (f"text/html, {GRAPHQL_RESPONSE};q=0.8, {JSON};q=0.7", GRAPHQL_RESPONSE),
    ],
)
def test_issue_11_negotiate(accept, expected):
    """Issue 11: the media type chosen for an Accept header."""
    assert media.negotiate(accept) == expected


def test_issue_11_request_errors_are_told_by_structure_and_code():
    """Issue 11: a request error has no data and no error at a field, and a code of the
    request's; a field's error (even BAD_USER_INPUT) or an unexpected failure is none."""

    def error(code: str, **more: Any) -> dict[str, Any]:
        return {"message": "m", "extensions": {"code": code}, **more}

    assert media.is_request_error({"data": None, "errors": [error("GRAPHQL_PARSE_FAILED")]})
    assert media.is_request_error({"data": None, "errors": [error("BAD_USER_INPUT")]})
    assert not media.is_request_error(
        {"data": None, "errors": [error("BAD_USER_INPUT", path=["resources"])]}
    )
    assert not media.is_request_error({"data": {"a": 1}, "errors": [error("BAD_USER_INPUT")]})
    assert not media.is_request_error({"data": None, "errors": [error("INTERNAL_SERVER_ERROR")]})
    assert not media.is_request_error(
        {"data": None, "errors": [error("QUERY_TOO_COMPLEX"), error("SERVICE_UNAVAILABLE")]}
    )
    assert not media.is_request_error({"data": {"a": 1}})


async def test_issue_11_a_document_sent_again_is_answered_as_the_first_time(clients):
    """Issue 11: one path for every request. The 100th POST of a document gets the media type
    and status the first got, for a success and for a request error alike (a second way for
    known documents once answered them as application/json with 200)."""
    bad = {"query": FIRST_N, "variables": {"n": "x"}}
    for _ in range(100):
        response = await ask(clients.graphql, "POST", {"query": SEATS})
        answer(response, 200, GRAPHQL_CONTENT_TYPE, {"data"})
        refused = answer(
            await ask(clients.graphql, "POST", bad), 400, GRAPHQL_CONTENT_TYPE, {"errors"}
        )
        assert code(refused) == "BAD_USER_INPUT"
