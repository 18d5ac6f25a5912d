"""Every change to licenses and login access, each in one database transaction.

Every change runs in one skeleton, `seat_change`: it locks the organisation row first
(`SELECT … FOR UPDATE`), so that all changes to one organisation's licenses happen one after
another, on any number of server processes, and `used ≤ license count` (R2) holds after every
commit. On SQLite the lock is a no-op and the single connection serialises transactions
instead. The history row of a count change (R8), the point of the usage series and the
idempotency key (R13) are written in the same transaction as the change, and so are the events
webhook endpoints are told of (`SeatChange.tell`, the count's own here; server/webhooks/); the
news of the change is announced only once it has committed (server/events.py). The actor and
the answers of the changes live in `outcomes.py` and are named here too, for the callers.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient

from server import events
from server.accounts import rules as account_rules
from server.accounts.models import (
    PEOPLE_COUNTS,
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
    decode_outcome,
    encode_outcome,
    remember,
    replay,
)
from server.licensing import rules
from server.licensing.history import record_change, record_usage
from server.licensing.models import ChangeReason, LicenseChange
from server.licensing.outcomes import (
    OUTCOME_TYPES,
    AccessChanged,
    Actor,
    LicenseBelowUsage,
    LicenseCountPreview,
    LicenseCountSet,
    LicenseIncreaseRequired,
    Reactivated,
    ResourceAdded,
    RoleSet,
    Seats,
    Terminated,
    TerminationCancelled,
    TerminationScheduled,
)
from server.webhooks import outbox
from server.webhooks.models import EventType

log = logging.getLogger("seats.licensing")
Outcome = TypeVar("Outcome")


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


def _schedule(resource: Resource, last_work_day: date | None, by: Actor | None) -> None:
    """Writes the SCHEDULED_BY columns: the last work day, and who chose it (none, for a
    termination cancelled or taking effect)."""
    resource.last_work_day = last_work_day
    resource.termination_scheduled_by_id = by.resource_id if by else None
    resource.termination_scheduled_by_token_id = by.token_id if by else None


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class SeatChange:
    """One change in the making, inside its transaction, with the organisation row locked.

    `replayed` is the answer to an earlier request with the same idempotency key (R13): the
    change then returns it and does nothing else. `news` is what the change announces once
    committed (server/events.py)."""

    conn: BaseDBAsyncClient
    org: Organization
    actor: Actor | None
    now: datetime
    news: events.News
    replayed: Any = None
    outcome: Any = None
    webhooks: list[outbox.Announcement] = field(default_factory=list)

    @property
    def today(self) -> date:
        """The day of the change in the organisation's time zone (R7, R9)."""
        return local_day(self.now, self.org.time_zone)

    def announce(self) -> None:
        """The organisation's licenses or access changed: its subscribers hear it with the
        commit."""
        self.news.add(events.SeatsChanged(self.org.id))

    def tell(self, event_type: EventType, resource: Resource, **data: Any) -> None:
        """Integrations hear of this change to `resource` (issue 15): the event is written to
        the webhook outbox in the change's transaction, committing or rolling back with it."""
        self.webhooks.append(
            (
                event_type,
                {
                    "resource": outbox.resource_data(resource),
                    **data,
                    "seats": outbox.seats_data(self.org),
                },
            )
        )

    def ended(self, resource: Resource) -> None:
        """`resource` may no longer sign in, or no longer see the licenses: their open
        websockets, in any server process, close with the commit (R11)."""
        self.news.add(events.CredentialEnded("person", str(resource.id)))

    def done(self, outcome: Outcome) -> Outcome:
        """The answer of a change that changed something: kept under its idempotency key, in
        the change's transaction, and announced once committed. Answers that changed nothing
        (questions, refusals) are returned without `done` and spend no key: the caller may
        send the confirmed request with the same key."""
        self.outcome = outcome
        self.announce()
        return outcome


