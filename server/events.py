"""Live updates: what a committed change tells every server process.

Two kinds of news travel:

- `SeatsChanged(organization_id)`: the licences or access of an organisation changed; the
  subscriptions of `seatsChanged` hear it (server/api/live.py).
- `CredentialEnded(kind, key)`: a token was revoked (`token`, its id), a session was signed out
  (`session`, the SHA-256 of its cookie, as stored), or a person lost the right to sign in
  (`person`, their id: access removed, terminated). Open websockets signed in with it are
  closed at once (server/api/sockets.py).

News is part of the change's transaction (`transaction()`): on PostgreSQL it is sent with
NOTIFY on the change's own connection, before the commit, so PostgreSQL delivers it to every
LISTENing process exactly when the change commits, and never for a change that rolled back.
Announcing therefore needs no connection of its own and cannot fail apart from the change. In
one process (the embedded SQLite setup) the news is handed to local listeners after the commit.

Each process LISTENs on one connection of its own (`PostgresBroker`). When it breaks (the
database restarted, the network failed) it is opened again with a capped, doubling wait; once
it is back every subscription is woken to read the state afresh and every open websocket has
its credential checked again, since news sent meanwhile was not heard. One warning is logged
per outage, and one line when listening again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

log = logging.getLogger("seats.events")
CHANNEL = "seats_changed"
ENDED_CHANNEL = "seats_credential_ended"
CREDENTIAL_KINDS = frozenset({"token", "session", "person"})
# The LISTEN connection is opened again after 0.5 s, 1 s, 2 s … at most this many seconds.
RECONNECT_MAX_SECONDS = 10.0
# A LISTEN connection that has heard nothing for this long is asked whether it still works
# (a network that drops packets silently does not end the connection by itself).
PROBE_SECONDS = 30.0


@dataclass(frozen=True)
class SeatsChanged:
    organization_id: int


@dataclass(frozen=True)
class CredentialEnded:
    kind: str  # one of CREDENTIAL_KINDS
    key: str

    def __post_init__(self) -> None:
        if self.kind not in CREDENTIAL_KINDS:
            raise ValueError(f"not a kind of credential: {self.kind!r}")


Event = SeatsChanged | CredentialEnded


class News:
    """The news of one transaction, each item once."""

    def __init__(self) -> None:
        self.items: dict[Event, None] = {}

    def add(self, event: Event) -> None:
        self.items[event] = None

    def __iter__(self):
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


# Who hears that a credential ended, or that news may have been missed (set up by the
# websocket registry on import; the broker can be replaced, these stay).
_ended_hooks: list[Callable[[CredentialEnded], None]] = []
_resumed_hooks: list[Callable[[], None]] = []


def when_credential_ends(hook: Callable[[CredentialEnded], None]) -> None:
    _ended_hooks.append(hook)


def when_resumed(hook: Callable[[], None]) -> None:
    """`hook` runs when news may have been missed (the LISTEN connection came back)."""
    _resumed_hooks.append(hook)


def _call(hooks: Iterable[Callable], *args) -> None:
    for hook in hooks:
        try:
            hook(*args)
        except Exception:
            log.exception("a listener of live news failed")


class LocalBroker:
    """Delivers within this process only."""

    def __init__(self) -> None:
        self._queues: dict[int, set[asyncio.Queue[None]]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def before_commit(self, conn: BaseDBAsyncClient, news: News) -> None:
        return None

    async def after_commit(self, news: News) -> None:
        for event in news:
            self.deliver(event)

    def deliver(self, event: Event) -> None:
        if isinstance(event, SeatsChanged):
            self._wake(event.organization_id)
        else:
            _call(_ended_hooks, event)

    def _wake(self, organization_id: int) -> None:
        for queue in self._queues.get(organization_id, ()):
            # A waiting listener needs one wake-up, however many changes came meanwhile.
            if queue.empty():
                queue.put_nowait(None)

    def resumed(self) -> None:
        """News may have been missed: wake every listener, and tell the hooks."""
        for organization_id in list(self._queues):
            self._wake(organization_id)
        _call(_resumed_hooks)

    @asynccontextmanager
    async def listen(self, organization_id: int) -> AsyncIterator[asyncio.Queue[None]]:
        """A queue that gets a wake-up after changes of the organisation (registered before
        this returns, so nothing committed afterwards is missed)."""
        queue: asyncio.Queue[None] = asyncio.Queue(maxsize=1)
        self._queues[organization_id].add(queue)
        try:
            yield queue
        finally:
            self._queues[organization_id].discard(queue)
            if not self._queues[organization_id]:
                del self._queues[organization_id]


def _payload(event: Event) -> tuple[str, str]:
    if isinstance(event, SeatsChanged):
        return CHANNEL, str(event.organization_id)
    return ENDED_CHANNEL, f"{event.kind}:{event.key}"


def _parse(channel: str, payload: str) -> Event | None:
    try:
        if channel == CHANNEL:
            return SeatsChanged(int(payload))
        kind, _, key = payload.partition(":")
        return CredentialEnded(kind, key) if key else None
    except ValueError:
        return None


class PostgresBroker(LocalBroker):
    """Delivers to every process LISTENing on the database."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self._dsn = dsn.replace("postgres://", "postgresql://", 1)
        self._listener: asyncpg.Connection | None = None
        self._keeper: asyncio.Task | None = None
        self.reconnections = 0

    async def start(self) -> None:
        # The first connection is made here: a process that cannot reach its database at
        # start fails to start, as it does for the ORM.
        self._listener = await self._connect()
        self._keeper = asyncio.create_task(self._keep_listening())

    async def stop(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
            self._keeper = None
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close(timeout=2)
            self._listener = None

    async def _connect(self) -> asyncpg.Connection:
        conn = await asyncpg.connect(self._dsn, timeout=10)
        try:
            await conn.add_listener(CHANNEL, self._on_notify)
            await conn.add_listener(ENDED_CHANNEL, self._on_notify)
        except BaseException:
            conn.terminate()
            raise
        return conn

    async def _keep_listening(self) -> None:
        """Watch the LISTEN connection; when it ends, open it again (capped doubling waits)
        and then catch up on what may have been missed."""
        while True:
            conn = self._listener
            assert conn is not None
            await self._until_lost(conn)
            conn.terminate()
            self._listener = None
            log.warning("live updates: lost the LISTEN connection; connecting again")
            self._listener = await self._reconnect()
            self.reconnections += 1
            log.warning("live updates: listening again; subscribers get the current state")
            self.resumed()

    @staticmethod
    async def _until_lost(conn: asyncpg.Connection) -> None:
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        while not lost.is_set() and not conn.is_closed():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), PROBE_SECONDS)
                continue
            try:
                await conn.fetchval("SELECT 1", timeout=10)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                return

    async def _reconnect(self) -> asyncpg.Connection:
        delay = 0.5
        while True:
            await asyncio.sleep(delay)
            try:
                return await self._connect()
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    def _on_notify(self, connection, pid, channel: str, payload: str) -> None:
        event = _parse(channel, payload)
        if event is None:
            log.warning("ignored a malformed notification: %r", payload)
            return
        super().deliver(event)

    async def before_commit(self, conn: BaseDBAsyncClient, news: News) -> None:
        for event in news:
            await conn.execute_query("SELECT pg_notify($1, $2)", list(_payload(event)))

    async def after_commit(self, news: News) -> None:
        # NOTIFY reaches this process's own listener too, so no local delivery here.
        return None


broker: LocalBroker = LocalBroker()


def use(new: LocalBroker) -> None:
    global broker
    broker = new


@asynccontextmanager
async def transaction() -> AsyncIterator[tuple[BaseDBAsyncClient, News]]:
    """A database transaction whose news (`news.add(...)`) is announced with its commit:
    sent inside it on PostgreSQL, handed out after it in one process. A transaction that
    fails announces nothing."""
    news = News()
    async with in_transaction() as conn:
        yield conn, news
        if news:
            await broker.before_commit(conn, news)
    if news:
        await broker.after_commit(news)
