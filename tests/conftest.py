"""Fixtures for one database backend per test run: SQLite by default, PostgreSQL when
DATABASE_URL names one. The schema is built by the committed migrations, once per run, in a
database of its own; each test starts from empty tables."""

from __future__ import annotations

import os

# Hundreds of passwords are hashed here: argon2id at its cheapest valid cost (the product's
# default is the library's recommended one; see server/accounts/passwords.py).
os.environ.setdefault("SEATS_ARGON2_TIME_COST", "1")
os.environ.setdefault("SEATS_ARGON2_MEMORY_KIB", "64")
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest
from graphql.execution.executor import Executor
from tortoise import Tortoise, connections

from server.app import create_app
from server.billing.services import forget_kept_invoices
from server.db import migrate, tortoise_config
from server.settings import Settings, normalise_database_url
from tests.factories import GraphQLClient, Org, assert_kept_counts
from tests.scim import Scim, scim_token

BASE_URL = normalise_database_url(os.environ.get("DATABASE_URL", ""))
ON_POSTGRES = BASE_URL.startswith("postgres")
TABLES = [
    "license_request",
    "webhook_attempt",
    "webhook_delivery",
    "webhook_event",
    "webhook_endpoint",
    "seat_usage",
    "sign_in_throttle",
    "idempotency_key",
    "invoice_line",
    "invoice",
    "subscription",
    "plan",
    "session",
    "license_change",
    "api_token",
    "resource",
    "organization",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL (make test does)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def _admin_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def create_postgres_database(prefix: str = "seats_test") -> str:
    """A new, empty database on the server DATABASE_URL names; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(_admin_url(BASE_URL))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return BASE_URL.rsplit("/", 1)[0] + "/" + name


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_admin_url(BASE_URL))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if ON_POSTGRES:
        url = await create_postgres_database()
        yield url
        await drop_postgres_database(url)
    else:
        path: Path = tmp_path_factory.mktemp("db") / "seats.sqlite3"
        yield f"sqlite://{path}"


@pytest.fixture(scope="session")
async def orm(database_url: str) -> AsyncIterator[str]:
    await migrate(database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    yield database_url
    await Tortoise.close_connections()


async def empty_tables() -> None:
    """Every table emptied (each test starts so; the state machine before each example). The
    next invoices kept in this process go too: the ids of the new rows begin again."""
    forget_kept_invoices()
    conn = connections.get("default")
    if ON_POSTGRES:
        await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    else:
        for table in TABLES:
            await conn.execute_script(f'DELETE FROM "{table}"')


@pytest.fixture
async def db(orm: str) -> AsyncIterator[None]:
    """Empty tables for the test; after it, every kept count still equals its live count."""
    await empty_tables()
    yield
    await assert_kept_counts()


@pytest.fixture
def resolved_fields(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fields graphql-core's executor resolves one by one from now on, as "Type.field", in
    order: those the fast executor's plans leave to it (server/api/engine/fast.py)."""
    fields: list[str] = []
    execute_field = Executor.execute_field

    def recording(self, parent_type, source, field_details_list, *args, **kwargs):
        fields.append(f"{parent_type.name}.{field_details_list[0].node.name.value}")
        return execute_field(self, parent_type, source, field_details_list, *args, **kwargs)

    monkeypatch.setattr(Executor, "execute_field", recording)
    return fields


@pytest.fixture
def settings(orm: str) -> Settings:
    return Settings(database_url=orm)


@asynccontextmanager
async def in_process(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the app, run in the test's process (cookies of its own)."""
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def client(db: None, settings: Settings) -> AsyncIterator[GraphQLClient]:
    async with in_process(settings) as http:
        yield GraphQLClient(http)


@pytest.fixture
async def other_client(db: None, settings: Settings) -> AsyncIterator[GraphQLClient]:
    """A second browser, with cookies of its own."""
    async with in_process(settings) as http:
        yield GraphQLClient(http)


@pytest.fixture
async def scim(org: Org, settings: Settings) -> AsyncIterator[Scim]:
    """An identity provider speaking SCIM (R17) for the test module's `org`, with a token of
    scope `scim` named "Okta"."""
    async with in_process(settings) as http:
        yield Scim(http, await scim_token(org))
