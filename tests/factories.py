"""Test data, made through the same services the product uses."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx

from server.accounts.models import PEOPLE_COUNTS, Organization, Resource, ResourceKind, Role
from server.accounts.services import create_organization
from server.licensing import services
from server.licensing.models import LicenseChange

PASSWORD = "correct horse battery"
MAXIMUM = 100_000
_serial = itertools.count(1)


@dataclass
class Org:
    org: Organization
    admin: Resource

    @property
    def id(self) -> int:
        return self.org.id

    @property
    def actor(self) -> services.Actor:
        return actor_for(self.admin)

    async def refresh(self) -> Organization:
        self.org = await Organization.get(id=self.org.id)
        return self.org

    async def add(
        self,
        name: str | None = None,
        *,
        kind: ResourceKind = ResourceKind.EMPLOYEE,
        role: Role = Role.MEMBER,
        access: bool = True,
        start_date: date | None = date(2025, 1, 1),
        password: str | None = None,
        now: datetime | None = None,
    ) -> Resource:
        """A new person; the count grows if their access needs it."""
        n = next(_serial)
        outcome = await services.add_resource(
            self.actor,
            services.NewResource(
                name=name or f"Person {n}",
                email=f"person{n}@example.com",
                kind=kind,
                role=role,
                login_access=access,
                start_date=start_date,
                password=password,
            ),
            accept_increase=True,
            maximum=MAXIMUM,
            now=now,
        )
        assert isinstance(outcome, services.ResourceAdded)
        return outcome.resource

    async def set_count(self, count: int) -> None:
        await services.set_license_count(self.actor, count, maximum=MAXIMUM)


def actor_for(resource: Resource) -> services.Actor:
    return services.Actor(resource.organization_id, resource.id, resource.name, resource.role)


async def make_org(
    name: str = "Acme",
    *,
    time_zone: str = "UTC",
    license_count: int | None = None,
    now: datetime | None = None,
) -> Org:
    n = next(_serial)
    org, admin = await create_organization(
        name,
        admin_name=f"Admin {n}",
        admin_email=f"admin{n}@example.com",
        admin_password=PASSWORD,
        time_zone=time_zone,
        now=now or datetime.now(UTC),
    )
    made = Org(org, admin)
    if license_count is not None:
        await made.set_count(license_count)
        await made.refresh()
    return made


async def live_used(organization_id: int) -> int:
    """R1 computed from the people themselves, to check the cached figure against."""
    return await Resource.filter(
        organization_id=organization_id, kind=ResourceKind.EMPLOYEE, active=True, login_access=True
    ).count()


async def live_people_counts(organization_id: int) -> tuple[int, ...]:
    """The people by status and kind, counted from the people themselves, in the order of
    `Organization.people_counts`."""
    return tuple(
        [
            await Resource.filter(organization_id=organization_id, active=active, kind=kind).count()
            for active, kind in PEOPLE_COUNTS
        ]
    )


async def assert_kept_counts(organization_id: int | None = None) -> None:
    """Every kept count of the organisation (of every one, by default) equals its live count:
    `used` (R1) and the people by status and kind (what the lists' totals read)."""
    orgs = await (
        Organization.filter(id=organization_id) if organization_id else Organization.all()
    )
    for org in orgs:
        assert org.used == await live_used(org.id), f"R1: cached used drifted in {org.id}"
        assert org.people_counts == await live_people_counts(org.id), (
            f"the kept people counts of organisation {org.id} drifted from its people"
        )


async def assert_invariants(organization_id: int) -> None:
    """R1, R2 and R8 for one organisation, and its kept people counts."""
    await assert_kept_counts(organization_id)
    org = await Organization.get(id=organization_id)
    assert org.used <= org.license_count, "R2: more licenses used than paid for"
    chain = await LicenseChange.filter(organization_id=organization_id).order_by("id")
    assert chain, "R8: every organisation starts with its first licenses in the history"
    assert chain[0].from_count == 0
    for before, after in itertools.pairwise(chain):
        assert after.from_count == before.to_count, f"R8: chain broken at change {after.id}"
        assert after.from_count != after.to_count
    assert chain[-1].to_count == org.license_count, "R8: history does not end at the count"


class GraphQLClient:
    """A browser talking to /graphql: keeps cookies, returns the decoded answer."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """The data of an answer that must have no errors."""
        body = await self(query, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        return await self.data(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) {"
            " __typename ... on LoginSuccess { me { id name role } } } }",
            e=email,
            p=password,
        )


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
