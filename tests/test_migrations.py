"""The committed migrations build exactly the schema the models describe, and undo it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from tortoise import Tortoise, connections

from tests.conftest import ON_POSTGRES, TABLES, create_postgres_database, drop_postgres_database
from tests.schema import SEARCH_INDEX, describe, differences, search_index

ROOT = Path(__file__).resolve().parent.parent


async def columns_of(table: str) -> set[str]:
    conn = connections.get("default")
    if ON_POSTGRES:
        rows = await conn.execute_query_dict(
            "SELECT column_name AS name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1",
            [table],
        )
    else:
        rows = await conn.execute_query_dict(f'PRAGMA table_info("{table}")')
    return {row["name"] for row in rows}


async def test_every_model_field_has_its_column_after_migrating(orm):
    for model in Tortoise.apps["models"].values():
        meta = model._meta
        expected = set(meta.fields_db_projection.values())
        assert await columns_of(meta.db_table) == expected, meta.db_table


def test_migrating_again_applies_nothing(orm):
    # In a process of its own: the migration tool opens and closes the ORM's connections.
    done = subprocess.run(
        [sys.executable, "-m", "server", "migrate"],
        env={**os.environ, "DATABASE_URL": orm},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "The database is up to date."


@pytest.fixture
async def new_database(tmp_path: Path) -> AsyncIterator[Callable[[str], object]]:
    """Makes empty databases of the run's kind, dropped after the test."""
    made: list[str] = []

    async def make(name: str) -> str:
        if ON_POSTGRES:
            made.append(await create_postgres_database(f"seats_{name}"))
            return made[-1]
        return f"sqlite://{tmp_path / name}.sqlite3"

    yield make
    for url in made:
        await drop_postgres_database(url)


def build(what: str, url: str) -> list[str]:
    """`models` or `migrations` into `url`, or `down-and-up` there, in a process of its own:
    the ORM and the migration tool keep their connections in module-wide state."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.schema", what, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


async def test_migrations_build_the_schema_of_the_models(new_database):
    """issue 11: migrations proven equal to the models. One database built by the ORM from
    the models, one by the committed migrations: every table's columns (type, length,
    nullability, default), indexes and unique constraints (by columns and uniqueness), foreign
    keys (with what a deletion does) and triggers are the same. Beside them, the migrations
    make exactly the full-text index of the people search on SQLite (issue 13 goal 4), and
    nothing on PostgreSQL."""
    from_models, from_migrations = await new_database("models"), await new_database("migrations")
    build("models", from_models)
    build("migrations", from_migrations)
    models, (migrated, index) = (
        await describe(from_models),
        search_index(await describe(from_migrations)),
    )
    assert set(models) == set(TABLES)  # the comparison is of every table, not of none
    assert differences(models, migrated) == []
    assert index == EXPECTED_SEARCH_INDEX
    assert search_index(models)[1] == {}


# issue 13 goal 4: the full-text index of the people search, which only the migrations make (a
# model cannot declare a virtual table or a trigger), on SQLite only.
EXPECTED_SEARCH_INDEX = {} if ON_POSTGRES else SEARCH_INDEX


async def test_every_migration_is_undone_and_done_again(new_database):
    """issue 11: migrations proven equal to the models. Every migration after the first is
    undone, newest first, one at a time, then all are applied again: the schema is the models'
    one once more."""
    from_models, migrated = await new_database("models"), await new_database("migrated")
    build("models", from_models)
    applied = build("migrations", migrated)
    undone, again = build("down-and-up", migrated)
    assert undone.split() == applied[:0:-1]
    assert again.split() == applied[1:]
    rest, index = search_index(await describe(migrated))
    assert differences(await describe(from_models), rest) == []
    assert index == EXPECTED_SEARCH_INDEX


async def test_the_last_migration_remembers_the_models_as_they_are(orm):
    """The migration tool writes the next migration from the difference between the models and
    the state the last migration remembers (its MODELS_STATE): a state that misses a column
    added by an earlier migration would make the next one add it again."""
    import importlib.util

    from aerich.utils import compress_dict, decompress_dict, get_models_describe

    migrations = ROOT / "server" / "migrations" / "models"
    last = max(migrations.glob("[0-9]*_*.py"), key=lambda path: int(path.name.split("_")[0]))
    spec = importlib.util.spec_from_file_location("last_migration", last)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # Both as the tool stores them (its JSON writes tuples as lists).
    models = decompress_dict(compress_dict(get_models_describe("models")))
    assert decompress_dict(module.MODELS_STATE) == models, last.name
