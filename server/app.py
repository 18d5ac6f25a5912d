"""The web application: GraphQL (and GraphiQL) at /graphql, the page at /, /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Send
from starlette.types import Scope as AsgiScope
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from server import events
from server.accounts import rules
from server.accounts.models import Scope
from server.accounts.services import Viewer, viewer_for_bearer, viewer_for_session
from server.api import media, sockets
from server.api.context import Context
from server.api.engine.errors import unavailable_headers
from server.api.engine.schema import Extension
from server.api.schema import create_schema
from server.api.sockets import SocketHandler
from server.db import tortoise_config
from server.errors import DomainError, InvalidInput
from server.graphiql import GraphiQLAssets
from server.jobs import run_periodically
from server.licensing.history import history_rows
from server.middleware import RETRY_AFTER_SECONDS, Guard
from server.settings import Settings, get_settings
from server.webhooks import delivery as webhook_delivery

log = logging.getLogger("seats.http")


class TextFrames(ASGIWebSocketAdapter):
    """graphql-transport-ws messages are text frames; our JSON encoder makes bytes. Closing
    a socket that is already closed does nothing (a credential may end while it closes)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        # A close frame holds a reason of at most 123 bytes.
        reason = reason.encode()[:123].decode(errors="ignore")
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            await self.ws.close(code=code, reason=reason)


