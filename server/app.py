"""The web application: GraphQL (and GraphiQL) at /graphql, SCIM 2.0 at /scim/v2, the page at
/, /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import gc
import io
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions import (
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
)
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from server import events
from server.accounts import rules
from server.accounts.models import Scope
from server.api import sockets
from server.api.context import Context
from server.api.engine.schema import Extension, SeatsSchema
from server.api.http import GraphQLOverHTTP, context_for, decode_json, encode_json, viewer_of
from server.api.schema import create_schema
from server.api.sockets import SocketHandler
from server.db import tortoise_config
from server.errors import DomainError, InvalidInput
from server.jobs import run_periodically
from server.licensing.history import history_rows
from server.middleware import RETRY_AFTER_SECONDS, Guard
from server.scim.application import ScimApplication
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
    """Strawberry's ASGI view, for websockets: graphql-transport-ws only, through
    server/api/sockets.py (which says what they may run), with the context of an HTTP request
    (server/api/http.py, the path of every GraphQL request over HTTP)."""

    websocket_adapter_class = TextFrames
    graphql_transport_ws_handler_class = SocketHandler

    def __init__(self, schema: SeatsSchema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=settings.max_subscriptions_per_socket,
        )
        self.settings = settings

    async def get_context(self, request: WebSocket, response: Response) -> Context:
        return await context_for(request, response, self.settings)  # type: ignore[arg-type]

    async def on_ws_connect(self, context: Context) -> None:
        """A websocket may carry a token in connection_init: {"Authorization": "Bearer …"}
        (browsers cannot set headers on websockets; their cookie works as for HTTP)."""
        await sockets.connect(context, max_sockets=self.settings.max_sockets_per_credential)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)


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


def settle_memory(youngest: int) -> None:
    """Once a serving process has started: what it holds then (modules, the schema, the ORM's
    models, the pools) is left out of every later collection of cycles, and the youngest
    generation is collected after `youngest` new objects (SEATS_GC_YOUNGEST), not 700.

    Measured in one process, rounds alternating, on a page of 100 people: with Python's
    defaults 5 to 9 % of its CPU went to the collector, and in 1 000 pages 915 of its 1 000
    collections freed nothing, examining the objects of the answer being built again and again.
    Cycles made later are still collected (requests leave about 250 objects a page);
    objects without cycles are freed at once, as always."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(youngest, *gc.get_threshold()[1:])


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
        viewer = await viewer_of(request, settings)
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

    schema = create_schema(introspection=settings.introspection, extensions=extensions)
    graphql = GraphQLOverHTTP(schema, settings)
    routes = [
        # The API's hot route first: the router tries the routes in order.
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", SeatsGraphQL(schema, settings)),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/history.csv", history_csv),
        # SCIM 2.0 for identity providers (R17): /scim/v2/Users, /scim/v2/Schemas, …
        Mount("/scim", app=ScimApplication(settings.max_license_count)),
    ]
    if graphql.graphiql is not None:
        routes.append(graphql.graphiql.route())
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
            settle_memory(settings.gc_youngest)
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
