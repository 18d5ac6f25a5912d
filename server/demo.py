"""The demo organisation that `make run` loads once, built through the same services as
everything else so that its history is real."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.accounts.models import Organization, ResourceKind, Role
from server.accounts.services import create_organization
from server.billing.services import add_on, issue_due_invoices
from server.licensing import services
from server.settings import get_settings

DEMO_ORG = "Demo Company"
DEMO_EMAIL = "admin@demo.example"
DEMO_TIME_ZONE = "Europe/Stockholm"

PEOPLE = [
    ("Astrid Lindqvist", ResourceKind.EMPLOYEE, Role.RESOURCE_MANAGER, True),
    ("Bo Ek", ResourceKind.EMPLOYEE, Role.MEMBER, True),
    ("Cecilia Holm", ResourceKind.EMPLOYEE, Role.MEMBER, True),
    ("David Nyberg", ResourceKind.EMPLOYEE, Role.MEMBER, True),
    ("Elin Sjöberg", ResourceKind.EMPLOYEE, Role.MEMBER, True),
    ("Fredrik Berg", ResourceKind.EMPLOYEE, Role.MEMBER, False),
    ("Greta Dahl", ResourceKind.EMPLOYEE, Role.MEMBER, True),
    ("Hanna Ström", ResourceKind.EXTERNAL_CONSULTANT, Role.MEMBER, True),
    ("Ivar Lund", ResourceKind.EXTERNAL_CONSULTANT, Role.MEMBER, False),
    ("Jonas Wikström", ResourceKind.EMPLOYEE, Role.MEMBER, True),
]


def period_starts(after: datetime, until: datetime, time_zone: str) -> Iterator[datetime]:
    """The starts of the billing periods (00:00 on the first of each month, local time) after
    `after` and no later than `until`."""
    zone = ZoneInfo(time_zone)
    local = after.astimezone(zone)
    year, month = local.year, local.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        start = datetime(year, month, 1, tzinfo=zone).astimezone(UTC)
        if start > until:
            return
        yield start


async def seed_demo() -> tuple[str, str, bool]:
    """Returns the sign-in e-mail, its password and whether the organisation was created now."""
    settings = get_settings()
    credentials = settings.var_dir / "demo-login.txt"
    if await Organization.exists(name=DEMO_ORG):
        known = credentials.read_text().strip() if credentials.exists() else "(not kept here)"
        return DEMO_EMAIL, known, False
    password = secrets.token_urlsafe(12)
    maximum = settings.max_license_count
    now = datetime.now(UTC)
    # Far enough back for two invoices to have been issued, with history on both sides.
    started = (now - timedelta(days=75)).replace(hour=9, minute=0, second=0, microsecond=0)
    org, admin = await create_organization(
        DEMO_ORG,
        admin_name="Maja Andersson",
        admin_email=DEMO_EMAIL,
        admin_password=password,
        time_zone=DEMO_TIME_ZONE,
        now=started,
    )
    await add_on(org.id, "Time reports", unit_price=500, quantity=1, starts_on=started.date())
    actor = services.Actor(org.id, admin.id, admin.name, admin.role)

    # Invoices are issued at the start of each period (R9): each month the demo's calendar
    # reaches gets its invoice at 00:00 on its first day, not at the next step after it.
    reached = started

    async def at(moment: datetime) -> datetime:
        nonlocal reached
        for start in period_starts(reached, moment, DEMO_TIME_ZONE):
            await issue_due_invoices(start)
        reached = max(reached, moment)
        return moment

    await services.set_license_count(actor, 6, maximum=maximum, now=await at(started))
    added = []
    for i, (name, kind, role, access) in enumerate(PEOPLE):
        first, _, last = name.partition(" ")
        outcome = await services.add_resource(
            actor,
            services.NewResource(
                name=name,
                email=f"{first}.{last}@demo.example".lower().replace("ö", "o"),
                kind=kind,
                role=role,
                login_access=access,
                start_date=date(2024, 1 + i, 1),
            ),
            accept_increase=True,
            maximum=maximum,
            now=await at(started + timedelta(days=5 * i)),
        )
        added.append(outcome.resource)
    leaver = added[-1]
    left = await at(started + timedelta(days=60))
    await services.terminate(actor, leaver.id, left.date(), now=left)
    await at(now)
    credentials.parent.mkdir(parents=True, exist_ok=True)
    credentials.write_text(password + "\n")
    return DEMO_EMAIL, password, True