class SeatsGraphQL(GraphQL):
    """Strawberry's ASGI view, with our context and faster JSON: every GraphQL request over
    HTTP, GET or POST, first or hundredth, runs through it and the schema's extensions.
    Websockets speak graphql-transport-ws only, through server/api/sockets.py (which says what
    they may run)."""

    websocket_adapter_class = TextFrames
    graphql_transport_ws_handler_class = SocketHandler

    def __init__(self, settings: Settings, extensions: Sequence[Extension] = ()) -> None:
        super().__init__(
            create_schema(introspection=settings.introspection, extensions=extensions),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=settings.max_subscriptions_per_socket,
        )
        self.settings = settings
        self.graphiql_assets = GraphiQLAssets(settings.vendor_dir)
        # Strawberry reads a body differently when it may stream the answer over HTTP.
        streaming = {GRAPHQL_SSE_PROTOCOL, MULTIPART_SUBSCRIPTION_PROTOCOL}
        self.streams_over_http = bool(streaming & set(self.protocols))

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from this server's own files (server/graphiql), not from a CDN."""
        return self.graphiql_assets.render()

    async def get_context(self, request: Request, response: Response) -> Context:
        token = request.cookies.get(self.settings.session_cookie_name)
        viewer = await _viewer(request, self.settings)
        return Context(
            request=request,
            response=response,
            settings=self.settings,
            viewer=viewer,
            session_token=token,
            websocket=request.scope["type"] == "websocket",
        )

    async def on_ws_connect(self, context: Context) -> None:
        """A websocket may carry a token in connection_init: {"Authorization": "Bearer …"}
        (browsers cannot set headers on websockets; their cookie works as for HTTP)."""
        await sockets.connect(context, max_sockets=self.settings.max_sockets_per_credential)

    async def get_sub_response(self, request: Request) -> Response:
        """The sub-response carries the media type the client asked for (server/api/media.py)
        to `create_response`, which does not see the request."""
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = media.chosen(request.headers)
        return sub_response

    def create_response(
        self, response_data: GraphQLHTTPResponse, sub_response: Response
    ) -> Response:
        if "errors" in response_data and (
            unavailable := unavailable_headers(response_data)  # type: ignore[arg-type]
        ):
            sub_response.status_code, headers = unavailable
            sub_response.headers.update(headers)
        if sub_response.media_type != media.GRAPHQL_RESPONSE:
            return super().create_response(response_data, sub_response)
        sub_response.status_code, response_data = media.graphql_response(
            response_data,  # type: ignore[arg-type]
            sub_response.status_code,
        )
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = media.CONTENT_TYPE[media.GRAPHQL_RESPONSE]
        return response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """As strawberry's, without its general content-type parser and stream transports for
        the common request: a POST of exactly `application/json` with one operation, when the
        view streams nothing over HTTP. Anything else is strawberry's to read."""
        if (
            request.method == "POST"
            and request.content_type == "application/json"
            and not self.streams_over_http
        ):
            data = self.parse_json(await request.get_body())
            if isinstance(data, dict):
                return request_data(data)
        return await super().parse_http_body(request)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            # What orjson refuses but JSON allows (a lone surrogate escaped, NaN, integers
            # beyond 64 bits) is read as the standard library reads it, or refused by it.
            return json.loads(data)

    def encode_json(self, data: GraphQLHTTPResponse) -> bytes:
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            # A lone surrogate quoted back in a message: the standard encoder escapes it.
            return json.dumps(data).encode()

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        """As strawberry's, but a request it refuses (not JSON, no query, a subscription
        without a websocket) is answered as JSON with a code, like every other error, in the
        media type the client asked for (a mutation by GET is then 405)."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as refused:
            media_type = media.chosen(request.headers)
            status, headers = media.refusal(refused, scope["method"], media_type)
            response = JSONResponse(
                {"errors": [{"message": refused.reason, "extensions": {"code": "BAD_REQUEST"}}]},
                status_code=status,
                headers=headers,
                media_type=media.CONTENT_TYPE[media_type],
            )
        await response(scope, receive, send)


def request_data(data: dict) -> GraphQLRequestData:
    """One operation of a JSON body, refused as strawberry's view refuses it
    (tests/test_api_one_path.py sends the same bodies both ways)."""
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


async def _viewer(request: Request, settings: Settings) -> Viewer | None:
    """A bearer token if the request has one, else the session cookie."""
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return await viewer_for_bearer(bearer.strip())
    token = request.cookies.get(settings.session_cookie_name)
    return await viewer_for_session(token) if token else None


def _date_param(request: Request, name: str) -> date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date (YYYY-MM-DD).", field=name) from None


# A cell a spreadsheet would read as a formula (or, for TAB and CR, that some read as the
# start of one); OWASP's advice on CSV injection: make it text with a leading single quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell of a CSV export that no spreadsheet runs: `=HYPERLINK(…)` is written
    `'=HYPERLINK(…)`, still readable, never a live formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(
    settings: Settings | None = None,
    *,
    manage_database: bool = True,
    extensions: Sequence[Extension] = (),
) -> Starlette:
    """`manage_database=False` leaves opening and closing the ORM to the caller (tests);
    `extensions`: more schema extensions (classes or factories), run for every GraphQL
    operation, over HTTP and websockets alike."""
    settings = settings or get_settings()

    async def healthz(request: Request) -> Response:
        """Liveness: the process answers. It needs no database (a restart would not bring
        one back); /readyz tells whether the database answers."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        """Readiness: 200 when the database answers a query, else 503."""
        try:
            await connections.get("default").execute_query("SELECT 1")
        except Exception as error:
            log.warning("not ready: the database does not answer: %r", error)
            return JSONResponse(
                {"status": "unavailable"},
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return JSONResponse({"status": "ok"})

    async def history_csv(request: Request) -> Response:
        """The license history as CSV, for the signed-in organisation (R15)."""
        viewer = await _viewer(request, settings)
        if viewer is None:
            return _error(401, "UNAUTHENTICATED", "Sign in first.")
        token_scopes = viewer.token.scope_set if viewer.token else None
        if not rules.may(Scope.SEATS_READ, role=viewer.role, token_scopes=token_scopes):
            return _error(
                403,
                "FORBIDDEN",
                "The licenses page is for administrators and users with access to resources "
                "(API tokens: scope seats:read).",
            )
        try:
            since, until = _date_param(request, "from"), _date_param(request, "to")
            rows = await history_rows(viewer.organization, since=since, until=until)
        except DomainError as error:
            return _error(400, error.code, error.message)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["occurred_at", "from", "to", "reason", "actor", "resource", "effective_on"]
        )
        for row in rows:
            writer.writerow(
                [
                    row.occurred_at.isoformat(),
                    row.from_count,
                    row.to_count,
                    row.reason.value,
                    csv_text(row.actor_name),
                    csv_text(row.resource.name) if row.resource else "",
                    row.effective_on.isoformat(),
                ]
            )
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="license-history.csv"'},
        )

    graphql = SeatsGraphQL(settings, extensions)
    routes = [
        # The API's hot route first: the router tries the routes in order.
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/history.csv", history_csv),
    ]
    if settings.graphiql:
        routes.append(graphql.graphiql_assets.route())
    if (settings.web_dir / "index.html").exists():
        routes.append(Mount("/", StaticFiles(directory=settings.web_dir, html=True)))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not manage_database:
            yield
            return
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            broker = (
                events.LocalBroker()
                if settings.is_sqlite
                else events.PostgresBroker(settings.database_url)
            )
            await broker.start()
            events.use(broker)
            jobs = [
                asyncio.create_task(run_periodically(settings.job_interval_seconds)),
                asyncio.create_task(webhook_delivery.run_periodically(settings)),
            ]
            try:
                yield
            finally:
                for job in jobs:
                    job.cancel()
                for job in jobs:
                    with contextlib.suppress(asyncio.CancelledError):
                        await job
                await broker.stop()

    guard = Middleware(
        Guard,
        max_body=settings.max_body_bytes,
        allowed_origins=settings.allowed_origins,
        cookie_name=settings.session_cookie_name,
        hsts=settings.session_cookie_secure,
    )
    return Starlette(routes=routes, lifespan=lifespan, middleware=[guard])
