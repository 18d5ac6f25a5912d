"""`nextInvoice` with 10 000 changes: the first look and the looks after it (issue 13 goal 3).

A look is *first* when the organisation's billing version has changed since the draft was
kept; the load runs of bench/run.py send the same request again and again, so they measure
the looks after it. A first look cannot be repeated by a load generator, so it is timed here,
one request at a time, in one process: the service's ASGI app called in-process (no socket,
no uvicorn), with an API token like the load runs. Before each first look the version is
bumped with SQL, as a change committed by another process would; the data stay the same.

The data: one organisation with 1 000 people, an issued invoice, then exactly 10 000 license
changes (each naming a person), written with the ORM in bulk into a migrated database. The
database is made if it holds no such organisation yet and reused otherwise.

    python bench/first_look.py sqlite://var/bench/first_look.sqlite3
    python bench/first_look.py postgres://postgres@127.0.0.1:5432/DB   # DB made beforehand

Prints one line per measurement (median and fastest of `--rounds`), and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from tortoise import Tortoise, connections  # noqa: E402

from server import sql  # noqa: E402
from server.accounts.models import Organization, Resource, Scope  # noqa: E402
from server.accounts.services import create_organization  # noqa: E402
from server.accounts.tokens import create_api_token  # noqa: E402
from server.app import create_app  # noqa: E402
from server.billing import services as billing  # noqa: E402
from server.db import migrate, tortoise_config  # noqa: E402
from server.licensing.models import ChangeReason, LicenseChange  # noqa: E402
from server.settings import Settings  # noqa: E402

ORG = "First look"
PEOPLE = 1000
CHANGES = 10_000
CREATED = datetime(2026, 3, 2, 9, tzinfo=UTC)
ISSUED = datetime(2026, 4, 1, 0, 5, tzinfo=UTC)
# The page's own request (web/lib/api.js), and the total alone.
LINE = "kind description quantity amount change { id } resource { id name }"
PAGE_QUERY = f"{{ nextInvoice {{ periodStart periodEnd currency total lines {{ {LINE} }} }} }}"
TOTAL_QUERY = "{ nextInvoice { total } }"
BUMP = 'UPDATE "organization" SET "billing_version"="billing_version"+1 WHERE "id"=$1'


async def organisation() -> Organization:
    """The organisation with its 10 000 changes after an issued invoice, made once."""
    org = await Organization.get_or_none(name=ORG)
    if org is not None:
        return org
    org, admin = await create_organization(
        ORG,
        admin_name="Admin",
        admin_email="admin@first-look.example",
        admin_password="first look password",
        time_zone="UTC",
        now=CREATED,
    )
    await Resource.bulk_create(
        [
            Resource(
                organization_id=org.id,
                name=f"Person {i:04d}",
                email=f"person{i:04d}@first-look.example",
                active=True,
                login_access=False,
                start_date=date(2026, 1, 1),
            )
            for i in range(PEOPLE)
        ],
        batch_size=500,
    )
    await billing.issue_due_invoices(ISSUED)
    people = await Resource.filter(organization_id=org.id).values_list("id", flat=True)
    count, rows = org.license_count, []
    for i in range(CHANGES):
        to = count + 1 if i % 2 == 0 else count - 1
        moment = ISSUED + timedelta(minutes=4 * i + 1)
        rows.append(
            LicenseChange(
                organization_id=org.id,
                occurred_at=moment,
                from_count=count,
                to_count=to,
                reason=ChangeReason.MANUAL,
                actor_id=admin.id,
                actor_name=admin.name,
                resource_id=people[i % len(people)],
                effective_on=moment.date(),
            )
        )
        count = to
    await LicenseChange.bulk_create(rows, batch_size=1000)
    await Organization.filter(id=org.id).update(
        license_count=count, billing_version=org.billing_version + 1
    )
    return await Organization.get(id=org.id)


async def timed(rounds: int, before: Callable[[], Awaitable[None]], look) -> list[float]:
    times = []
    for _ in range(rounds):
        await before()
        start = time.perf_counter()
        await look()
        times.append((time.perf_counter() - start) * 1000)
    return times


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    url = args.database_url
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    org = await organisation()
    token, _ = await create_api_token(
        org.id, "first look", [Scope.BILLING_READ], created_by_id=None
    )
    app = create_app(Settings(database_url=url), manage_database=False)
    headers = {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=app)
    http = httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers)

    async def bump() -> None:
        await sql.fetch(BUMP, [org.id])

    async def nothing() -> None:
        pass

    async def fresh_row() -> Organization:
        return await Organization.get(id=org.id)

    def request(query: str):
        async def send() -> None:
            answer = (await http.post("/graphql", json={"query": query})).json()
            assert "errors" not in answer, answer
            lines = answer["data"]["nextInvoice"].get("lines")
            assert lines is None or len(lines) == CHANGES + 1, len(lines)

        return send

    async def draft() -> None:
        assert len((await billing.draft_next_invoice(await fresh_row())).lines) == CHANGES + 1

    async def kept() -> None:
        await billing.next_invoice(await fresh_row())

    await kept()
    rounds = args.rounds
    figures = {
        "draft, first look": await timed(rounds, nothing, draft),
        "draft, kept": await timed(rounds, nothing, kept),
        "nextInvoice { total }, first look": await timed(rounds, bump, request(TOTAL_QUERY)),
        "nextInvoice { total }, kept": await timed(rounds, nothing, request(TOTAL_QUERY)),
        "page's nextInvoice, first look": await timed(rounds, bump, request(PAGE_QUERY)),
        "page's nextInvoice, kept": await timed(rounds, nothing, request(PAGE_QUERY)),
    }
    await http.aclose()
    dialect = connections.get("default").schema_generator.DIALECT
    summary = {}
    for name, times in figures.items():
        summary[name] = {
            "p50_ms": round(statistics.median(times), 2),
            "min_ms": round(min(times), 2),
        }
        shown = summary[name]
        print(f"{dialect}: {name}: p50 {shown['p50_ms']} ms, fastest {shown['min_ms']} ms")
    for what in ("draft", "nextInvoice { total }", "page's nextInvoice"):
        first, again = summary[f"{what}, first look"], summary[f"{what}, kept"]
        print(
            f"{dialect}: {what}: kept ÷ first look (p50) = {again['p50_ms'] / first['p50_ms']:.3f}"
        )
    out = os.environ.get("FIRST_LOOK_JSON")
    if out:
        Path(out).write_text(
            json.dumps({"database": dialect, "rounds": rounds, **summary}, indent=1)
        )
    await Tortoise.close_connections()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
