"""Build a database from the models or from the committed migrations, and describe a
database's schema in a form two databases can be compared by.

Run as a program (`python -m tests.schema models|migrations|down-and-up URL`) the
building happens in a process of its own: the ORM and the migration tool keep their
connections in module-wide state, which the test run's own database uses."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import sys
from typing import Any

import asyncpg

# The migration tool's bookkeeping table: not the product's, and not in the models.
BOOKKEEPING = "aerich"
# Indexes built by hand in the migrations on an expression the models cannot describe (the
# trigram indexes of the people search, PostgreSQL only): kept, and named here, because a
# model cannot declare them; everything else must agree.
EXPRESSION_INDEXES = {"idx_resource_name_trgm", "idx_resource_email_trgm"}
# The full-text index of the people search on SQLite (migration 8), which a model cannot
# declare either: a virtual table (described by its definition; the tables FTS5 keeps its
# index in are part of it), and the triggers on "resource" that keep it in step. `search_index`
# takes it out of a description, to be compared with this on its own.
SEARCH_INDEX = {
    "table": (
        "resource_search",
        'CREATE VIRTUAL TABLE "resource_search" USING fts5( "name", "email", '
        "tokenize = 'trigram case_sensitive 0' )",
    ),
    "triggers": {
        ("resource_search_insert", 'AFTER INSERT ON "resource"'),
        ("resource_search_update", 'AFTER UPDATE OF "id", "name", "email" ON "resource"'),
        ("resource_search_delete", 'AFTER DELETE ON "resource"'),
    },
}


async def build_from_models(url: str) -> None:
    from tortoise import Tortoise, connections

    from server.db import MODEL_MODULES, tortoise_config

    config = tortoise_config(url)
    config["apps"]["models"]["models"] = list(MODEL_MODULES)
    await Tortoise.init(config=config)
    try:
        client = connections.get("default")
        generator = client.schema_generator(client)
        tables = [
            generator._get_table_sql(m, safe=False) for m in generator._get_models_to_create()
        ]
        # The ORM's own `generate_schemas` refuses the models' cycle of foreign keys (a person
        # names the token that scheduled their termination; a token names the person who made
        # it). The generator's SQL of every table is used as it is; on PostgreSQL, which checks
        # a reference when it is made, the foreign keys are added once every table exists.
        script = "\n".join(t["table_creation_string"] for t in tables)
        if generator.DIALECT == "postgres":
            keys: list[str] = []
            for table in tables:
                name = table["table"]
                keys += [
                    f'ALTER TABLE "{name}" ADD FOREIGN KEY ("{found[1]}") '
                    f"REFERENCES {found[2]} {found[3]} ON DELETE {found[4]};"
                    for found in _REFERENCE.finditer(table["table_creation_string"])
                ]
            script = _REFERENCE.sub(lambda found: found[0].split(" REFERENCES ")[0], script)
            script += "\n" + "\n".join(keys)
        await client.execute_script(script)
    finally:
        await Tortoise.close_connections()


# A column's inline foreign key as the ORM's generator writes it.
_REFERENCE = re.compile(
    r'"(\w+)" [^,\n]*? REFERENCES ("\w+") (\("\w+"\)) '
    r"ON DELETE (CASCADE|SET NULL|RESTRICT|NO ACTION|SET DEFAULT)"
)


async def down_and_up(url: str) -> tuple[list[str], list[str]]:
    """Undo the migrations one at a time, newest first, down to the first one, then apply
    them again: what was undone, and what was applied."""
    from aerich import Command

    from server.db import MIGRATIONS, tortoise_config

    undone: list[str] = []
    command = Command(tortoise_config(url), app="models", location=str(MIGRATIONS))
    async with command:
        await command.init()
        while len(await command.history()) - len(undone) > 1:
            undone += await command.downgrade(-1, delete=False)
        applied = await command.upgrade(run_in_transaction=True)
    return undone, applied


def _no_names(definition: str) -> str:
    return re.sub(r"\s+", " ", definition.strip())


def sqlite_schema(url: str) -> dict[str, Any]:
    """Per table: columns (type, not null, default, primary key), indexes and unique
    constraints as (columns, unique) — SQLite makes an index of every unique constraint —,
    foreign keys with their on-delete, and triggers (name, and when they fire: the text of their
    definition before BEGIN). A virtual table is described by its definition; the tables its
    module keeps its data in (FTS5's "shadow" tables) are not listed of their own."""
    conn = sqlite3.connect(url.removeprefix("sqlite://"))
    try:
        listed = conn.execute(
            "SELECT name, type FROM pragma_table_list WHERE schema = 'main' "
            "AND name NOT LIKE 'sqlite_%' AND name != ?",
            [BOOKKEEPING],
        ).fetchall()
        schema: dict[str, Any] = {}
        for table, sql in conn.execute(
            "SELECT m.name, m.sql FROM sqlite_master AS m JOIN pragma_table_list AS t "
            "ON t.name = m.name AND t.schema = 'main' WHERE t.type = 'virtual'"
        ):
            schema[table] = {"virtual": {_no_names(sql)}}
        for name, table, sql in conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        ):
            when = _no_names(re.split(r"\bBEGIN\b", sql, maxsplit=1, flags=re.I)[0])
            when = when.removeprefix(f'CREATE TRIGGER "{name}" ')
            schema.setdefault(table, {}).setdefault("triggers", set()).add((name, when))
        for table in sorted(name for name, kind in listed if kind == "table"):
            columns = {
                name: (kind.upper(), bool(notnull), default, bool(pk))
                for _, name, kind, notnull, default, pk in conn.execute(
                    f'PRAGMA table_info("{table}")'
                )
            }
            indexes = set()
            for _, index, unique, origin, _partial in conn.execute(f'PRAGMA index_list("{table}")'):
                if origin == "pk":
                    continue
                cols = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{index}")'))
                indexes.add((cols, bool(unique)))
            foreign = {
                (row[3], row[2], row[4], row[6])  # from, table, to, on delete
                for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')
            }
            schema.setdefault(table, {}).update(
                {"columns": columns, "indexes": indexes, "foreign": foreign}
            )
        return schema
    finally:
        conn.close()


