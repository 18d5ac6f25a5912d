"""Issue 11: one path for every GraphQL request over HTTP.

A repeated request is cheap because of caches behind strawberry's public extension points
(server/api/engine/), never because it skips strawberry's view: the 1st and the 100th identical
request run the same schema extensions, the same error masking and the same limits. The caches
are used (a repeated document is parsed, validated and planned once) and bounded. The last
tests pin the few private names of strawberry and graphql-core the engine relies on, so that
an upgrade that changes them fails here rather than silently.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import strawberry
from graphql import DocumentNode, GraphQLSchema
from graphql.execution.executor import Executor
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.schema import validate_document

from server.accounts.models import Scope
from server.accounts.tokens import create_api_token
from server.api.engine import documents as documents_module
from server.api.engine.bounded import Bounded
from server.api.engine.fast import FastExecutor
from server.api.schema import create_schema
from server.app import create_app
from server.licensing import services
from server.settings import Settings
from tests.factories import make_org

REQUESTS = 100
SEATS = "{ seats { licenseCount used available reducibleBy } }"
RESOURCES = (
    "query($first: Int!) { resources(first: $first) { totalCount edges { cursor node { "
    "id name email kind role active loginAccess usesLicense startDate } } "
    "pageInfo { hasNextPage endCursor } } }"
)
SECRET = "the vault code is 4711-hunter2"


class Counting(SchemaExtension):
    """Counts its hooks, as a tracing, audit or rate-limit extension would run them."""

    calls: Counter[str] = Counter()

    def on_operation(self) -> Iterator[None]:
        self.calls["operation"] += 1
        yield

    def on_parse(self) -> Iterator[None]:
        self.calls["parse"] += 1
        yield

    def on_validate(self) -> Iterator[None]:
        self.calls["validate"] += 1
        yield

    def on_execute(self) -> Iterator[None]:
        self.calls["execute"] += 1
        yield


class CountingFields(SchemaExtension):
    """Resolver middleware: it must see every field of every request."""

    fields: Counter[str] = Counter()

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        self.fields[info.field_name] += 1
        return _next(root, info, *args, **kwargs)


async def _client(settings: Settings, **kwargs: Any) -> httpx.AsyncClient:
    org = await make_org(license_count=5)
    for name in ("Anna Alm", "Bert Bok", "Cleo Cox"):
        await org.add(name)
    token, _ = await create_api_token(org.id, "Integration", [Scope.SEATS_READ], created_by_id=None)
    app = create_app(settings, manage_database=False, **kwargs)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://t",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
async def counted(db: None, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    Counting.calls = Counter()
    CountingFields.fields = Counter()
    async with await _client(settings, extensions=[Counting, CountingFields]) as client:
        yield client


@pytest.fixture
async def api(db: None, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(settings) as client:
        yield client


@pytest.fixture
def fresh_plans(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """An empty plan cache for the test, and the number of layouts made, by type."""
    monkeypatch.setattr(FastExecutor, "learnt", Bounded(256))
    made: Counter[str] = Counter()
    real = FastExecutor._make_layout

    def counting(self: FastExecutor, parent_type: Any, grouped_field_set: Any) -> Any:
        made[parent_type.name] += 1
        return real(self, parent_type, grouped_field_set)

    monkeypatch.setattr(FastExecutor, "_make_layout", counting)
    return made


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables})


async def test_issue_11_an_added_extension_runs_on_the_1st_and_the_100th_request(counted):
    """Issue 11: every hook of an added schema extension runs for every request, the first of
    a document and the hundredth alike; resolver middleware sees every field of each."""
    answers = [await _post(counted, SEATS) for _ in range(REQUESTS)]
    assert answers[0].json() == answers[-1].json()
    assert answers[0].json()["data"]["seats"]["used"] == 4
    assert Counting.calls == {
        "operation": REQUESTS,
        "parse": REQUESTS,
        "validate": REQUESTS,
        "execute": REQUESTS,
    }
    assert CountingFields.fields == {
        name: REQUESTS for name in ("seats", "licenseCount", "used", "available", "reducibleBy")
    }


async def test_issue_11_an_added_extension_runs_for_get_requests_and_errors_too(counted):
    """Issue 11: a GET, and a request whose document fails validation, go the same way."""
    for _ in range(3):
        assert (await counted.get("/graphql", params={"query": SEATS})).status_code == 200
        invalid = await _post(counted, "{ seats { nope } }")
        assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert Counting.calls["operation"] == 6
    assert Counting.calls["validate"] == 6
    assert Counting.calls["execute"] == 3  # an invalid document is not executed


async def test_issue_11_masking_applies_on_the_1st_and_the_100th_request(api, monkeypatch, caplog):
    """Issue 11 (R14): an unexpected error in a resolver is masked on every request, the
    hundredth identical one as the first: INTERNAL_SERVER_ERROR with the request id, the
    exception's text only in the log."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(services.Seats, "of", broken)
    with caplog.at_level(logging.ERROR):
        answers = [await _post(api, SEATS) for _ in range(REQUESTS)]
    for answer in (answers[0], answers[-1]):
        assert SECRET not in answer.text
        assert "hunter2" not in answer.text
        (error,) = answer.json()["errors"]
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert error["extensions"]["requestId"] == answer.headers["x-request-id"]
        assert answer.json()["data"] is None
    logged = [r for r in caplog.records if r.exc_info and SECRET in str(r.exc_info[1])]
    assert len(logged) == REQUESTS


