"""The short way through for a GraphQL request the server has answered before.

Integrations and the page send the same few documents over and over. Strawberry's view
handles every request in full: it parses the HTTP body through its own adapters, opens a
context manager per extension and phase, looks the document up in the parser and validation
caches, then executes. For `seats` that machinery cost about 0.3 ms of CPU a request, more
than the GraphQL execution and the database round trip together.

Here, a document that strawberry has parsed and validated once (the `Remember` extension sees
it reach execution) is kept, by its text and operation name. A later POST with the same text
is executed straight away with graphql-core's `execute` and the same executor class, context,
error masking and response building as the full path; a query whose root fields all return
plain values is compiled instead (server/api/compiled.py). Everything else takes the full path:
documents not seen or not valid, GET requests, subscriptions, batches, anything but a plain
JSON object of `query`, `variables` and `operationName`. `tests/test_api_prepared.py` sends
the same requests both ways and compares the answers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from graphql import BREAK, DocumentNode, ExecutionResult, GraphQLError, Visitor, execute, visit
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.http import process_result
from strawberry.types.graphql import OperationType

from server.api.compiled import CompiledQuery, VariablesDoNotFit
from server.api.errors import MaskUnexpectedErrors, unavailable_headers
from server.api.fast import FastExecutor

if TYPE_CHECKING:
    from strawberry.asgi import GraphQL

LANE_OPERATIONS = (OperationType.QUERY, OperationType.MUTATION)
REQUEST_KEYS = frozenset(("query", "variables", "operationName"))


NOT_YET = object()


@dataclass
class Prepared:
    document: DocumentNode
    # The fast executor's plans for this document, kept across requests when no directive
    # can make the selected fields depend on variables; else None.
    plans: dict | None
    # The document compiled (server/api/compiled.py), None if it cannot be, NOT_YET before
    # the first request that can tell.
    compiled: CompiledQuery | object | None = NOT_YET


def _has_directives(document: DocumentNode) -> bool:
    class Finder(Visitor):
        found = False

        def enter_directive(self, *_: Any) -> Any:
            self.found = True
            return BREAK

    finder = Finder()
    visit(document, finder)
    return finder.found


class PreparedDocuments:
    """Parsed and validated documents by (text, operation name); the least recently used go
    first when there are more than `size`."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._documents: OrderedDict[tuple[str, str | None], Prepared] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> Prepared | None:
        key = (query, operation_name)
        found = self._documents.get(key)
        if found is not None:
            self._documents.move_to_end(key)
        return found

    def remember(self, query: str, operation_name: str | None, document: DocumentNode) -> None:
        key = (query, operation_name)
        if key not in self._documents:  # known ones keep their plans (a GET comes this way)
            plans = None if _has_directives(document) else {}
            self._documents[key] = Prepared(document, plans)
        self._documents.move_to_end(key)
        while len(self._documents) > self.size:
            self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)


def remember_into(documents: PreparedDocuments) -> type[SchemaExtension]:
    """A schema extension that keeps each query or mutation that reaches execution: it was
    parsed and validated with every rule and limit of the schema."""

    class Remember(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            context = self.execution_context
            if (
                context.query is not None
                and context.graphql_document is not None
                and context.operation_type in LANE_OPERATIONS
            ):
                # Kept under the name the request gave (None if none), which is what the next
                # request will give; `operation_name` would be the document's own.
                provided = getattr(context, "_provided_operation_name", context.operation_name)
                documents.remember(context.query, provided, context.graphql_document)
            yield

    return Remember


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole body; False if the client left before sending it."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", False
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read, then whatever comes next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _request_of(body: bytes) -> tuple[str, dict[str, Any] | None, str | None] | None:
    """(query, variables, operation name) of a plain single request, else None."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not data.keys() <= REQUEST_KEYS:
        return None
    query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str):
        return None
    if variables is not None and not isinstance(variables, dict):
        return None
    if name is not None and not isinstance(name, str):
        return None
    return query, variables, name


class PreparedLane:
    """ASGI app for /graphql: known documents sent by POST are executed here, the rest by the
    strawberry view it wraps."""

    def __init__(self, view: GraphQL, documents: PreparedDocuments) -> None:
        self.view = view
        self.documents = documents
        self.masking = MaskUnexpectedErrors(getattr(view.schema, "suggestions", True))
        self.schema = view.schema._schema
        executor_class = view.schema.execution_context_class
        self.executor = {"executor_class": executor_class} if executor_class else {}
        self.shares_plans = executor_class is not None and issubclass(executor_class, FastExecutor)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.view(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if not complete:
            return
        replay = _replay(body, receive)
        request = _request_of(body)
        prepared = request and self.documents.get(request[0], request[2])
        if prepared is None:
            await self.view(scope, replay, send)
            return
        _, variables, operation_name = request
        http_request = Request(scope, replay)
        sub_response = await self.view.get_sub_response(http_request)
        context = await self.view.get_context(http_request, response=sub_response)
        result = await self._execute(prepared, context, variables, operation_name)
        answer = process_result(result)
        if result.errors and (unavailable := unavailable_headers(answer)):  # type: ignore[arg-type]
            sub_response.status_code, extra = unavailable
            sub_response.headers.update(extra)
        body = self.view.encode_json(answer)
        # What the view's create_response makes, without a Response object in between.
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *sub_response.headers.raw,
        ]
        status = sub_response.status_code or 200
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        if sub_response.background is not None:
            await sub_response.background()

    async def _execute(
        self,
        prepared: Prepared,
        context: Any,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> ExecutionResult:
        compiled = self._compiled(prepared, variables, operation_name)
        if compiled is not None:
            data = await compiled.run(context, variables)
            if data is not None:
                return ExecutionResult(data=data)
        try:
            result = execute(
                self.schema,
                prepared.document,
                variable_values=variables,
                operation_name=operation_name,
                context_value=context,
                is_awaitable=optimized_is_awaitable,
                **self.executor,
                **({"shared_plans": prepared.plans} if self.shares_plans else {}),
            )
            if optimized_is_awaitable(result):
                result = await result
        except Exception as error:  # answered as the full path answers it
            failed = GraphQLError(str(error), original_error=error)
            result = ExecutionResult(data=None, errors=[failed])
        if result.errors:
            self.masking._process_result(result)
        return result

    def _compiled(
        self, prepared: Prepared, variables: dict[str, Any] | None, operation_name: str | None
    ) -> CompiledQuery | None:
        if prepared.compiled is NOT_YET:
            if prepared.plans is None or not self.shares_plans:
                prepared.compiled = None
            else:
                try:
                    prepared.compiled = CompiledQuery.of(
                        self.schema, prepared.document, operation_name, variables, prepared.plans
                    )
                except VariablesDoNotFit:
                    return None
        return prepared.compiled  # type: ignore[return-value]
