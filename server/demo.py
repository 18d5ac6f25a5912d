"""The demo organisation that `make run` loads once, built through the same services as
everything else so that its history is real."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from server.accounts.models import Organization, ResourceKind, Role
from server.accounts.services import create_organization
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
    started = datetime.now(UTC) - timedelta(days=75)
    org, admin = await create_organization(
        DEMO_ORG,
        admin_name="Maja Andersson",
        admin_email=DEMO_EMAIL,
        admin_password=password,
        time_zone="Europe/Stockholm",
        now=started,
    )
    actor = services.Actor(org.id, admin.id, admin.name, admin.role)
    await services.set_license_count(actor, 8, maximum=maximum, now=started)
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
            now=started + timedelta(days=3 * i),
        )
        added.append(outcome.resource)
    leaver = added[-1]
    await services.terminate(
        actor, leaver.id, (started + timedelta(days=60)).date(), now=started + timedelta(days=60)
    )
    credentials.parent.mkdir(parents=True, exist_ok=True)
    credentials.write_text(password + "\n")
    return DEMO_EMAIL, password, True