async def postgres_schema(url: str) -> dict[str, Any]:
    """The same description as `sqlite_schema`, from PostgreSQL's catalogue. A unique
    constraint is compared as the unique index it is built on, so that a constraint and a
    unique index on the same columns count as what they are: the same rule."""
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        schema: dict[str, Any] = {}
        for row in await conn.fetch(
            "SELECT table_name, column_name, data_type, character_maximum_length, "
            "numeric_precision, numeric_scale, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name != $1",
            BOOKKEEPING,
        ):
            table = schema.setdefault(
                row["table_name"], {"columns": {}, "indexes": set(), "foreign": set()}
            )
            default = row["column_default"]
            if default and default.startswith("nextval("):
                default = "serial"  # the sequence's name differs, the behaviour does not
            table["columns"][row["column_name"]] = (
                row["data_type"],
                row["character_maximum_length"],
                row["numeric_precision"] if row["data_type"] == "numeric" else None,
                row["numeric_scale"] if row["data_type"] == "numeric" else None,
                row["is_nullable"] == "NO",
                default,
            )
        for row in await conn.fetch(
            "SELECT t.relname AS table, i.relname AS index, x.indisunique AS unique, "
            "x.indisprimary AS primary, x.indexprs IS NOT NULL AS expression, "
            "ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(num, pos) "
            "      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.num "
            "      ORDER BY k.pos) AS columns, pg_get_indexdef(i.oid) AS definition "
            "FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = current_schema() AND t.relname != $1",
            BOOKKEEPING,
        ):
            if row["primary"]:
                continue
            if row["expression"]:
                if row["index"] in EXPRESSION_INDEXES:
                    continue
                key: Any = ("expression", _no_names(row["definition"].split(" USING ", 1)[1]))
            else:
                key = (tuple(row["columns"]), row["unique"])
            schema[row["table"]]["indexes"].add(key)
        for row in await conn.fetch(
            "SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target, "
            "c.confdeltype::text AS on_delete, "
            "ARRAY(SELECT a.attname FROM unnest(c.conkey) AS k(num) "
            "      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num) AS src, "
            "ARRAY(SELECT a.attname FROM unnest(c.confkey) AS k(num) "
            "      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num) AS dst "
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.contype = 'f' AND n.nspname = current_schema()"
        ):
            table = row["table"].strip('"')
            if table == BOOKKEEPING:
                continue
            on_delete = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL"}
            schema[table]["foreign"].add(
                (
                    tuple(row["src"]),
                    row["target"].strip('"'),
                    tuple(row["dst"]),
                    on_delete.get(row["on_delete"], row["on_delete"]),
                )
            )
        # Other kinds of constraint (check, exclusion) the models do not make: any found is
        # reported, so that a migration cannot add one unseen.
        for row in await conn.fetch(
            "SELECT c.conrelid::regclass::text AS table, c.contype, "
            "pg_get_constraintdef(c.oid) AS definition "
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.contype NOT IN ('f', 'p', 'u') AND n.nspname = current_schema()"
        ):
            table = row["table"].strip('"')
            if table != BOOKKEEPING:
                schema[table].setdefault("checks", set()).add(_no_names(row["definition"]))
        # Triggers (the models make none; foreign keys' own are internal): any found is
        # reported, as on SQLite.
        for row in await conn.fetch(
            "SELECT c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema() AND c.relname != $1",
            BOOKKEEPING,
        ):
            schema[row["table"]].setdefault("triggers", set()).add(
                (row["name"], _no_names(row["definition"]))
            )
        return schema
    finally:
        await conn.close()


