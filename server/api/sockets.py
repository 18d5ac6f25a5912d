"""Websockets at /graphql (graphql-transport-ws only): who may keep one open, and what runs on it.

What a socket may run, and the checks it gets (the same as an HTTP request, or stricter):

- Queries, mutations and subscriptions of the schema, through the schema's own extensions, so
  the same limits hold as over HTTP: depth 12, 30 aliases, 2000 tokens (`QUERY_TOO_COMPLEX`),
  documents that do not parse (`GRAPHQL_PARSE_FAILED`) or validate, introspection as
  configured, unexpected errors masked: each answered as an `error` message, the socket open.
- Every operation runs with the viewer looked up again, by the same lookup HTTP makes per
  request (`viewer_for_bearer` / `viewer_for_session`: one indexed read), in a context of its
  own (its own data loaders). A credential that has ended is refused with `UNAUTHENTICATED`
  and the socket is closed with 4401. The organisation row comes with that read, so `seats`
  answers the current count, not the one of when the socket opened.
- Text with a NUL character anywhere in a `subscribe` message (raw, or written `\\u0000`) is
  refused with `BAD_USER_INPUT`, as the HTTP layer refuses such bodies. A message is at most
  `SEATS_MAX_BODY_BYTES` long (the server closes the socket with 1009 otherwise).
- `login` and `logout` are refused with `BAD_REQUEST`: the session cookie is set and cleared
  over HTTP only (server/api/auth.py).
- At most `SEATS_MAX_SUBSCRIPTIONS_PER_SOCKET` operations at a time on one socket (more are
  refused with `TOO_MANY_OPERATIONS`), and at most `SEATS_MAX_SOCKETS_PER_CREDENTIAL` sockets
  per token or session in one server process (more are closed with 4429 at connection_init).

How a socket ends with its credential (R11: "stops working at once, on every transport"):

- Each process keeps its open sockets by credential: the token's id; the session (its stored
  hash) and the person's id. When a token is revoked, a session signed out, or a person loses
  access or is terminated, the change announces it with its commit (server/events.py), to
  every process; the matching sockets are closed with 4401.
- A session's expiry closes the socket at that time (a timer per socket), with 4401.
- When a process's LISTEN connection comes back after an outage, every socket's credential is
  looked up again, since an announcement may have been missed meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)

from server import events
from server.accounts.services import Viewer, viewer_for_bearer, viewer_for_session
from server.accounts.tokens import token_hash
from server.api.context import Context
from server.api.loaders import Loaders
from server.middleware import UNEXPECTED, request_id

log = logging.getLogger("seats.sockets")

# graphql-transport-ws close codes.
UNAUTHORIZED = 4401
TOO_MANY_SOCKETS = 4429
ENDED = "Your sign-in has ended (signed out, expired, revoked or access removed). Sign in again."


class TooManySockets(Exception):
    """Raised at connection_init when the credential has as many sockets open as allowed."""


@dataclass(eq=False)
class SocketCredential:
    """What one socket signed in with: the secret to look the viewer up again, the keys it is
    known by in the registry, and when it ends by itself."""

    bearer: str | None
    session_token: str | None
    keys: tuple[tuple[str, str], ...]
    expires_at: datetime | None
    handler: SocketHandler | None = field(default=None, repr=False)
    ended: bool = False

    @classmethod
    def of(cls, viewer: Viewer, *, bearer: str | None, session_token: str | None):
        if viewer.token is not None:
            keys: tuple[tuple[str, str], ...] = (("token", str(viewer.token.id)),)
            return cls(bearer=bearer, session_token=None, keys=keys, expires_at=None)
        assert session_token is not None and viewer.resource is not None
        keys = (("session", token_hash(session_token)), ("person", str(viewer.resource.id)))
        return cls(None, session_token, keys, viewer.expires_at)

    @property
    def limit_key(self) -> tuple[str, str]:
        """The credential itself (a token, a session), counted against the limit."""
        return self.keys[0]

    async def viewer(self, *, active: bool = True) -> Viewer | None:
        """The viewer now: the same lookup as an HTTP request makes. `active` False: the
        server's own check, not the person's activity (R19)."""
        if self.bearer is not None:
            return await viewer_for_bearer(self.bearer)
        if not self.session_token:
            return None
        return await viewer_for_session(self.session_token, active=active)

    def end(self) -> None:
        """The credential ended: close the socket (or, not yet attached, as soon as it is)."""
        self.ended = True
        if self.handler is not None:
            self.handler.end_soon(UNAUTHORIZED, "Unauthorized")


class OpenSockets:
    """This process's open sockets, by the credentials they were opened with."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], set[SocketCredential]] = defaultdict(set)

    def admit(self, credential: SocketCredential, limit: int) -> None:
        if len(self._by_key.get(credential.limit_key, ())) >= limit:
            raise TooManySockets
        for key in credential.keys:
            self._by_key[key].add(credential)

    def release(self, credential: SocketCredential) -> None:
        for key in credential.keys:
            held = self._by_key.get(key)
            if held is not None:
                held.discard(credential)
                if not held:
                    del self._by_key[key]

    def count(self, key: tuple[str, str]) -> int:
        return len(self._by_key.get(key, ()))

    def credential_ended(self, ended: events.CredentialEnded) -> None:
        for credential in list(self._by_key.get((ended.kind, ended.key), ())):
            credential.end()

    def resumed(self) -> None:
        """Announcements may have been missed: look every credential up again."""
        for credential in {c for held in self._by_key.values() for c in held}:
            if credential.handler is not None:
                credential.handler.recheck_soon()


