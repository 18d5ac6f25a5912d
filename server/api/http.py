"""GraphQL over HTTP: the one path of every GraphQL request sent to /graphql by GET or POST.

What it does is the transport only, in the order of the GraphQL-over-HTTP specification:

1. GET without a `query` from a browser (Accept: text/html or */*) is GraphiQL's page, when
   GraphiQL is on (else 404);
2. the request's operation is read: GET from its query string (`variables` and `extensions`
   as JSON), POST from a JSON body (any Content-Type naming application/json). One operation
   per request: a list is refused, as is any other body;
3. the viewer is looked up and the context made (`context_for`, shared with websockets);
4. the schema executes it: `schema.execute`, with every schema extension, the masking of
   unexpected errors and the limits (server/api/engine/). GET may run queries only;
5. the answer is written as JSON in the media type the client asked for (media.py), with the
   cookies and headers resolvers set on `info.context.response`, and 503 with Retry-After
   when the database is away.

A request refused before execution (step 2 or 4) is answered as JSON with the code
BAD_REQUEST, with strawberry's messages and statuses (tests/test_api_http_media.py).
Websockets stay with strawberry's view (server/app.py, server/api/sockets.py): they are the
other transport, with the same schema and the same context.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLRequestData, process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from server.accounts.services import Viewer, viewer_for_bearer, viewer_for_session
from server.api import media
from server.api.context import Context
from server.api.engine.errors import unavailable_headers
from server.api.engine.schema import SeatsSchema
from server.graphiql import GraphiQLAssets
from server.settings import Settings

GET_OPERATIONS = frozenset({OperationType.QUERY})
POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


async def viewer_of(request: Request, settings: Settings) -> Viewer | None:
    """Who sends a request (HTTP or a websocket's handshake): a bearer token if the request has
    one, else the session cookie."""
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return await viewer_for_bearer(bearer.strip())
    token = request.cookies.get(settings.session_cookie_name)
    return await viewer_for_session(token) if token else None


async def context_for(request: Request, response: Response, settings: Settings) -> Context:
    """The context of one GraphQL request over HTTP, or of a websocket's connection."""
    return Context(
        request=request,
        response=response,
        settings=settings,
        viewer=await viewer_of(request, settings),
        session_token=request.cookies.get(settings.session_cookie_name),
        websocket=request.scope["type"] == "websocket",
    )


def decode_json(data: str | bytes) -> Any:
    """A JSON text (a request's, a websocket message's), read fast; what orjson refuses but
    JSON allows (a lone surrogate escaped, NaN, integers beyond 64 bits) is read as the standard
    library reads it, or refused by it (json.JSONDecodeError)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def _json_of_request(data: str | bytes) -> Any:
    try:
        return decode_json(data)
    except json.JSONDecodeError as error:
        raise HTTPException(400, "Unable to parse request body as JSON") from error


def encode_json(data: object) -> bytes:
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        # A lone surrogate quoted back in a message: the standard encoder escapes it.
        return json.dumps(data, separators=(",", ":")).encode()


def request_data(data: object) -> GraphQLRequestData:
    """The one operation of a request's JSON (a body, or the query string's parameters)."""
    if isinstance(data, list):
        raise HTTPException(400, "Batching is not enabled")
    if not isinstance(data, dict):
        # As strawberry reads it: a JSON scalar has no operation in it.
        raise HTTPException(400, "No GraphQL query found in the request")
    query = data.get("query")
    if not isinstance(query, str | None):
        raise HTTPException(
            400, "The GraphQL operation's `query` must be a string or null, if provided."
        )
    variables = data.get("variables")
    if not isinstance(variables, dict | None):
        raise HTTPException(
            400, "The GraphQL operation's `variables` must be an object or null, if provided."
        )
    extensions = data.get("extensions")
    if not isinstance(extensions, dict | None):
        raise HTTPException(
            400, "The GraphQL operation's `extensions` must be an object or null, if provided."
        )
    return GraphQLRequestData(
        query=query,
        variables=variables,
        operation_name=data.get("operationName"),
        extensions=extensions,
        protocol="http",
    )


def query_params(request: Request) -> dict[str, Any]:
    """A GET request's operation: its query string, `variables` and `extensions` as JSON."""
    params: dict[str, Any] = dict(request.query_params)
    for name in ("variables", "extensions"):
        if params.get(name):
            params[name] = _json_of_request(params[name])
    return params


class GraphQLOverHTTP:
    """The ASGI app of /graphql for GET and POST (see the module's docstring)."""

    def __init__(self, schema: SeatsSchema, settings: Settings) -> None:
        self.schema = schema
        self.settings = settings
        self.graphiql = GraphiQLAssets(settings.vendor_dir) if settings.graphiql else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        media_type = media.chosen(request.headers)
        try:
            response = await self.answer(request, media_type)
        except HTTPException as refused:
            status, headers = media.refusal(refused, request.method, media_type)
            response = JSONResponse(
                {"errors": [{"message": refused.reason, "extensions": {"code": "BAD_REQUEST"}}]},
                status_code=status,
                headers=headers,
                media_type=media.CONTENT_TYPE[media_type],
            )
        await response(scope, receive, send)

    async def answer(self, request: Request, media_type: str) -> Response:
        if request.method not in ("GET", "POST"):
            # HEAD, which the router lets through with GET.
            raise HTTPException(405, "GraphQL only supports GET and POST requests.")
        get = request.method == "GET"
        if get and request.query_params.get("query") is None and _from_a_browser(request):
            if self.graphiql is None:
                raise HTTPException(404, "Not Found")
            return self.graphiql.render()
        if get:
            operation = request_data(query_params(request))
        elif "application/json" in request.headers.get("content-type", ""):
            operation = request_data(_json_of_request(await request.body()))
        else:
            raise HTTPException(400, "Unsupported content type")

        # Cookies and headers the resolvers set (sign-in, sign-out) go on the answer.
        sub_response = Response()
        sub_response.status_code = None  # type: ignore[assignment]
        del sub_response.headers["content-length"]
        context = await context_for(request, sub_response, self.settings)
        try:
            result = await self.schema.execute(
                operation.query,
                variable_values=operation.variables,
                context_value=context,
                operation_name=operation.operation_name,
                allowed_operation_types=GET_OPERATIONS if get else POST_OPERATIONS,
                operation_extensions=operation.extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason(request.method)) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error
        return self.response(process_result(result), sub_response, media_type)

    def response(self, answer: dict[str, Any], sub_response: Response, media_type: str) -> Response:
        status = sub_response.status_code
        if "errors" in answer and (unavailable := unavailable_headers(answer)):
            status, headers = unavailable
            sub_response.headers.update(headers)
        if media_type == media.GRAPHQL_RESPONSE:
            status, answer = media.graphql_response(answer, status)
        response = Response(
            encode_json(answer),
            status_code=status or 200,
            media_type=media.CONTENT_TYPE[media_type],
        )
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response


def _from_a_browser(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "*/*" in accept