@asynccontextmanager
async def seat_change(
    actor: Actor | None,
    *,
    organization_id: int | None = None,
    idempotency: Idempotency | None = None,
    expected_count: int | None = None,
    now: datetime | None = None,
    skip_locked: bool = False,
) -> AsyncIterator[SeatChange | None]:
    """The one way a change of licenses or access happens: open a transaction, lock the
    organisation row (of `organization_id`, by default the actor's) for its whole length,
    look up the idempotency key, then check the count the caller expects (unless the key
    answers). After the body: the key is kept with the answer given to `done`, and a change
    of the count or of the licenses in use adds a point, at `now`, to the usage series, all
    in the same transaction. With `skip_locked`, an organisation locked by someone else
    yields None instead of waiting."""
    if organization_id is None:
        assert actor is not None, "a change is made by an actor or for an organisation"
        organization_id = actor.organization_id
    now = now or utcnow()
    async with events.transaction() as (conn, news):
        org = (
            await Organization.filter(id=organization_id)
            .select_for_update(skip_locked=skip_locked)
            .using_db(conn)
            .get_or_none()
        )
        if org is None:
            if not skip_locked:
                raise NotFound("The organisation does not exist.")
            yield None
            return
        change = SeatChange(conn, org, actor, now, news)
        before = (org.license_count, org.used)
        people_before = org.people_counts
        if actor is not None and idempotency is not None:
            stored = await replay(conn, org.id, actor.idempotency_scope, idempotency)
            if stored is not None:
                change.replayed = decode_outcome(stored, OUTCOME_TYPES)
        if change.replayed is None:
            rules.check_expected_count(expected_count, org.license_count)
        yield change
        if change.outcome is not None and actor is not None:
            encoded = encode_outcome(change.outcome)
            await remember(conn, org.id, actor.idempotency_scope, idempotency, encoded)
        if org.license_count != before[0]:
            change.webhooks.insert(0, _count_changed(change, before[0]))
        await outbox.write(conn, org.id, change.webhooks, now)
        if org.people_counts != people_before:
            await org.save(using_db=conn, update_fields=list(PEOPLE_COUNTS.values()))
        if (org.license_count, org.used) != before:
            await record_usage(conn, org, now)


def _count_changed(change: SeatChange, previous: int) -> outbox.Announcement:
    """The news of a change of the license count, whatever made it (R3, R4, R7)."""
    return (
        EventType.LICENSE_COUNT_CHANGED,
        {
            "previousCount": previous,
            **outbox.seats_data(change.org),
            "changedBy": change.actor.name if change.actor else "System",
        },
    )


async def get_seats(organization_id: int) -> Seats:
    org = await Organization.get_or_none(id=organization_id)
    if org is None:
        raise NotFound("The organisation does not exist.")
    return Seats.of(org)


async def _resource_for_update(change: SeatChange, resource_id: int) -> Resource:
    # A resource of another organisation is reported exactly like a missing one (R12).
    resource = (
        await Resource.filter(id=resource_id, organization_id=change.org.id)
        .select_for_update()
        .using_db(change.conn)
        .get_or_none()
    )
    if resource is None:
        raise NotFound("No resource with this id.", field="resourceId")
    return resource


async def _check_keeps_an_admin(change: SeatChange, resource: Resource) -> None:
    is_active_admin = resource.role is Role.ADMIN and resource.active and resource.login_access
    if not is_active_admin:
        return
    active_admins = (
        await Resource.filter(
            organization_id=change.org.id, role=Role.ADMIN, active=True, login_access=True
        )
        .using_db(change.conn)
        .count()
    )
    rules.check_not_last_admin(resource.role, is_active_admin, active_admins)


async def _end_sessions(change: SeatChange, resource: Resource) -> None:
    """The person may no longer sign in: their sessions end, and so, with the commit, do the
    websockets they have open in any server process (R11)."""
    await Session.filter(resource_id=resource.id).using_db(change.conn).delete()
    change.ended(resource)


async def _save_counts(change: SeatChange) -> None:
    await change.org.save(using_db=change.conn, update_fields=["license_count", "used"])


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
    async with seat_change(
        actor, idempotency=idempotency, expected_count=expected_count, now=now
    ) as change:
        if change.replayed is not None:
            return change.replayed
        org = change.org
        if count < org.used:
            return LicenseBelowUsage(
                used=org.used, requested=count, message=rules.below_usage_message(org.used, count)
            )
        if count == org.license_count:
            return LicenseCountSet(seats=Seats.of(org), change=None)
        row = await record_change(
            change.conn,
            org,
            count,
            ChangeReason.MANUAL,
            actor,
            now=change.now,
            effective_on=change.today,
        )
        await _save_counts(change)
        return change.done(LicenseCountSet(Seats.of(org), row))


async def preview_license_count(
    actor: Actor, count: int, *, maximum: int, now: datetime | None = None
) -> LicenseCountPreview | LicenseBelowUsage:
    """R3 and R9, asked before saving: what setting the count to `count` today would add to
    the next invoice (or take off it), refused like `set_license_count` would refuse it.
    Nothing is written and nothing is locked: the save decides against the count it expects."""
    rules.check_license_count(count, maximum)
    org = await Organization.get(id=actor.organization_id)
    if count < org.used:
        return LicenseBelowUsage(
            used=org.used, requested=count, message=rules.below_usage_message(org.used, count)
        )
    today = local_day(now or utcnow(), org.time_zone)
    prorated, total, currency = await billing.increase_cost(org, org.license_count, count, today)
    return LicenseCountPreview(
        current_count=org.license_count,
        new_count=count,
        effective_on=today,
        prorated_amount=prorated,
        next_invoice_change=total,
        currency=currency,
    )


