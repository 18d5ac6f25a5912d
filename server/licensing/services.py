"""Every change to licences and login access, each in one database transaction.

Each operation locks the organisation row first (`SELECT … FOR UPDATE`), so that all changes
to one organisation's licences happen one after another, on any number of server processes,
and `used ≤ licence count` (R2) holds after every commit. On SQLite the lock is a no-op and the
single connection serialises transactions instead. The history row of a count change (R8) is
written in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from server.accounts import rules as account_rules
from server.accounts.models import Organization, Resource, ResourceKind, Role, Session
from server.accounts.passwords import hash_password
from server.billing.proration import local_day, period_of
from server.errors import (
    EmailTaken,
    InvalidInput,
    NotFound,
    ResourceAlreadyActive,
    ResourceInactive,
)
from server.licensing import rules
from server.licensing.history import record_change
from server.licensing.models import ChangeReason, LicenseChange


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a signed-in person (or, later, an API token)."""

    organization_id: int
    resource_id: int | None
    name: str
    role: Role


@dataclass(frozen=True)
class Seats:
    license_count: int
    used: int

    @property
    def available(self) -> int:
        return self.license_count - self.used

    @property
    def reducible_by(self) -> int:
        return rules.reducible_by(self.license_count, self.used)

    @classmethod
    def of(cls, org: Organization) -> Seats:
        return cls(license_count=org.license_count, used=org.used)


@dataclass(frozen=True)
class LicenseIncreaseRequired:
    """R4/R6: nothing was changed; the caller must accept the auto-increase first."""

    current_count: int
    new_count: int
    message: str


@dataclass(frozen=True)
class LicenseBelowUsage:
    """R3: the requested count is below the number of licences in use; nothing changed."""

    used: int
    requested: int
    message: str


@dataclass(frozen=True)
class LicenseCountSet:
    seats: Seats
    change: LicenseChange | None


@dataclass(frozen=True)
class AccessChanged:
    resource: Resource
    seats: Seats
    change: LicenseChange | None
    message: str


@dataclass(frozen=True)
class ResourceAdded:
    resource: Resource
    seats: Seats
    change: LicenseChange | None


@dataclass(frozen=True)
class Terminated:
    resource: Resource
    seats: Seats
    change: LicenseChange | None


@dataclass(frozen=True)
class Reactivated:
    resource: Resource
    seats: Seats


@dataclass(frozen=True)
class NewResource:
    name: str
    email: str
    kind: ResourceKind = ResourceKind.EMPLOYEE
    role: Role = Role.MEMBER
    login_access: bool = False
    start_date: date | None = None
    password: str | None = None


def utcnow() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def locked_organization(
    organization_id: int,
) -> AsyncIterator[tuple[BaseDBAsyncClient, Organization]]:
    """Open a transaction and lock the organisation's row for its whole length."""
    async with in_transaction() as conn:
        org = (
            await Organization.filter(id=organization_id)
            .select_for_update()
            .using_db(conn)
            .get_or_none()
        )
        if org is None:
            raise NotFound("The organisation does not exist.")
        yield conn, org


async def get_seats(organization_id: int) -> Seats:
    org = await Organization.get_or_none(id=organization_id)
    if org is None:
        raise NotFound("The organisation does not exist.")
    return Seats.of(org)


async def _resource_for_update(
    conn: BaseDBAsyncClient, org: Organization, resource_id: int
) -> Resource:
    # A resource of another organisation is reported exactly like a missing one (R12).
    resource = (
        await Resource.filter(id=resource_id, organization_id=org.id)
        .select_for_update()
        .using_db(conn)
        .get_or_none()
    )
    if resource is None:
        raise NotFound(f"No resource with id {resource_id}.", field="resourceId")
    return resource


async def _check_keeps_an_admin(conn: BaseDBAsyncClient, org: Organization, resource: Resource):
    is_active_admin = resource.role is Role.ADMIN and resource.active and resource.login_access
    if not is_active_admin:
        return
    active_admins = (
        await Resource.filter(
            organization_id=org.id, role=Role.ADMIN, active=True, login_access=True
        )
        .using_db(conn)
        .count()
    )
    rules.check_not_last_admin(resource.role, is_active_admin, active_admins)


