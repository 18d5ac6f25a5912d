"""The committed migrations build exactly the tables and columns the models describe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tortoise import Tortoise, connections

from tests.conftest import ON_POSTGRES

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