def search_index(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The description without the full-text index of the people search, and that index in
    the form of SEARCH_INDEX (empty where there is none: from the models, on PostgreSQL)."""
    rest = {table: dict(parts) for table, parts in schema.items()}
    index: dict[str, Any] = {}
    name = SEARCH_INDEX["table"][0]
    if name in rest:
        (index["table"],) = ((name, definition) for definition in rest.pop(name)["virtual"])
    names = {trigger for trigger, _ in SEARCH_INDEX["triggers"]}
    triggers = rest.get("resource", {}).get("triggers", set())
    if found := {t for t in triggers if t[0] in names}:
        index["triggers"] = found
        rest["resource"]["triggers"] = triggers - found
    return rest, index


async def describe(url: str) -> dict[str, Any]:
    if url.startswith("sqlite://"):
        return sqlite_schema(url)
    return await postgres_schema(url)


def differences(from_models: dict[str, Any], from_migrations: dict[str, Any]) -> list[str]:
    """Every way the two descriptions differ, one line each (empty: the same schema)."""
    found = []
    for table in sorted(set(from_models) | set(from_migrations)):
        if table not in from_migrations:
            found.append(f"{table}: no table from the migrations")
            continue
        if table not in from_models:
            found.append(f"{table}: a table the models do not have")
            continue
        mine, theirs = from_models[table], from_migrations[table]
        for part in sorted(set(mine) | set(theirs)):
            kind = type(mine[part] if part in mine else theirs[part])
            a, b = mine.get(part, kind()), theirs.get(part, kind())
            if part == "columns":
                for column in sorted(set(a) | set(b)):
                    if a.get(column) != b.get(column):
                        found.append(
                            f"{table}.{column}: models {a.get(column)} migrations {b.get(column)}"
                        )
            else:
                for item in sorted(a - b, key=repr):
                    found.append(f"{table} {part}: only from the models: {item}")
                for item in sorted(b - a, key=repr):
                    found.append(f"{table} {part}: only from the migrations: {item}")
    return found


def main(argv: list[str]) -> None:
    what, url = argv[0], argv[1]
    if what == "models":
        asyncio.run(build_from_models(url))
    elif what == "migrations":
        from server.db import migrate

        print("\n".join(asyncio.run(migrate(url))))
    elif what == "down-and-up":
        undone, applied = asyncio.run(down_and_up(url))
        print(" ".join(undone))
        print(" ".join(applied))
    else:
        raise SystemExit(f"unknown: {what}")


if __name__ == "__main__":
    main(sys.argv[1:])