registry = OpenSockets()
events.when_credential_ends(registry.credential_ended)
events.when_resumed(registry.resumed)


async def connect(context: Context, *, max_sockets: int) -> None:
    """connection_init: the session cookie (read with the handshake), else a token in the
    payload ({"Authorization": "Bearer …"}); admitted if the credential has fewer than
    `max_sockets` sockets open in this process."""
    params = context.connection_params or {}
    scheme, _, bearer = str(params.get("Authorization", "")).partition(" ")
    bearer = bearer.strip() if scheme.lower() == "bearer" else None
    if context.viewer is None and bearer:
        context.viewer = await viewer_for_bearer(bearer)
    else:
        bearer = None
    if context.viewer is None:
        raise ConnectionRejectionError({"message": "Sign in first, or send a token."})
    credential = SocketCredential.of(
        context.viewer, bearer=bearer, session_token=context.session_token
    )
    registry.admit(credential, max_sockets)
    context.credential = credential


# The context of the operation running in the current task (each operation has a task).
_operation_context: ContextVar[Context | None] = ContextVar("operation_context", default=None)


def _has_nul(value: Any) -> bool:
    """Whether any text in a decoded JSON value holds a NUL character; linear in its size."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SocketHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's graphql-transport-ws handler, with the rules at the top of this module.

    Strawberry runs each operation in a task of its own with `self.context`; here that
    attribute is the operation's own context inside an operation's task (set by
    `run_operation`, which is the task's top-level method), and the socket's elsewhere."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._background: set[asyncio.Task] = set()

    @property
    def context(self) -> Context:
        return _operation_context.get() or self._socket_context

    @context.setter
    def context(self, value: Context) -> None:
        self._socket_context = value

    @property
    def credential(self) -> SocketCredential | None:
        return self._socket_context.credential

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except TooManySockets:
            await self.websocket.close(
                TOO_MANY_SOCKETS, "Too many connections open with this sign-in or token"
            )
            return
        credential = self.credential
        if credential is None or not self.connection_acknowledged:
            return
        credential.handler = self
        if credential.ended:
            self.end_soon(UNAUTHORIZED, "Unauthorized")
        elif credential.expires_at is not None:
            self._spawn(self._end_at(credential.expires_at))

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and message["id"] not in self.operations:
            limit = self.max_subscriptions_per_connection
            refusal = None
            if _has_nul(message.get("payload")):
                refusal = GraphQLError(
                    "Text cannot contain NUL characters.",
                    extensions={"code": "BAD_USER_INPUT"},
                )
            elif limit is not None and len(self.operations) >= limit:
                refusal = GraphQLError(
                    f"At most {limit} operations can run at a time on one connection.",
                    extensions={"code": "TOO_MANY_OPERATIONS"},
                )
            if refusal is not None:
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [refusal.formatted]}
                )
                return
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        try:
            context = await self._operation_context()
        except Exception:
            log.exception("could not look up the viewer of a websocket operation")
            error = GraphQLError(
                UNEXPECTED,
                extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id.get()},
            )
            await operation.send_initial_errors([error])
            return
        if context is None:
            error = GraphQLError(ENDED, extensions={"code": "UNAUTHENTICATED"})
            await operation.send_initial_errors([error])
            await self.end(UNAUTHORIZED, "Unauthorized")
            return
        _operation_context.set(context)
        await super().run_operation(operation)

    async def _operation_context(self) -> Context | None:
        """A context of the operation's own, with the viewer as it is now (None: ended)."""
        credential = self.credential
        viewer = await credential.viewer() if credential is not None else None
        if viewer is None:
            return None
        return replace(self._socket_context, viewer=viewer, loaders=Loaders())

    def _spawn(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._background.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("a websocket's background task failed", exc_info=error)

    def end_soon(self, code: int, reason: str) -> None:
        self._spawn(self.end(code, reason))

    def recheck_soon(self) -> None:
        self._spawn(self._recheck())

    async def _recheck(self) -> None:
        credential = self.credential
        if credential is not None and await credential.viewer(active=False) is None:
            await self.end(UNAUTHORIZED, "Unauthorized")

    async def _end_at(self, moment: datetime) -> None:
        await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))
        await self.end(UNAUTHORIZED, "Unauthorized")

    async def end(self, code: int, reason: str) -> None:
        """Stops every operation (but the one calling), then closes the socket."""
        current = asyncio.current_task()
        for operation_id, operation in list(self.operations.items()):
            if operation.task is not current:
                await self.cleanup_operation(operation_id)
        await self.websocket.close(code, reason)

    async def shutdown(self) -> None:
        if (credential := self.credential) is not None:
            registry.release(credential)
            credential.handler = None
        for task in list(self._background):
            if task is not asyncio.current_task():
                task.cancel()
        await super().shutdown()
