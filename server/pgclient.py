"""The ORM's PostgreSQL client, with a pool that hands connections back without a round trip.

asyncpg resets every connection it takes back into its pool: besides rolling back a
transaction left open (which it always does), it sends `SELECT pg_advisory_unlock_all();
CLOSE ALL; UNLISTEN *; RESET ALL;`, one more round trip per request and per transaction, which
cost about a tenth of the CPU of a `seats` request in the service and in PostgreSQL. The
service changes no session state on pooled connections: it takes no advisory locks, opens no
cursors outside a transaction, sets no settings with SET, and LISTENs on a connection of its
own (server/events.py). So the reset is left at asyncpg's part that is not optional: an open
transaction is rolled back, listeners dropped (tests/test_db_pool.py).

Named by `tortoise_config` (server/db.py) as the engine of a PostgreSQL database URL; the ORM
loads `client_class` from here.
"""

from __future__ import annotations

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Nothing to undo: see the module's docstring."""


class SeatsPostgresClient(AsyncpgDBClient):
    async def create_pool(self, **kwargs: object) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=_keep_session, **kwargs)


client_class = SeatsPostgresClient
