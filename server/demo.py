"""The demo organisation that `make run` loads once, built through the same services as
everything else so that its history is real."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from server.accounts.models import Organization, ResourceKind, Role
from server.accounts.services import create_organization
from server.billing.models import Subscription, SubscriptionKind, SubscriptionStatus
from server.billing.services import issue_due_invoices
from server.licensing import services
from server.settings import get_settings

DEMO_ORG = "Demo Company"
DEMO_EMAIL = "admin@demo.example"

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
        time_zone="Europe/Stockholm",
        now=started,
    )
    await Subscription.create(
        organization_id=org.id,
        kind=SubscriptionKind.ADD_ON,
        name="Time reports",
        status=SubscriptionStatus.ACTIVE,
        starts_on=started.date(),
        unit_price=500,
        quantity=1,
    )
    actor = services.Actor(org.id, admin.id, admin.name, admin.role)

    async def at(moment: datetime) -> datetime:
        await issue_due_invoices(moment)  # the invoices the calendar reached by then
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