async def _increase_question(
    change: SeatChange, resource: Resource, *, accept_increase: bool, maximum: int
) -> LicenseIncreaseRequired | rules.AccessGrant:
    """R4, shared by toggleAccess and addResource: what giving `resource` login access takes,
    or, when that is an increase not yet accepted, the question to ask (with its cost)."""
    org = change.org
    grant = rules.plan_access_grant(resource.kind, org.license_count, org.used, maximum)
    if grant.needs_increase and not accept_increase:
        current, new = org.license_count, org.license_count + 1
        prorated, total, currency = await billing.increase_cost(
            org, current, new, change.today, change.conn
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
    change: SeatChange, resource: Resource, grant: rules.AccessGrant
) -> LicenseChange | None:
    """Give a saved `resource` login access as `grant` says; the history row of the
    auto-increase, if there was one."""
    org = change.org
    row = None
    if grant.needs_increase:
        row = await record_change(
            change.conn,
            org,
            org.license_count + 1,
            ChangeReason.AUTO_INCREASE,
            change.actor,
            now=change.now,
            effective_on=change.today,
            resource=resource,
        )
    if grant.uses_license:
        org.used += 1
    resource.login_access = True
    await resource.save(using_db=change.conn, update_fields=["login_access"])
    await _save_counts(change)
    change.tell(EventType.RESOURCE_ACCESS_CHANGED, resource, usesLicense=grant.uses_license)
    return row


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
    async with seat_change(
        actor, idempotency=idempotency, expected_count=expected_count, now=now
    ) as change:
        if change.replayed is not None:
            return change.replayed
        org = change.org
        resource = await _resource_for_update(change, resource_id)
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
                change, resource, accept_increase=accept_increase, maximum=maximum
            )
            if isinstance(grant, LicenseIncreaseRequired):
                return grant
            row = await _grant_access(change, resource, grant)
            message = f"{resource.name} can now sign in."
        else:
            await _check_keeps_an_admin(change, resource)
            released = rules.uses_license(resource.kind, resource.active, True)
            resource.login_access = False
            await resource.save(using_db=change.conn, update_fields=["login_access"])
            await _end_sessions(change, resource)
            row = None
            if released:
                org.used -= 1
                await _save_counts(change)
                message = rules.license_released_message(org.license_count, org.used)
            else:
                message = f"{resource.name} can no longer sign in."
            change.tell(EventType.RESOURCE_ACCESS_CHANGED, resource, usesLicense=False)
        return change.done(AccessChanged(resource, Seats.of(org), row, message))


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
    async with seat_change(
        actor, idempotency=idempotency, expected_count=expected_count, now=now
    ) as change:
        if change.replayed is not None:
            return change.replayed
        org, conn = change.org, change.conn
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
            start_date=new.start_date or change.today,
            password_hash=hash_password(new.password) if new.password else None,
        )
        grant = None
        if new.login_access:
            grant = await _increase_question(
                change, resource, accept_increase=accept_increase, maximum=maximum
            )
            if isinstance(grant, LicenseIncreaseRequired):
                return grant
        await resource.save(using_db=conn)
        org.count_person(resource.kind, active=True, by=1)
        row = await _grant_access(change, resource, grant) if grant else None
        return change.done(ResourceAdded(resource=resource, seats=Seats.of(org), change=row))


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
    async with seat_change(actor, idempotency=idempotency) as change:
        if change.replayed is not None:
            return change.replayed
        resource = await _resource_for_update(change, resource_id)
        if resource.role is role:
            return RoleSet(
                resource,
                f"Nothing to change: {resource.name} is already {account_rules.role_name(role)}.",
            )
        if role is not Role.ADMIN:
            await _check_keeps_an_admin(change, resource)
        before = resource.role
        resource.role = role
        await resource.save(using_db=change.conn, update_fields=["role"])
        if not account_rules.may_manage_licenses(role):
            change.ended(resource)
        log.info("role of resource %s: %s -> %s by %s", resource.id, before, role, actor.name)
        return change.done(
            RoleSet(resource, f"{resource.name} is now {account_rules.role_name(role)}.")
        )


