"""Live updates over graphql-transport-ws: `seatsChanged`.

All the subscribers of one organisation in a process share one feed: after each change (and
after the LISTEN connection came back from an outage) the feed reads the seats once and hands
that value to every subscriber. A change costs one read per organisation and process, however
many subscribe. Whether the subscriber may still listen is not looked up per change: a socket
whose credential ends is closed (server/api/sockets.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager

import strawberry

from server import events
from server.api.context import Info
from server.api.permissions import READ_SEATS
from server.api.types import Seats
from server.db import database_unavailable
from server.errors import NotFound
from server.licensing import services

log = logging.getLogger("seats.live")

# What a subscriber's queue holds: the latest seats, or None once the organisation is gone.
Latest = services.Seats | None


class Feed:
    """One organisation's subscribers in this process, and the task that reads for them."""

    def __init__(self, organization_id: int) -> None:
        self.organization_id = organization_id
        self.subscribers: set[asyncio.Queue[Latest]] = set()
        self.listening = asyncio.Event()
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async with events.broker.listen(self.organization_id) as changed:
            self.listening.set()
            while True:
                await changed.get()
                try:
                    latest: Latest = await services.get_seats(self.organization_id)
                except NotFound:
                    latest = None
                except Exception as error:
                    # The next change, or the return of the database, reads again.
                    if not database_unavailable(error):
                        log.exception(
                            "could not read organisation %s's seats", self.organization_id
                        )
                    else:
                        log.warning(
                            "live updates: the database is away; organisation %s's "
                            "seats are read again when it is back",
                            self.organization_id,
                        )
                    continue
                for queue in self.subscribers:
                    _put_latest(queue, latest)


def _put_latest(queue: asyncio.Queue[Latest], value: Latest) -> None:
    """A subscriber that has not taken the value before still gets only the latest one."""
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(value)


_feeds: dict[int, Feed] = {}


@asynccontextmanager
async def following(organization_id: int) -> AsyncIterator[asyncio.Queue[Latest]]:
    """A queue of the organisation's seats after each change, from the moment this returns."""
    feed = _feeds.get(organization_id)
    if feed is None:
        feed = _feeds[organization_id] = Feed(organization_id)
    queue: asyncio.Queue[Latest] = asyncio.Queue(maxsize=1)
    feed.subscribers.add(queue)
    try:
        await feed.listening.wait()
        yield queue
    finally:
        feed.subscribers.discard(queue)
        if not feed.subscribers and _feeds.get(organization_id) is feed:
            del _feeds[organization_id]
            feed.task.cancel()


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description="The organisation's licenses now, and again after every committed change "
        "of licenses or login access, by anyone, in any server process, and after the server "
        "lost and regained its database connection. When the subscriber's session or token "
        "stops being valid, the connection is closed with code 4401.",
        permission_classes=READ_SEATS,
    )
    async def seats_changed(self, info: Info) -> AsyncGenerator[Seats, None]:
        organization_id = info.context.organization_id
        async with following(organization_id) as latest:
            yield Seats.of(await services.get_seats(organization_id))
            while (seats := await latest.get()) is not None:
                yield Seats.of(seats)
