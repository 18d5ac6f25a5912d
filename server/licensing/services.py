"""Every change to licenses and login access, each in one database transaction.

Each operation locks the organisation row first (`SELECT … FOR UPDATE`), so that all changes
to one organisation's licenses happen one after another, on any number of server processes,
and `used ≤ license count` (R2) holds after every commit. On SQLite the lock is a no-op and the
single connection serialises transactions instead. The history row of a count change (R8) is
written in the same transaction as the change.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from server import events
from server.accounts import rules as account_rules
from server.accounts.models import (
    ApiToken,
    Organization,
    Resource,
    ResourceKind,
    Role,
    Session,
)
from server.accounts.passwords import hash_password
from server.billing import services as billing
from server.billing.proration import format_amount, local_day
from server.errors import (
    EmailTaken,
    InvalidInput,
    LastAdministrator,
    NotFound,
    ResourceAlreadyActive,
    ResourceInactive,
)
from server.idempotency import (
    Idempotency,
    actor_key,
    decode_outcome,
    encode_outcome,
    remember,
    replay,
)
from server.licensing import rules
from server.licensing.history import record_change, record_usage
from server.licensing.models import ChangeReason, LicenseChange

log = logging.getLogger("seats.licensing")


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a signed-in person, or an integration's API token."""

    organization_id: int
    resource_id: int | None
    name: str
    role: Role | None
    token_id: int | None = None

    @classmethod
    def person(cls, resource: Resource) -> Actor:
        return cls(resource.organization_id, resource.id, resource.name, resource.role)

    @classmethod
    def token(cls, token: ApiToken) -> Actor:
        """An integration, named as the history names it."""
        return cls(token.organization_id, None, f"API token “{token.name}”", None, token.id)

    @property
    def by_token(self) -> bool:
        return self.token_id is not None

    @property
    def idempotency_scope(self) -> str:
        """Idempotency keys are this actor's own (R13)."""
        return actor_key(self.resource_id, self.token_id)


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
    prorated_cost: int
    adds_to_next_invoice: int
    currency: str


@dataclass(frozen=True)
class LicenseBelowUsage:
    """R3: the requested count is below the number of licenses in use; nothing changed."""

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
class TerminationScheduled:
    """R7: a future last work day. Nothing changes until the end of that day."""

    resource: Resource
    seats: Seats


@dataclass(frozen=True)
class TerminationCancelled:
    resource: Resource
    seats: Seats


@dataclass(frozen=True)
class RoleSet:
    """The person's role after `set_role`; `message` says what happened."""

    resource: Resource
    message: str


@dataclass(frozen=True)
class NewResource:
    name: str
    email: str
    kind: ResourceKind = ResourceKind.EMPLOYEE
    role: Role = Role.MEMBER
    login_access: bool = False
    start_date: date | None = None
    password: str | None = None


# The columns of a scheduled termination (R7): the day, and who scheduled it.
SCHEDULED_BY = ["last_work_day", "termination_scheduled_by_id", "termination_scheduled_by_token_id"]


def utcnow() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def locked_organization(
    organization_id: int, *, skip_locked: bool = False, now: datetime | None = None
) -> AsyncIterator[tuple[BaseDBAsyncClient, Organization | None]]:
    """Open a transaction and lock the organisation's row for its whole length. With
    `skip_locked`, an organisation locked by someone else yields None instead of waiting.
    A change of the count or of the licenses in use adds a point, at `now`, to the usage
    series, in the same transaction."""
    async with events.transaction() as (conn, news):
        org = (
            await Organization.filter(id=organization_id)
            .select_for_update(skip_locked=skip_locked)
            .using_db(conn)
            .get_or_none()
        )
        if org is None and not skip_locked:
            raise NotFound("The organisation does not exist.")
        before = (org.license_count, org.used) if org is not None else None
        if org is not None:
            org.news = news
        yield conn, org
        if org is not None and (org.license_count, org.used) != before:
            await record_usage(conn, org, now or utcnow())


