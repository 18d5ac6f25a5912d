"""Helpers for the hand-written statements of the reads every request makes.

The ORM's query builder costs more CPU than the statements it builds: about 1 ms to build a
page of people and 0.7 ms to build its count, against 0.05 ms for the database to plan a
prepared statement it already knows. The hottest reads (who is behind a request:
server/accounts/lookups.py; a page of people and its count: server/accounts/queries.py; the
rows a page names, read by id for the API's loaders) are therefore written by hand with `$n`
placeholders (turned into `?` on SQLite) and run through the ORM's own connection. Here:
running them, naming joined columns, making rows into ORM models, and reading rows by id in
chunks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

M = TypeVar("M", bound=Model)

_statements = logging.getLogger("tortoise.db_client")


# The statements' texts and the models are a fixed few: these caches are bounded all the same
# (no cache in the service grows without bound).
@lru_cache(maxsize=32)
def columns(model: type[Model]) -> tuple[str, ...]:
    """Every column the ORM reads for the model (after the ORM is initialised)."""
    meta = model._meta
    fields = (*meta.db_native_fields, *meta.db_default_fields, *meta.db_complex_fields)
    found = tuple(column for column, _, _ in fields)
    if not found:
        raise RuntimeError(f"{model.__name__}: the ORM is not initialised yet")
    return found


def select(model: type[Model], alias: str) -> str:
    """The model's columns, each named `<alias>_<column>` so joined tables do not clash."""
    return ",".join(f'{alias}."{c}" AS "{alias}_{c}"' for c in columns(model))


@lru_cache(maxsize=32)
def _named(model: type[Model], alias: str) -> tuple[tuple[str, str], ...]:
    return tuple((c, f"{alias}_{c}") for c in columns(model))


def model_of(model: type[M], row: Mapping, alias: str) -> M:
    """The model from a row (a dict, or the driver's row) read with `select(model, alias)`."""
    return model._init_from_db(**{c: row[named] for c, named in _named(model, alias)})


def day(value: date | str | None) -> date | None:
    """A date column's value: PostgreSQL's driver gives dates, SQLite keeps ISO text."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def utc(moment_: datetime) -> datetime:
    """A moment as the database keeps it: in UTC (SQLite compares moments as their text)."""
    return moment_.astimezone(UTC)


def moment(value: datetime | str | None) -> datetime | None:
    """A moment column's value: PostgreSQL's driver gives aware datetimes, SQLite keeps ISO
    text, in UTC."""
    return value if value is None or isinstance(value, datetime) else datetime.fromisoformat(value)


@lru_cache(maxsize=256)
def _for_dialect(sql: str, sqlite: bool) -> str:
    return re.sub(r"\$\d+", "?", sql) if sqlite else sql


def on_sqlite(db: BaseDBAsyncClient | None = None) -> bool:
    """Whether the ORM's connection (or `db`) is SQLite's (else PostgreSQL's)."""
    return (db or connections.get("default")).schema_generator.DIALECT == "sqlite"


async def fetch(sql: str, params: list, conn: BaseDBAsyncClient | None = None) -> list[Mapping]:
    """Run a statement written with `$1…$n` (each placeholder once, in order), in the
    transaction of `conn` if given: its rows, each a read-only mapping of its columns by name.
    On PostgreSQL the driver's own rows: the ORM's method would copy each into a dict, about a
    twentieth of the CPU of a page of 100 people."""
    db = conn or connections.get("default")
    if on_sqlite(db):
        return await db.execute_query_dict(_for_dialect(sql, True), params)
    # Logged as the ORM logs the statements it runs (tests count them).
    _statements.debug("%s: %s", sql, params)
    async with db.acquire_connection() as connection:
        return await connection.fetch(sql, *params)


async def fetch_one(sql: str, params: list) -> Mapping | None:
    """The first row of a statement written like `fetch`'s, or None (the look-up every request
    makes: server/accounts/lookups.py)."""
    db = connections.get("default")
    if on_sqlite(db):
        rows = await db.execute_query_dict(_for_dialect(sql, True), params)
        return rows[0] if rows else None
    async with db.acquire_connection() as connection:
        return await connection.fetchrow(sql, *params)


async def fetch_planned(sql: str, params: list) -> list[Mapping]:
    """The rows of a statement written like `fetch`'s, planned on PostgreSQL for these very
    parameters every time. A statement the driver keeps prepared is planned, after its fifth
    run, once for any parameters; for a search that plan reads every person of the
    organisation (a `LIKE` whose pattern the plan cannot see). An unnamed statement is planned
    when its parameters are bound, at the cost of one more round trip."""
    db = connections.get("default")
    if on_sqlite(db):
        return await db.execute_query_dict(_for_dialect(sql, True), params)
    # Logged as the ORM logs the statements it runs (tests count them).
    _statements.debug("%s: %s", sql, params)
    async with db.acquire_connection() as connection:
        statement = await connection.prepare(sql, name="")
        return await statement.fetch(*params)


async def fetch_rows(sql: str, params: list, conn: BaseDBAsyncClient | None = None) -> list:
    """Like `fetch`, but each row a sequence of its columns in the statement's order (the
    driver's own rows: no dict is made per row)."""
    db = conn or connections.get("default")
    _, rows = await db.execute_query(_for_dialect(sql, on_sqlite(db)), params)
    return list(rows)


# Ids per statement when reading rows by id (both databases take up to 32 766 parameters).
CHUNK = 4096


@lru_cache(maxsize=16)  # the powers of two up to CHUNK: 13
def _placeholders(count: int) -> str:
    return ",".join(f"${n}" for n in range(1, count + 1))


async def fetch_by_ids(statement: str, ids: Iterable[int]) -> list[Mapping]:
    """Run `statement`, whose `{ids}` stands for the list inside an `IN (…)`, for these ids:
    one statement per CHUNK of them. Each list is padded to a power of two (repeating its last
    id), so that a dozen statement texts serve every count: the text cache above and the
    server's prepared statements stay small however many different counts are asked for."""
    ordered = sorted(set(ids))
    rows: list[Mapping] = []
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        size = 1 << (len(chunk) - 1).bit_length()
        padded = chunk + [chunk[-1]] * (size - len(chunk))
        rows += await fetch(statement.replace("{ids}", _placeholders(size)), padded)
    return rows