async def test_issue_11_a_repeated_document_is_planned_once(api, fresh_plans):
    """Issue 11: the fast executor keeps its plans with the document across requests: 100
    identical requests make the layouts of the first one only."""
    answers = [await _post(api, RESOURCES, first=2) for _ in range(REQUESTS)]
    assert answers[0].json() == answers[-1].json()
    assert len(answers[0].json()["data"]["resources"]["edges"]) == 2
    assert fresh_plans["Resource"] == 1
    assert fresh_plans["ResourceConnection"] == 1
    assert sum(fresh_plans.values()) == len(fresh_plans)  # each layout made once
    assert len(FastExecutor.learnt) == 1


async def test_issue_11_the_plan_cache_is_bounded(api, fresh_plans, monkeypatch):
    """Issue 11: at most `size` documents are remembered, the least recently used go first;
    a document forgotten is planned again, and answers as before."""
    monkeypatch.setattr(FastExecutor, "learnt", Bounded(3))
    texts = [f"{{ seats {{ {field} }} }}" for field in ("used", "available", "licenseCount")]
    texts += ["{ seats { reducibleBy } }", "{ seats { used available } }"]
    first = [(await _post(api, text)).json() for text in texts]
    assert len(FastExecutor.learnt) == 3
    assert fresh_plans["Seats"] == 5
    again = (await _post(api, texts[-1])).json()  # still known
    assert fresh_plans["Seats"] == 5
    forgotten = (await _post(api, texts[0])).json()
    assert fresh_plans["Seats"] == 6
    assert [again, forgotten] == [first[-1], first[0]]
    assert len(FastExecutor.learnt) == 3


async def test_issue_11_plans_follow_the_variables(api, fresh_plans):
    """Issue 11: a document with directives may select other fields with other variables: its
    plans are made per request, and every answer follows its own variables."""
    query = (
        "query($with: Boolean!, $first: Int!) { resources(first: $first) { edges { node { "
        "name @include(if: $with) email @skip(if: $with) } } } }"
    )
    for variables in [{"with": True, "first": 3}, {"with": False, "first": 2}] * 2:
        body = (await _post(api, query, **variables)).json()
        nodes = [edge["node"] for edge in body["data"]["resources"]["edges"]]
        assert len(nodes) == variables["first"]
        assert {key for node in nodes for key in node} == (
            {"name"} if variables["with"] else {"email"}
        )
    assert fresh_plans["Resource"] == 4  # one per request


async def test_issue_11_a_repeated_document_is_parsed_and_validated_once(api, monkeypatch):
    """Issue 11: the engine's extension parses a text once and validates its document once."""
    parsed: list[str] = []
    validated: list[DocumentNode] = []
    real_parse, real_validate = documents_module.parse, documents_module.validate_document

    def parse(text: str, **kwargs: Any) -> DocumentNode:
        parsed.append(text)
        return real_parse(text, **kwargs)

    def validate(schema: Any, document: DocumentNode, rules: Any) -> list:
        validated.append(document)
        return real_validate(schema, document, rules)

    monkeypatch.setattr(documents_module, "parse", parse)
    monkeypatch.setattr(documents_module, "validate_document", validate)
    query = SEATS.replace("used", "used  ")  # a text no other test sent to this schema
    for _ in range(REQUESTS):
        assert "errors" not in (await _post(api, query)).json()
    assert parsed == [query]
    assert len(validated) == 1


