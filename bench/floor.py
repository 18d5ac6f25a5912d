"""The framework floor: bare Starlette routes that run the same SQL as the GraphQL resolvers,
through the same driver and connection settings, and answer the same data as JSON, with no
GraphQL, no ORM models, no authentication and no middleware. What the service adds on top of
this is the cost of everything it does besides reading the rows.

    GET /floor/seats?organization=ID
        the seats resolver's read of the organisation row: licenseCount, used, available
    GET /floor/resources?organization=ID&first=N[&after=CURSOR]
        the resources page's two statements (the total of active people, kept on the
        organisation row as the service keeps it, then the keyset page of active people by
        name and id, as server/accounts/queries.py builds them), with one cursor per row made
        by server.pagination.encode_cursor

Served like the service: `python bench/floor.py --port N`, uvicorn with uvloop and httptools,
one worker, logging at warning; the database is the one DATABASE_URL names.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from server.api import ids
from server.db import tortoise_config
from server.pagination import decode_cursor, encode_cursor
from server.settings import get_settings

SEATS_SQL = 'SELECT "license_count","used" FROM "organization" WHERE "id"=$1'
# Every column, as the ORM selects a Resource.
RESOURCE_COLUMNS = (
    '"id","organization_id","name","email","kind","role","active","login_access",'
    '"start_date","last_work_day","termination_scheduled_by_id","password_hash","created_at"'
)
# The active people, as the organisation row keeps them (no count over the people).
COUNT_SQL = (
    'SELECT "active_employees"+"active_consultants" AS total FROM "organization" WHERE "id"=$1'
)
FIRST_PAGE_SQL = (
    f'SELECT {RESOURCE_COLUMNS} FROM "resource" WHERE "organization_id"=$1 AND "active"=$2 '
    'ORDER BY "name" ASC,"id" ASC LIMIT $3'
)
NEXT_PAGE_SQL = (
    f'SELECT {RESOURCE_COLUMNS} FROM "resource" WHERE "organization_id"=$1 AND "active"=$2 '
    'AND "name">=$3 AND ("name">$4 OR ("name"=$5 AND "id">$6)) ORDER BY "name" ASC,"id" ASC '
    "LIMIT $7"
)


def _for_dialect(sql: str, sqlite: bool) -> str:
    """The statements are written with PostgreSQL's `$n`; SQLite takes `?` in the same order."""
    return re.sub(r"\$\d+", "?", sql) if sqlite else sql


def _json(data: object) -> Response:
    return Response(orjson.dumps(data), media_type="application/json")


def create_app(database_url: str | None = None) -> Starlette:
    url = database_url or get_settings().database_url
    sqlite = url.startswith("sqlite")
    seats_sql, count_sql, first_sql, next_sql = (
        _for_dialect(sql, sqlite) for sql in (SEATS_SQL, COUNT_SQL, FIRST_PAGE_SQL, NEXT_PAGE_SQL)
    )

    async def seats(request: Request) -> Response:
        organization_id = int(request.query_params["organization"])
        rows = await connections.get("default").execute_query_dict(seats_sql, [organization_id])
        count, used = rows[0]["license_count"], rows[0]["used"]
        return _json({"licenseCount": count, "used": used, "available": count - used})

    async def resources(request: Request) -> Response:
        organization_id = int(request.query_params["organization"])
        size = int(request.query_params.get("first", 50))
        after = request.query_params.get("after")
        db = connections.get("default")
        counted = await db.execute_query_dict(count_sql, [organization_id])
        total = next(iter(counted[0].values()))
        if after is None:
            rows = await db.execute_query_dict(first_sql, [organization_id, True, size + 1])
        else:
            name, last_id = decode_cursor(after, str, int)
            rows = await db.execute_query_dict(
                next_sql, [organization_id, True, name, name, name, last_id, size + 1]
            )
        page = rows[:size]
        edges = [
            {"node": _person(row), "cursor": encode_cursor(row["name"], row["id"])} for row in page
        ]
        return _json(
            {
                "totalCount": total,
                "edges": edges,
                "pageInfo": {
                    "hasNextPage": len(rows) > size,
                    "endCursor": edges[-1]["cursor"] if edges else None,
                },
            }
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(url)):
            yield

    return Starlette(
        routes=[Route("/floor/seats", seats), Route("/floor/resources", resources)],
        lifespan=lifespan,
    )


def _person(row: dict) -> dict:
    """The fields the GraphQL page asks for, from a raw row (SQLite gives 0/1 for booleans);
    the id as opaque as the API's."""
    active, login = bool(row["active"]), bool(row["login_access"])
    return {
        "id": ids.encode(ids.RESOURCE, row["id"]),
        "name": row["name"],
        "email": row["email"],
        "kind": row["kind"],
        "role": row["role"],
        "active": active,
        "loginAccess": login,
        "usesLicense": row["kind"] == "EMPLOYEE" and active and login,
        "startDate": row["start_date"],
        "lastWorkDay": None if active else row["last_work_day"],
        "scheduledTermination": row["last_work_day"] if active else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    uvicorn.run(
        create_app(),
        host=args.host,
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        log_config=None,
    )


if __name__ == "__main__":
    main()
