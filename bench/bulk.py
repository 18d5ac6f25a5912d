"""Bulk changes (issue 15): one change of 1 000 people beside single changes, as ratios, on a
fresh database of its own (SQLite by default, or the PostgreSQL database given).

    python bench/bulk.py [--people N] [--singles N] [--database-url URL]

Prints the figures as JSON. For each action (removing login access, terminating): `singles`
single changes are timed one after another, then one bulk change of `people` other people;
the ratio is the bulk change's time over what the same number of single changes take. The
preview of the bulk change (made and rolled back) is timed too. Everyone starts with login
access and a license; an endpoint listens to every event, so the outbox is written as in use.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def _organisation(people: int):
    """An organisation whose `people` employees all sign in and use a license."""
    from server.accounts.models import Organization, Resource
    from server.accounts.services import create_organization
    from server.licensing import services
    from server.webhooks.models import EventType, WebhookEndpoint

    org, admin = await create_organization(
        "Bulk",
        admin_name="Admin",
        admin_email="admin@bulk.example",
        admin_password="bulk bench password",
        time_zone="UTC",
        now=datetime.now(UTC),
    )
    actor = services.Actor.person(admin)
    await services.set_license_count(actor, people + 1, maximum=10**6)
    await Resource.bulk_create(
        [
            Resource(
                organization_id=org.id,
                name=f"Person {i:05d}",
                email=f"person{i:05d}@bulk.example",
                active=True,
                login_access=True,
                start_date=date(2026, 1, 1),
            )
            for i in range(people)
        ],
        batch_size=500,
    )
    await Organization.filter(id=org.id).update(used=people + 1, active_employees=people + 1)
    await WebhookEndpoint.create(
        organization_id=org.id,
        url="https://receiver.example/hooks",
        events=" ".join(EventType),
        secret="whsec_" + "B" * 32,
        created_at=datetime.now(UTC),
    )
    ids = await Resource.filter(organization_id=org.id, id__not=admin.id).order_by("id")
    return actor, [person.id for person in ids]


async def measure(people: int, singles: int, url: str | None) -> dict:
    from tortoise import Tortoise

    from server.db import migrate, tortoise_config
    from server.licensing import bulk, services

    url = url or f"sqlite://{tempfile.mkdtemp()}/bulk.sqlite3"
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    # Per action: singles, then the bulk change's preview and the change, on other people.
    actor, ids = await _organisation(2 * (singles + people))
    today = datetime.now(UTC).date()
    figures: dict = {"people": people, "singles": singles, "database": url.split(":", 1)[0]}
    actions = {
        "remove_access": (
            bulk.BulkAction.REMOVE_ACCESS,
            lambda rid: services.toggle_access(actor, rid, False, maximum=10**6),
        ),
        "terminate": (
            bulk.BulkAction.TERMINATE,
            lambda rid: services.terminate(actor, rid, today),
        ),
    }
    for n, (name, (action, single)) in enumerate(actions.items()):
        chunk = ids[n * (singles + people) : (n + 1) * (singles + people)]
        started = time.perf_counter()
        for rid in chunk[:singles]:
            await single(rid)
        single_ms = (time.perf_counter() - started) * 1000 / singles
        request = bulk.BulkRequest.of(action, chunk[singles:], last_work_day=today)
        started = time.perf_counter()
        preview = await bulk.preview_bulk_change(actor, request, maximum=10**6)
        preview_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        done = await bulk.bulk_change(actor, request, maximum=10**6)
        bulk_ms = (time.perf_counter() - started) * 1000
        assert isinstance(done, bulk.BulkChanged) and done.changed_count == people, done
        assert preview.changed_count == people
        figures[name] = {
            "single_ms": round(single_ms, 2),
            "bulk_ms": round(bulk_ms, 1),
            "bulk_per_person_ms": round(bulk_ms / people, 3),
            "preview_ms": round(preview_ms, 1),
            "bulk_vs_singles": round(bulk_ms / (single_ms * people), 2),
        }
    await Tortoise.close_connections()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.people, args.singles, args.database_url))))


if __name__ == "__main__":
    main()