async def test_issue_11_repeated_errors_answer_alike(api):
    """Issue 11: errors of the request, of a resolver and of the variables are answered the
    same way the second and third time, when the document meets the caches."""
    cases = [
        ('{ resource(id: "999999") { name } }', {}),
        ("{ resources(first: 0) { totalCount } }", {}),
        ("{ nextInvoice { total } }", {}),
        ("query($first: Int!) { resources(first: $first) { totalCount } }", {"first": "x"}),
        ("query($first: Int!) { resources(first: $first) { totalCount } }", {}),
        ("{ seats { nope } }", {}),
    ]
    for query, variables in cases:
        answers = []
        for _ in range(3):
            body = (await _post(api, query, **variables)).json()
            for error in body.get("errors") or []:
                assert error["extensions"]["code"]
                error["extensions"].pop("requestId", None)
            answers.append(body)
        assert answers[0] == answers[1] == answers[2], query
        assert answers[0]["errors"], query


# --- pins: the private names of the libraries the engine relies on ----------------------------


def test_issue_11_pin_strawberry_schema_holds_the_graphql_core_schema():
    """Issue 11 pin: documents.py validates against `Schema._schema` (strawberry's own
    ValidationCache does the same); an upgrade that renames it fails here."""
    schema = create_schema()
    assert isinstance(schema._schema, GraphQLSchema)
    assert schema._schema.query_type is not None
    assert list(inspect.signature(validate_document).parameters) == [
        "schema",
        "document",
        "validation_rules",
    ]


def test_issue_11_pin_mask_errors_processes_results_through_its_private_methods():
    """Issue 11 pin: MaskUnexpectedErrors (engine/errors.py) overrides MaskErrors's
    `_process_result` (every result, of an operation or of a streamed event) and
    `_process_errors` (its errors); an upgrade that no longer calls them fails here."""
    seen: list[str] = []

    class Recording(MaskErrors):
        def _process_result(self, result: object) -> None:
            seen.append("result")
            super()._process_result(result)

        def _process_errors(self, errors: list) -> list:
            seen.extend(error.message for error in errors)
            return super()._process_errors(errors)

    @strawberry.type
    class Query:
        @strawberry.field
        def boom(self) -> str:
            raise ValueError("boom")

    @strawberry.type
    class Subscription:
        @strawberry.subscription
        async def booms(self) -> AsyncIterator[str]:
            yield "fine"
            raise ValueError("boom later")

    schema = strawberry.Schema(query=Query, subscription=Subscription, extensions=[Recording])
    result = schema.execute_sync("{ boom }")
    assert seen == ["result", "boom"]
    assert result.errors[0].message == "Unexpected error."

    async def events() -> list:
        stream = await schema.subscribe("subscription { booms }")
        return [event async for event in stream]

    seen.clear()
    answers = asyncio.run(events())
    assert [a.errors[0].message if a.errors else a.data for a in answers] == [
        {"booms": "fine"},
        "Unexpected error.",
    ]
    assert "boom later" in seen


def test_issue_11_pin_graphql_core_builds_the_executor_from_schema_and_document():
    """Issue 11 pin: FastExecutor.build finds what it learnt of a document by the first two
    arguments graphql-core's execute passes to `Executor.build`: the schema and the document.
    The methods it overrides keep their signatures."""
    build = list(inspect.signature(Executor.build).parameters)
    assert build[:2] == ["schema", "document"]
    fields = list(inspect.signature(Executor.execute_fields).parameters)
    assert fields == [
        "self",
        "parent_type",
        "source_value",
        "path",
        "grouped_field_set",
        "position_context",
    ]
    subfields = list(inspect.signature(Executor.collect_subfields).parameters)
    assert subfields == ["self", "return_type", "field_details_list"]


# --- the extensions' hooks: QuickHooks runs them as strawberry's own runner does -------------


class Boom(Exception):
    pass


def _recording(name: str, log: list[str], *, swallow: bool = False, fail: str = "") -> type:
    """An extension class whose on_operation hook logs what it sees; it may swallow the
    error thrown into it, or raise on entering or leaving."""

    def on_operation(self: SchemaExtension) -> Iterator[None]:
        log.append(f"{name} enters")
        if fail == "enter":
            raise Boom(f"{name} on entering")
        try:
            yield
        except Boom as error:
            log.append(f"{name} sees {error}")
            if not swallow:
                raise
        else:
            log.append(f"{name} leaves")
        if fail == "leave":
            raise Boom(f"{name} on leaving")

    return type(name, (SchemaExtension,), {"on_operation": on_operation})


SCENARIOS = {
    "in order, out in reverse": ({}, {}, False),
    "an error in the stage reaches every hook": ({}, {}, True),
    "a hook that swallows the error": ({}, {"swallow": True}, True),
    "a hook that raises on leaving": ({}, {"fail": "leave"}, False),
    "a hook that raises on entering": ({"fail": "enter"}, {}, False),
    "both raise on leaving": ({"fail": "leave"}, {"fail": "leave"}, False),
    "the second raises on entering": ({}, {"fail": "enter"}, False),
}


