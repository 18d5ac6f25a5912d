"""Live updates: "the seats of organisation N changed", from the process that committed the
change to every subscriber in every server process.

In one process (the embedded SQLite setup) a broker hands events to local queues. With
PostgreSQL each process LISTENs on one channel and every change is announced with NOTIFY, so
a subscriber hears changes made by any process.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

log = logging.getLogger("seats.events")
CHANNEL = "seats_changed"


class LocalBroker:
    """Delivers within this process only."""

    def __init__(self) -> None:
        self._queues: dict[int, set[asyncio.Queue[None]]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, organization_id: int) -> None:
        self._deliver(organization_id)

    def _deliver(self, organization_id: int) -> None:
        for queue in self._queues.get(organization_id, ()):
            # A waiting subscriber needs one wake-up, however many changes came meanwhile.
            if queue.empty():
                queue.put_nowait(None)

    @asynccontextmanager
    async def listen(self, organization_id: int) -> AsyncIterator[asyncio.Queue[None]]:
        queue: asyncio.Queue[None] = asyncio.Queue(maxsize=1)
        self._queues[organization_id].add(queue)
        try:
            yield queue
        finally:
            self._queues[organization_id].discard(queue)
            if not self._queues[organization_id]:
                del self._queues[organization_id]


class PostgresBroker(LocalBroker):
    """Delivers to every process LISTENing on the database."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self._dsn = dsn.replace("postgres://", "postgresql://", 1)
        self._listener: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        self._listener = await asyncpg.connect(self._dsn)
        await self._listener.add_listener(CHANNEL, self._on_notify)

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.close()
            self._listener = None

    def _on_notify(self, connection, pid, channel, payload: str) -> None:
        try:
            self._deliver(int(payload))
        except ValueError:
            log.warning("ignored a malformed notification: %r", payload)

    async def publish(self, organization_id: int) -> None:
        # NOTIFY reaches this process's own listener too, so no local delivery here.
        async with self._lock:
            await self._listener.execute("SELECT pg_notify($1, $2)", CHANNEL, str(organization_id))


broker: LocalBroker = LocalBroker()


def use(new: LocalBroker) -> None:
    global broker
    broker = new


async def seats_changed(organization_id: int) -> None:
    """Announce a committed change; a failure to announce never undoes the change."""
    try:
        await broker.publish(organization_id)
    except Exception:
        log.exception("could not announce a change of organisation %s", organization_id)