def _announce(org: Organization) -> None:
    """A change of licenses or access, announced to the subscribers with the commit."""
    org.news.add(events.SeatsChanged(org.id))


async def get_seats(organization_id: int) -> Seats:
    org = await Organization.get_or_none(id=organization_id)
    if org is None:
        raise NotFound("The organisation does not exist.")
    return Seats.of(org)


OUTCOME_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Seats,
        LicenseCountSet,
        AccessChanged,
        ResourceAdded,
        Terminated,
        TerminationScheduled,
        TerminationCancelled,
        Reactivated,
        RoleSet,
        Resource,
        LicenseChange,
    )
}


async def _replayed(
    conn: BaseDBAsyncClient, org: Organization, actor: Actor, idempotency: Idempotency | None
):
    stored = await replay(conn, org.id, actor.idempotency_scope, idempotency)
    return decode_outcome(stored, OUTCOME_TYPES) if stored is not None else None


async def _remembered(
    conn, org: Organization, actor: Actor, idempotency: Idempotency | None, outcome
):
    """The answer of a change: kept under its idempotency key, in the change's transaction,
    and announced once committed. Answers that changed nothing (questions, refusals) spend no
    key: the caller may send the confirmed request with the same key."""
    await remember(conn, org.id, actor.idempotency_scope, idempotency, encode_outcome(outcome))
    _announce(org)
    return outcome


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


async def _end_sessions(conn: BaseDBAsyncClient, org: Organization, resource: Resource) -> None:
    """The person may no longer sign in: their sessions end, and so, with the commit, do the
    websockets they have open in any server process (R11)."""
    await Session.filter(resource_id=resource.id).using_db(conn).delete()
    org.news.add(events.CredentialEnded("person", str(resource.id)))


async def _save_counts(conn: BaseDBAsyncClient, org: Organization) -> None:
    await org.save(using_db=conn, update_fields=["license_count", "used"])


async def set_license_count(
    actor: Actor,
    count: int,
    *,
    maximum: int,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
    expected_count: int | None = None,
) -> LicenseCountSet | LicenseBelowUsage:
    """R3: set the number of licenses paid for."""
    rules.check_license_count(count, maximum)
    now = now or utcnow()
    async with locked_organization(actor.organization_id, now=now) as (conn, org):
        if (earlier := await _replayed(conn, org, actor, idempotency)) is not None:
            return earlier
        rules.check_expected_count(expected_count, org.license_count)
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
        return await _remembered(
            conn, org, actor, idempotency, LicenseCountSet(Seats.of(org), change)
        )


async def _increase_question(
    conn: BaseDBAsyncClient,
    org: Organization,
    resource: Resource,
    *,
    accept_increase: bool,
    maximum: int,
    now: datetime,
) -> LicenseIncreaseRequired | rules.AccessGrant:
    """R4, shared by toggleAccess and addResource: what giving `resource` login access takes,
    or, when that is an increase not yet accepted, the question to ask (with its cost)."""
    grant = rules.plan_access_grant(resource.kind, org.license_count, org.used, maximum)
    if grant.needs_increase and not accept_increase:
        current, new = org.license_count, org.license_count + 1
        prorated, total, currency = await billing.increase_cost(
            org, current, new, local_day(now, org.time_zone), conn
        )
        return LicenseIncreaseRequired(
            current_count=current,
            new_count=new,
            message=rules.increase_required_message(current, new)
            + f" The next invoice grows by {format_amount(total, currency)}.",
            prorated_cost=prorated,
            adds_to_next_invoice=total,
            currency=currency,
        )
    return grant


