"""A real HTTP receiver of webhooks on loopback, for the tests of issue 15: it keeps every
request it gets, and can be told to fail the first arrival of each message."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    client_port: int  # the sender's end of the connection

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    port: int
    fail_first: bool = False  # answer 500 to the first arrival of each webhook-id
    status: int = 204
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # The first request waits (after being kept) until `hold` is set; `arrived` tells it came.
    hold: asyncio.Event | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    received: list[Received] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def _handle(self, request: Request) -> Response:
        port = request.client.port if request.client else 0
        arrival = Received(dict(request.headers), await request.body(), port)
        self.received.append(arrival)
        if self.hold is not None and not self.arrived.is_set():
            self.arrived.set()
            await self.hold.wait()
        first = Counter(r.message_id for r in self.received)[arrival.message_id] == 1
        if self.fail_first and first:
            return Response(b"not yet", status_code=500)
        return Response(self.body, status_code=self.status, headers=self.headers)

    async def start(self) -> None:
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST", "GET"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()  # a held request ends, or shutting down would wait for it
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._server = self._task = None

    def ids(self) -> set[str]:
        return {r.message_id for r in self.received}