async def _run_stage(runner_class: type, first: dict, second: dict, error: bool) -> list[str]:
    from strawberry.types import ExecutionContext

    log: list[str] = []
    extensions = [_recording("a", log, **first)(), _recording("b", log, **second)()]
    context = ExecutionContext(query="{ x }", schema=None, allowed_operations=())  # type: ignore[arg-type]
    runner = runner_class(execution_context=context, extensions=extensions)
    try:
        async with runner.operation():
            log.append("stage runs")
            if error:
                raise Boom("from the stage")
        log.append("no error")
    except Boom as raised:
        log.append(f"raised: {raised}")
    return log


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_issue_11_quick_hooks_run_hooks_as_strawberry_does(scenario):
    """Issue 11: the engine's runner (engine/hooks.py) enters, leaves, throws errors into and
    takes errors from the extensions' hooks exactly as strawberry's own runner."""
    from strawberry.extensions.runner import SchemaExtensionsRunner

    from server.api.engine.hooks import QuickHooks, Stage

    first, second, error = SCENARIOS[scenario]
    assert isinstance(QuickHooks(None, [_recording("a", [])()]).operation(), Stage)  # type: ignore[arg-type]
    quick = await _run_stage(QuickHooks, first, second, error)
    reference = await _run_stage(SchemaExtensionsRunner, first, second, error)
    assert quick == reference


async def test_issue_11_hooks_of_other_kinds_are_left_to_strawberry():
    """Issue 11: a stage with an async hook is run by strawberry's own runner."""
    from server.api.engine.hooks import QuickHooks, Stage

    class Async(SchemaExtension):
        async def on_operation(self) -> AsyncIterator[None]:
            yield

    runner = QuickHooks(None, [_recording("a", [])(), Async()])  # type: ignore[arg-type]
    assert not isinstance(runner.operation(), Stage)
    assert isinstance(runner.parsing(), Stage)


async def test_issue_11_the_schema_runs_its_hooks_through_quick_hooks(api, monkeypatch):
    """Issue 11: every request's four stages go through the engine's runner."""
    from server.api.engine import hooks

    entered: list[int] = []
    real = hooks.Stage.__enter__

    def counting(self: Any) -> None:
        entered.append(len(self.factories))
        real(self)

    monkeypatch.setattr(hooks.Stage, "__enter__", counting)
    for _ in range(3):
        assert "errors" not in (await _post(api, SEATS)).json()
    # operation (masking), parse and validate (documents), execute (none): per request.
    assert entered == [1, 1, 2, 0] * 3


# --- the transport reads a body as strawberry's view does ---------------------------------------

BODIES = [
    b'{"query": "{ seats { used } }"}',
    b'{"query": "query Q { seats { used } }", "operationName": "Q", "variables": {"a": 1}}',
    b'{"query": null, "extensions": {"persistedQuery": {"version": 1}}}',
    b'{"query": 1}',
    b'{"query": "{ x }", "variables": [1]}',
    b'{"query": "{ x }", "variables": "x"}',
    b'{"query": "{ x }", "extensions": 3}',
    b'{"query": "{ x }", "operationName": 3}',
    b"{}",
    b'[{"query": "{ x }"}]',
    b"{not json",
]


def _request(body: bytes, content_type: str) -> Any:
    from starlette.requests import Request

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    headers = [(b"content-type", content_type.encode())]
    return Request(
        {"type": "http", "method": "POST", "headers": headers, "query_string": b""}, receive
    )


async def _refused_or(read: Any) -> Any:
    from cross_web import HTTPException

    try:
        return await read()
    except HTTPException as refused:
        return refused.status_code, refused.reason


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
async def test_issue_11_the_transport_reads_a_body_as_strawberry_does(settings, body, content_type):
    """Issue 11 (R14): server/api/http.py reads a POST's JSON body into its operation, or
    refuses it, exactly as strawberry's own view does (operations, refusals, batches, not
    JSON): a strawberry upgrade that reads bodies differently fails here."""
    from cross_web import StarletteRequestAdapter
    from strawberry.asgi import GraphQL

    from server.api import http

    reference_view = GraphQL(create_schema(introspection=True))
    reference = await _refused_or(
        lambda: reference_view.parse_http_body(
            StarletteRequestAdapter(_request(body, content_type))
        )
    )

    async def ours() -> Any:
        return http.request_data(http._json_of_request(await _request(body, content_type).body()))

    assert await _refused_or(ours) == reference