async def _grant_access(
    conn: BaseDBAsyncClient,
    org: Organization,
    resource: Resource,
    actor: Actor,
    grant: rules.AccessGrant,
    now: datetime,
) -> LicenseChange | None:
    """Give a saved `resource` login access as `grant` says; the history row of the
    auto-increase, if there was one."""
    change = None
    if grant.needs_increase:
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
    await resource.save(using_db=conn, update_fields=["login_access"])
    await _save_counts(conn, org)
    return change


async def toggle_access(
    actor: Actor,
    resource_id: int,
    enabled: bool,
    *,
    accept_increase: bool = False,
    maximum: int,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
    expected_count: int | None = None,
) -> AccessChanged | LicenseIncreaseRequired:
    """R4 (grant, with the auto-increase) and R5 (remove, which ends the person's sessions)."""
    now = now or utcnow()
    async with locked_organization(actor.organization_id, now=now) as (conn, org):
        if (earlier := await _replayed(conn, org, actor, idempotency)) is not None:
            return earlier
        rules.check_expected_count(expected_count, org.license_count)
        resource = await _resource_for_update(conn, org, resource_id)
        if resource.login_access == enabled:
            state = "given." if enabled else "removed."
            return AccessChanged(
                resource=resource,
                seats=Seats.of(org),
                change=None,
                message="Nothing to change: login access is already " + state,
            )
        if enabled:
            if not resource.active:
                raise ResourceInactive(
                    f"{resource.name} is terminated: reactivate them before giving login access.",
                    field="resourceId",
                )
            grant = await _increase_question(
                conn, org, resource, accept_increase=accept_increase, maximum=maximum, now=now
            )
            if isinstance(grant, LicenseIncreaseRequired):
                return grant
            change = await _grant_access(conn, org, resource, actor, grant, now)
            message = f"{resource.name} can now sign in."
        else:
            await _check_keeps_an_admin(conn, org, resource)
            released = rules.uses_license(resource.kind, resource.active, True)
            resource.login_access = False
            await resource.save(using_db=conn, update_fields=["login_access"])
            await _end_sessions(conn, org, resource)
            change = None
            if released:
                org.used -= 1
                await _save_counts(conn, org)
                message = rules.license_released_message(org.license_count, org.used)
            else:
                message = f"{resource.name} can no longer sign in."
        outcome = AccessChanged(resource, Seats.of(org), change, message)
        return await _remembered(conn, org, actor, idempotency, outcome)


async def add_resource(
    actor: Actor,
    new: NewResource,
    *,
    accept_increase: bool = False,
    maximum: int,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
    expected_count: int | None = None,
) -> ResourceAdded | LicenseIncreaseRequired:
    """R6: register a co-worker; with login access this is R4, confirmation step included."""
    now = now or utcnow()
    account_rules.check_may_give(
        new.role,
        sets_password=new.password is not None,
        actor_role=actor.role,
        by_token=actor.by_token,
    )
    name = account_rules.clean_name(new.name)
    email = account_rules.clean_email(new.email)
    if new.password is not None:
        account_rules.check_password(new.password)
    async with locked_organization(actor.organization_id, now=now) as (conn, org):
        if (earlier := await _replayed(conn, org, actor, idempotency)) is not None:
            return earlier
        rules.check_expected_count(expected_count, org.license_count)
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
        grant = None
        if new.login_access:
            grant = await _increase_question(
                conn, org, resource, accept_increase=accept_increase, maximum=maximum, now=now
            )
            if isinstance(grant, LicenseIncreaseRequired):
                return grant
        await resource.save(using_db=conn)
        change = await _grant_access(conn, org, resource, actor, grant, now) if grant else None
        outcome = ResourceAdded(resource=resource, seats=Seats.of(org), change=change)
        return await _remembered(conn, org, actor, idempotency, outcome)