async def _end_sessions(conn: BaseDBAsyncClient, resource: Resource) -> None:
    await Session.filter(resource_id=resource.id).using_db(conn).delete()


async def _save_counts(conn: BaseDBAsyncClient, org: Organization) -> None:
    await org.save(using_db=conn, update_fields=["license_count", "used"])


async def set_license_count(
    actor: Actor, count: int, *, maximum: int, now: datetime | None = None
) -> LicenseCountSet | LicenseBelowUsage:
    """R3: set the number of licences paid for."""
    rules.check_license_count(count, maximum)
    now = now or utcnow()
    async with locked_organization(actor.organization_id) as (conn, org):
        if count < org.used:
            return LicenseBelowUsage(
                used=org.used, requested=count, message=rules.below_usage_message(org.used, count)
            )
        if count == org.license_count:
            return LicenseCountSet(seats=Seats.of(org), change=None)
        change = await record_change(
            conn,
            org,
            count,
            ChangeReason.MANUAL,
            actor,
            now=now,
            effective_on=local_day(now, org.time_zone),
        )
        await _save_counts(conn, org)
        return LicenseCountSet(seats=Seats.of(org), change=change)


async def _grant_access(
    conn: BaseDBAsyncClient,
    org: Organization,
    resource: Resource,
    actor: Actor,
    *,
    accept_increase: bool,
    maximum: int,
    now: datetime,
) -> LicenseIncreaseRequired | LicenseChange | None:
    """R4, shared by toggleAccess and addResource. Gives `resource` login access, growing the
    count by one when no licence is free and the caller accepted it. Returns the history row
    of that increase, or None, or the question to ask when the increase is not yet accepted."""
    grant = rules.plan_access_grant(resource.kind, org.license_count, org.used, maximum)
    change = None
    if grant.needs_increase:
        if not accept_increase:
            new_count = org.license_count + 1
            return LicenseIncreaseRequired(
                current_count=org.license_count,
                new_count=new_count,
                message=rules.increase_required_message(org.license_count, new_count),
            )
        change = await record_change(
            conn,
            org,
            org.license_count + 1,
            ChangeReason.AUTO_INCREASE,
            actor,
            now=now,
            effective_on=local_day(now, org.time_zone),
            resource=resource,
        )
    if grant.uses_license:
        org.used += 1
    resource.login_access = True
    return change


async def toggle_access(
    actor: Actor,
    resource_id: int,
    enabled: bool,
    *,
    accept_increase: bool = False,
    maximum: int,
    now: datetime | None = None,
) -> AccessChanged | LicenseIncreaseRequired:
    """R4 (grant, with the auto-increase) and R5 (remove, which ends the person's sessions)."""
    now = now or utcnow()
    async with locked_organization(actor.organization_id) as (conn, org):
        resource = await _resource_for_update(conn, org, resource_id)
        if resource.login_access == enabled:
            return AccessChanged(
                resource=resource,
                seats=Seats.of(org),
                change=None,
                message=(
                    "Nothing to change: login access is already "
                    + ("given." if enabled else "removed.")
                ),
            )
        if enabled:
            if not resource.active:
                raise ResourceInactive(
                    f"{resource.name} is terminated: reactivate them before giving login access.",
                    field="resourceId",
                )
            outcome = await _grant_access(
                conn,
                org,
                resource,
                actor,
                accept_increase=accept_increase,
                maximum=maximum,
                now=now,
            )
            if isinstance(outcome, LicenseIncreaseRequired):
                return outcome
            change = outcome
            message = f"{resource.name} can now sign in."
        else:
            await _check_keeps_an_admin(conn, org, resource)
            released = rules.uses_license(resource.kind, resource.active, True)
            resource.login_access = False
            await _end_sessions(conn, resource)
            change = None
            if released:
                org.used -= 1
                message = rules.licence_released_message(org.license_count, org.used)
            else:
                message = f"{resource.name} can no longer sign in."
        await resource.save(using_db=conn, update_fields=["login_access"])
        await _save_counts(conn, org)
        return AccessChanged(resource=resource, seats=Seats.of(org), change=change, message=message)