async def _terminate_now(
    change: SeatChange, resource: Resource, actor: Actor | None, last_work_day: date
) -> LicenseChange | None:
    """R7's effect: inactive, no access, no sessions, and the license off the count."""
    change.announce()
    org = change.org
    released = rules.uses_license(resource.kind, resource.active, resource.login_access)
    org.count_person(resource.kind, active=True, by=-1)
    org.count_person(resource.kind, active=False, by=1)
    resource.active = False
    resource.login_access = False
    _schedule(resource, last_work_day, None)
    await resource.save(
        using_db=change.conn, update_fields=["active", "login_access", *SCHEDULED_BY]
    )
    await _end_sessions(change, resource)
    change.tell(EventType.RESOURCE_TERMINATED, resource, releasedLicense=released)
    if not released:
        return None
    org.used -= 1
    open_from = await billing.open_period_start(org, change.conn)
    row = await record_change(
        change.conn,
        org,
        org.license_count - 1,
        ChangeReason.TERMINATION,
        actor,
        now=change.now,
        effective_on=rules.termination_effective_on(last_work_day, open_from),
        resource=resource,
    )
    await _save_counts(change)
    return row


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
    async with seat_change(
        actor, idempotency=idempotency, expected_count=expected_count, now=now
    ) as change:
        if change.replayed is not None:
            return change.replayed
        org = change.org
        resource = await _resource_for_update(change, resource_id)
        if not resource.active:
            raise ResourceInactive(f"{resource.name} is already terminated.", field="resourceId")
        rules.check_last_work_day(last_work_day, resource.start_date)
        await _check_keeps_an_admin(change, resource)
        if rules.takes_effect_now(last_work_day, change.today):
            row = await _terminate_now(change, resource, actor, last_work_day)
            return change.done(Terminated(resource=resource, seats=Seats.of(org), change=row))
        _schedule(resource, last_work_day, actor)
        await resource.save(using_db=change.conn, update_fields=SCHEDULED_BY)
        change.tell(EventType.TERMINATION_SCHEDULED, resource)
        return change.done(TerminationScheduled(resource=resource, seats=Seats.of(org)))


async def cancel_termination(
    actor: Actor, resource_id: int, *, idempotency: Idempotency | None = None
) -> TerminationCancelled:
    """R7: a scheduled termination can be cancelled before it takes effect."""
    async with seat_change(actor, idempotency=idempotency) as change:
        if change.replayed is not None:
            return change.replayed
        resource = await _resource_for_update(change, resource_id)
        if not resource.active:
            raise ResourceInactive(
                f"{resource.name} is already terminated: reactivate them instead.",
                field="resourceId",
            )
        if resource.last_work_day is None:
            raise InvalidInput(
                f"No termination is scheduled for {resource.name}.", field="resourceId"
            )
        _schedule(resource, None, None)
        await resource.save(using_db=change.conn, update_fields=SCHEDULED_BY)
        change.tell(EventType.TERMINATION_CANCELLED, resource)
        return change.done(TerminationCancelled(resource=resource, seats=Seats.of(change.org)))


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
        async with seat_change(
            None, organization_id=organization_id, now=now, skip_locked=True
        ) as change:
            if change is None:
                continue  # another process holds it; this one will be due again next time
            people = (
                await Resource.filter(
                    organization_id=organization_id, active=True, last_work_day__lt=change.today
                )
                .select_for_update()
                .using_db(change.conn)
                .order_by("id")
            )
            for person in people:
                try:
                    await _check_keeps_an_admin(change, person)
                except LastAdministrator:
                    log.warning("termination of resource %s waits: last administrator", person.id)
                    continue
                actor = await _scheduler(change.conn, person)
                await _terminate_now(change, person, actor, person.last_work_day)
                applied += 1
    return applied


async def reactivate(
    actor: Actor, resource_id: int, *, idempotency: Idempotency | None = None
) -> Reactivated:
    """R7: a terminated person is active again, without login access until it is given (R4)."""
    async with seat_change(actor, idempotency=idempotency) as change:
        if change.replayed is not None:
            return change.replayed
        resource = await _resource_for_update(change, resource_id)
        if resource.active:
            raise ResourceAlreadyActive(f"{resource.name} is already active.", field="resourceId")
        resource.active = True
        resource.login_access = False
        resource.last_work_day = None
        change.org.count_person(resource.kind, active=False, by=-1)
        change.org.count_person(resource.kind, active=True, by=1)
        await resource.save(
            using_db=change.conn, update_fields=["active", "login_access", "last_work_day"]
        )
        return change.done(Reactivated(resource=resource, seats=Seats.of(change.org)))