async def set_role(
    actor: Actor, resource_id: int, role: Role, *, idempotency: Idempotency | None = None
) -> RoleSet:
    """R11: an administrator signed in as a person changes someone's role. Demoting the last
    active administrator who can sign in is refused (LAST_ADMIN), themselves included.

    The person's sessions stay open: every request reads the person behind its session
    again (`viewer_for_session`), so the new role applies from their very next request, on
    HTTP and on websockets alike. A role that may no longer see the licenses also closes the
    person's open websockets as the change commits, ending the live updates they followed."""
    account_rules.check_may_change_role(actor_role=actor.role, by_token=actor.by_token)
    async with locked_organization(actor.organization_id) as (conn, org):
        if (earlier := await _replayed(conn, org, actor, idempotency)) is not None:
            return earlier
        resource = await _resource_for_update(conn, org, resource_id)
        if resource.role is role:
            return RoleSet(resource, f"Nothing to change: {resource.name} is already {role}.")
        if role is not Role.ADMIN:
            await _check_keeps_an_admin(conn, org, resource)
        before = resource.role
        resource.role = role
        await resource.save(using_db=conn, update_fields=["role"])
        if not account_rules.may_manage_licenses(role):
            org.news.add(events.CredentialEnded("person", str(resource.id)))
        log.info("role of resource %s: %s -> %s by %s", resource.id, before, role, actor.name)
        outcome = RoleSet(resource, f"{resource.name} is now {role}.")
        return await _remembered(conn, org, actor, idempotency, outcome)


async def _terminate_now(
    conn: BaseDBAsyncClient,
    org: Organization,
    resource: Resource,
    actor: Actor | None,
    last_work_day: date,
    now: datetime,
) -> LicenseChange | None:
    """R7's effect: inactive, no access, no sessions, and the license off the count."""
    _announce(org)
    released = rules.uses_license(resource.kind, resource.active, resource.login_access)
    resource.active = False
    resource.login_access = False
    resource.last_work_day = last_work_day
    resource.termination_scheduled_by_id = None
    resource.termination_scheduled_by_token_id = None
    await resource.save(
        using_db=conn,
        update_fields=[
            "active",
            "login_access",
            "last_work_day",
            "termination_scheduled_by_id",
            "termination_scheduled_by_token_id",
        ],
    )
    await _end_sessions(conn, org, resource)
    if not released:
        return None
    org.used -= 1
    open_from = await billing.open_period_start(org, conn)
    change = await record_change(
        conn,
        org,
        org.license_count - 1,
        ChangeReason.TERMINATION,
        actor,
        now=now,
        effective_on=rules.termination_effective_on(last_work_day, open_from),
        resource=resource,
    )
    await _save_counts(conn, org)
    return change


async def terminate(
    actor: Actor,
    resource_id: int,
    last_work_day: date,
    *,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
    expected_count: int | None = None,
) -> Terminated | TerminationScheduled:
    """R7, the auto-decrease: the person leaves, and the license they used goes with them. A
    future last work day schedules it for the end of that day instead."""
    now = now or utcnow()
    async with locked_organization(actor.organization_id, now=now) as (conn, org):
        if (earlier := await _replayed(conn, org, actor, idempotency)) is not None:
            return earlier
        rules.check_expected_count(expected_count, org.license_count)
        resource = await _resource_for_update(conn, org, resource_id)
        if not resource.active:
            raise ResourceInactive(f"{resource.name} is already terminated.", field="resourceId")
        rules.check_last_work_day(last_work_day, resource.start_date)
        await _check_keeps_an_admin(conn, org, resource)
        if rules.takes_effect_now(last_work_day, local_day(now, org.time_zone)):
            change = await _terminate_now(conn, org, resource, actor, last_work_day, now)
            outcome = Terminated(resource=resource, seats=Seats.of(org), change=change)
        else:
            resource.last_work_day = last_work_day
            resource.termination_scheduled_by_id = actor.resource_id
            resource.termination_scheduled_by_token_id = actor.token_id
            await resource.save(using_db=conn, update_fields=SCHEDULED_BY)
            outcome = TerminationScheduled(resource=resource, seats=Seats.of(org))
        return await _remembered(conn, org, actor, idempotency, outcome)