async def add_resource(
    actor: Actor,
    new: NewResource,
    *,
    accept_increase: bool = False,
    maximum: int,
    now: datetime | None = None,
) -> ResourceAdded | LicenseIncreaseRequired:
    """R6: register a co-worker; with login access this is R4, confirmation step included."""
    now = now or utcnow()
    name = account_rules.clean_name(new.name)
    email = account_rules.clean_email(new.email)
    if new.password is not None:
        account_rules.check_password(new.password)
    async with locked_organization(actor.organization_id) as (conn, org):
        if await Resource.filter(organization_id=org.id, email=email).using_db(conn).exists():
            raise EmailTaken(f"Someone in this organisation already uses {email}.", field="email")
        resource = Resource(
            organization_id=org.id,
            name=name,
            email=email,
            kind=new.kind,
            role=new.role,
            active=True,
            login_access=False,
            start_date=new.start_date or local_day(now, org.time_zone),
            password_hash=hash_password(new.password) if new.password else None,
        )
        change = None
        if new.login_access:
            outcome = await _grant_access(
                conn,
                org,
                resource,
                actor,
                accept_increase=accept_increase,
                maximum=maximum,
                now=now,
            )
            if isinstance(outcome, LicenseIncreaseRequired):
                return outcome
            change = outcome
        await resource.save(using_db=conn)
        if change is not None:
            # The history row was written before the resource had an id.
            change.resource_id = resource.id
            await LicenseChange.filter(id=change.id).using_db(conn).update(resource_id=resource.id)
        await _save_counts(conn, org)
        return ResourceAdded(resource=resource, seats=Seats.of(org), change=change)


async def terminate(
    actor: Actor, resource_id: int, last_work_day: date, *, now: datetime | None = None
) -> Terminated:
    """R7, the auto-decrease: the person leaves, and the licence they used goes with them."""
    now = now or utcnow()
    async with locked_organization(actor.organization_id) as (conn, org):
        resource = await _resource_for_update(conn, org, resource_id)
        if not resource.active:
            raise ResourceInactive(f"{resource.name} is already terminated.", field="resourceId")
        rules.check_last_work_day(last_work_day, resource.start_date)
        today = local_day(now, org.time_zone)
        if not rules.takes_effect_now(last_work_day, today):
            raise InvalidInput(
                "A last work day in the future cannot be scheduled yet: terminate on or after "
                "the last work day.",
                field="lastWorkDay",
            )
        await _check_keeps_an_admin(conn, org, resource)
        released = rules.uses_license(resource.kind, resource.active, resource.login_access)
        resource.active = False
        resource.login_access = False
        resource.last_work_day = last_work_day
        await resource.save(
            using_db=conn, update_fields=["active", "login_access", "last_work_day"]
        )
        await _end_sessions(conn, resource)
        change = None
        if released:
            org.used -= 1
            change = await record_change(
                conn,
                org,
                org.license_count - 1,
                ChangeReason.TERMINATION,
                actor,
                now=now,
                effective_on=rules.termination_effective_on(last_work_day, period_of(today)[0]),
                resource=resource,
            )
        await _save_counts(conn, org)
        return Terminated(resource=resource, seats=Seats.of(org), change=change)


async def reactivate(actor: Actor, resource_id: int) -> Reactivated:
    """R7: a terminated person is active again, without login access until it is given (R4)."""
    async with locked_organization(actor.organization_id) as (conn, org):
        resource = await _resource_for_update(conn, org, resource_id)
        if resource.active:
            raise ResourceAlreadyActive(f"{resource.name} is already active.", field="resourceId")
        resource.active = True
        resource.login_access = False
        resource.last_work_day = None
        await resource.save(
            using_db=conn, update_fields=["active", "login_access", "last_work_day"]
        )
        return Reactivated(resource=resource, seats=Seats.of(org))
