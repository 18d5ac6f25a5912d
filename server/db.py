"""The ORM configuration; the migration tool reads `TORTOISE_ORM` from here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.settings import get_settings

MODEL_MODULES = [
    "server.accounts.models",
    "server.licensing.models",
    "server.billing.models",
    "server.idempotency",
    "server.webhooks.models",
]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def tortoise_config(database_url: str | None = None) -> dict[str, Any]:
    url = database_url or get_settings().database_url
    if url.startswith("sqlite://"):
        Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
    return {
        "connections": {"default": _connection(url)},
        "apps": {
            "models": {
                "models": [*MODEL_MODULES, "aerich.models"],
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection(url: str) -> str | dict[str, Any]:
    """A PostgreSQL database goes through our client, whose pool skips the reset query
    (server/pgclient.py); SQLite stays the ORM's URL."""
    if not url.startswith(("postgres://", "postgresql://")):
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    return {**expand_db_url(url), "engine": "server.pgclient"}


TORTOISE_ORM = tortoise_config()


async def migrate(database_url: str | None = None) -> list[str]:
    """Apply every committed migration that the database has not seen yet."""
    from aerich import Command

    command = Command(tortoise_config(database_url), app="models", location=str(MIGRATIONS))
    async with command:
        await command.init()
        return await command.upgrade(run_in_transaction=True)


# SQLite's words for a database file it cannot reach.
_SQLITE_UNREACHABLE = ("unable to open database", "disk i/o error")
# asyncpg's words for a query on a connection PostgreSQL ended while it was idle (a restart's
# fast shutdown, pg_terminate_backend): the server sends the connection an error, then closes
# it. Until asyncpg sees the close, the pool still hands the connection out, and its protocol,
# discarding that error (state 2, "error consume"), refuses the next query with this.
_ENDED_WHILE_IDLE = "another operation (2) is in progress"


def _unavailable_itself(error: BaseException) -> bool:
    import asyncpg
    from tortoise.exceptions import DBConnectionError

    if isinstance(error, OSError | DBConnectionError):  # refused, reset, timed out, no host
        return True
    if isinstance(
        error,
        asyncpg.PostgresConnectionError  # lost or never made
        | asyncpg.exceptions.OperatorInterventionError  # shutting down, starting up
        | asyncpg.TooManyConnectionsError,
    ):
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return "closed" in str(error)  # "connection is closed", "pool is closed"
    if isinstance(error, asyncpg.InternalClientError):
        return _ENDED_WHILE_IDLE in str(error)
    if type(error).__name__ == "OperationalError" and type(error).__module__ == "sqlite3":
        return str(error).lower().startswith(_SQLITE_UNREACHABLE)
    return False


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached (not down, a wrong query): the
    error itself, or what it wraps (the ORM wraps the drivers' errors, some as their cause,
    some as their argument). A few steps at most."""
    seen: list[BaseException] = [error]
    for current in seen:
        if _unavailable_itself(current):
            return True
        if len(seen) > 8:
            break
        for inner in (current.__cause__, current.__context__, *current.args[:1]):
            if isinstance(inner, BaseException) and all(inner is not s for s in seen):
                seen.append(inner)
    return False


def _release_the_lock_when_connecting_fails() -> None:
    """The ORM's SQLite client (tortoise-orm 1.1) opens its file on first use while holding
    the connection's lock, and keeps the lock when opening fails ("unable to open database
    file"): every later query then waits for ever, even once the file can be opened again.
    Here the lock is let go when opening fails, so each request gets its answer (503) and the
    service recovers by itself. `ensure_connection` of both wrappers is called only by their
    `__aenter__`, right after taking the lock, which `__aexit__` would have let go."""
    from tortoise.backends.base.client import ConnectionWrapper
    from tortoise.backends.sqlite.client import SqliteTransactionContext

    def releasing(ensure, lock_of):
        async def ensure_connection(self) -> None:
            try:
                await ensure(self)
            except BaseException:
                lock_of(self).release()
                raise

        ensure_connection.releases_lock = True
        return ensure_connection

    for wrapper, lock_of in (
        (ConnectionWrapper, lambda w: w._lock),
        (SqliteTransactionContext, lambda c: c._trxlock),
    ):
        if not getattr(wrapper.ensure_connection, "releases_lock", False):
            wrapper.ensure_connection = releasing(wrapper.ensure_connection, lock_of)


_release_the_lock_when_connecting_fails()


def _sqlite_upper_as_postgresql() -> None:
    """SQLite's own UPPER changes ASCII letters only (and its LIKE ignores the case of those
    only), where PostgreSQL's UPPER writes every letter in capitals: the people search, which
    compares UPPER(column) LIKE UPPER(pattern) on both databases, would find "Ärzte" for "ärz"
    on PostgreSQL only. Every connection of the ORM's SQLite client therefore gets an UPPER
    that writes a text as PostgreSQL's does (server/text.py): the same SQL gives the same
    answers on both. Only the search calls UPPER; the triggers of the search index do not,
    so a connection without it (the sqlite3 shell, the benchmark's seeding) writes as well."""
    from tortoise.backends.sqlite.client import SqliteClient

    from server.text import upper_case

    create = SqliteClient.create_connection
    if getattr(create, "adds_upper", False):
        return

    async def create_connection(self, with_db: bool) -> None:
        opened = self._connection is None
        await create(self, with_db)
        if opened and self._connection is not None:
            await self._connection.create_function("upper", 1, upper_case, deterministic=True)

    create_connection.adds_upper = True
    SqliteClient.create_connection = create_connection


_sqlite_upper_as_postgresql()