async def cancel_termination(
    actor: Actor, resource_id: int, *, idempotency: Idempotency | None = None
) -> TerminationCancelled:
    """R7: a scheduled termination can be cancelled before it takes effect."""
    async with locked_organization(actor.organization_id) as (conn, org):
        if (earlier := await _replayed(conn, org, actor, idempotency)) is not None:
            return earlier
        resource = await _resource_for_update(conn, org, resource_id)
        if not resource.active:
            raise ResourceInactive(
                f"{resource.name} is already terminated: reactivate them instead.",
                field="resourceId",
            )
        if resource.last_work_day is None:
            raise InvalidInput(
                f"No termination is scheduled for {resource.name}.", field="resourceId"
            )
        resource.last_work_day = None
        resource.termination_scheduled_by_id = None
        resource.termination_scheduled_by_token_id = None
        await resource.save(using_db=conn, update_fields=SCHEDULED_BY)
        outcome = TerminationCancelled(resource=resource, seats=Seats.of(org))
        return await _remembered(conn, org, actor, idempotency, outcome)


async def _scheduler(conn: BaseDBAsyncClient, person: Resource) -> Actor | None:
    """Who scheduled `person`'s termination, to be named when it takes effect (R8): the
    person or the API token; None ("System") when neither is known any more."""
    token_id = person.termination_scheduled_by_token_id
    if token_id is not None and (token := await ApiToken.get_or_none(id=token_id, using_db=conn)):
        return Actor.token(token)
    resource_id = person.termination_scheduled_by_id
    if resource_id is not None and (
        scheduler := await Resource.get_or_none(id=resource_id, using_db=conn)
    ):
        return Actor.person(scheduler)
    return None


async def apply_due_terminations(now: datetime | None = None) -> int:
    """Apply every scheduled termination whose last work day has ended, each exactly once,
    however many processes run this at the same time: the effect happens with the
    organisation row locked and only to a person still active with that date."""
    now = now or utcnow()
    # Every zone's today is at most tomorrow in UTC: a superset, narrowed under the lock.
    horizon = now.date() + timedelta(days=1)
    due = await Resource.filter(active=True, last_work_day__lt=horizon).values_list(
        "organization_id", flat=True
    )
    applied = 0
    for organization_id in sorted(set(due)):
        async with locked_organization(organization_id, skip_locked=True, now=now) as (
            conn,
            org,
        ):
            if org is None:
                continue  # another process holds it; this one will be due again next time
            today = local_day(now, org.time_zone)
            people = (
                await Resource.filter(organization_id=org.id, active=True, last_work_day__lt=today)
                .select_for_update()
                .using_db(conn)
                .order_by("id")
            )
            for person in people:
                try:
                    await _check_keeps_an_admin(conn, org, person)
                except LastAdministrator:
                    log.warning("termination of resource %s waits: last administrator", person.id)
                    continue
                actor = await _scheduler(conn, person)
                await _terminate_now(conn, org, person, actor, person.last_work_day, now)
                applied += 1
    return applied


async def reactivate(
    actor: Actor, resource_id: int, *, idempotency: Idempotency | None = None
) -> Reactivated:
    """R7: a terminated person is active again, without login access until it is given (R4)."""
    async with locked_organization(actor.organization_id) as (conn, org):
        if (earlier := await _replayed(conn, org, actor, idempotency)) is not None:
            return earlier
        resource = await _resource_for_update(conn, org, resource_id)
        if resource.active:
            raise ResourceAlreadyActive(f"{resource.name} is already active.", field="resourceId")
        resource.active = True
        resource.login_access = False
        resource.last_work_day = None
        await resource.save(
            using_db=conn, update_fields=["active", "login_access", "last_work_day"]
        )
        outcome = Reactivated(resource=resource, seats=Seats.of(org))
        return await _remembered(conn, org, actor, idempotency, outcome)
