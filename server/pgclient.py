"""The ORM's PostgreSQL client, with a pool that hands a connection back without a round trip
unless something was interrupted on it.

asyncpg resets every connection it takes back into its pool: besides rolling back a
transaction left open (which it always does), it sends `SELECT pg_advisory_unlock_all();
CLOSE ALL; UNLISTEN *; RESET ALL;`, one more round trip per request and per transaction, which
cost about a tenth of the CPU of a `seats` request in the service and in PostgreSQL. The
service changes no session state on pooled connections: it takes no advisory locks, opens no
cursors outside a transaction, sets no settings with SET, and LISTENs on a connection of its
own (server/events.py). So a connection whose statements all ran to their end goes back with
asyncpg's part that is not optional only: an open transaction is rolled back, listeners dropped.

A statement left unfinished (its task cancelled, a timeout, an error) is another matter: the
server may still be in the middle of the extended protocol, inside the statement's implicit
transaction and holding its locks until the client sends more. Such a connection gets
asyncpg's whole reset, whose simple query brings the server back to idle
(tests/test_db_pool.py shows both).

Named by `tortoise_config` (server/db.py) as the engine of a PostgreSQL database URL; the ORM
loads `client_class` from here.
"""

from __future__ import annotations

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient


class SeatsConnection(asyncpg.Connection):
    """asyncpg's connection, remembering whether a statement was left unfinished since it was
    last handed back to the pool.

    asyncpg prepares a statement (Parse, Describe, Flush: no Sync), then binds and executes it
    (Bind, Execute, Sync). A task cancelled between the two leaves the server inside the
    statement's implicit transaction, holding its locks, until the client sends a Sync or a
    query. So a statement counts as unfinished from its start until its result is in hand; an
    error counts as unfinished too (rare, and then the reset is one round trip)."""

    interrupted = False

    async def _do_execute(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # asyncpg's one way to run a statement with arguments (fetch, execute with arguments,
        # executemany): prepare, then bind and execute. A statement cancelled while it runs
        # is waited for by asyncpg up to its ReadyForQuery; one cancelled before its Bind is
        # not, and the server goes on waiting for the rest.
        self.interrupted = True
        result = await super()._do_execute(*args, **kwargs)
        self.interrupted = False
        return result


async def reset(connection: SeatsConnection) -> None:
    """The pool's reset, after asyncpg has rolled back any open transaction and waited for a
    cancellation in flight: nothing more, unless a statement was left unfinished on it."""
    if connection.interrupted:
        connection.interrupted = False
        await connection.execute(connection.get_reset_query() or "SELECT 1")


class SeatsPostgresClient(AsyncpgDBClient):
    connection_class = SeatsConnection

    async def create_pool(self, **kwargs: object) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=reset, **kwargs)


client_class = SeatsPostgresClient
