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
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from server import events
from server.accounts import people
from server.accounts import rules as account_rules
from server.accounts.models import (
    COUNT_FIELDS,
    PEOPLE_COUNTS,
    ApiToken,
    Deactivation,
    LicensePolicy,
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
    Forbidden,
    InvalidInput,
    LastAdministrator,
    LicenseLimitReached,
    LicenseRequestDeclined,
    LicenseRequestPending,
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
from server.licensing.models import ChangeReason, LicenseChange, LicenseRequest, RequestStatus
from server.licensing.outcomes import (
    OUTCOME_TYPES,
    AccessChanged,
    Actor,
    LicenseBelowUsage,
    LicenseCountPreview,
    LicenseCountSet,
    LicenseIncreaseRequired,
    LicenseRequestDecided,
    LicenseRequested,
    PolicySet,
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


# The organisation's counts a change keeps in memory until it saves them.
KEPT_COUNTS = ["license_count", "used", *PEOPLE_COUNTS.values()]


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

    @asynccontextmanager
    async def attempt(self) -> AsyncIterator[None]:
        """Part of the change in a savepoint: when it fails, what it wrote is undone, and so
        is what it did to the organisation row in memory and to the news, while the change
        goes on (R16: a license request instead of an increase the policy stopped)."""
        counts = {name: getattr(self.org, name) for name in KEPT_COUNTS}
        news = dict(self.news.items)
        try:
            async with in_transaction():
                yield
        except BaseException:
            self.org.update_from_dict(counts)
            self.news.items = news
            raise

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
    await change.org.save(using_db=change.conn, update_fields=list(COUNT_FIELDS))


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
        if count > org.license_count:
            await _check_cap(change, count)
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


class IncreaseStopped(Exception):
    """R16: the license policy stopped the increase that giving someone access takes. Raised
    inside the change, so that its transaction undoes everything; the caller then records the
    license request instead, in the same transaction (`_requesting`). For whom: the person
    (`resource_id`) when they were registered before the change, and their address and name."""

    def __init__(self, resource_id: int | None, email: str, name: str, external_id: str | None):
        super().__init__(email)
        self.resource_id = resource_id
        self.email = email
        self.name = name
        self.external_id = external_id


def _by_administrator(actor: Actor | None) -> bool:
    """An administrator signed in as a person: the one who confirms an increase themself."""
    return actor is not None and not actor.by_token and actor.role is Role.ADMIN


async def _monthly_amount(change: SeatChange, count: int) -> tuple[int, str]:
    """R16: what `count` licenses cost a month at the plan's price, and the currency."""
    plan = await billing.current_plan(change.org.id, change.conn)
    return count * plan.price_per_license, plan.currency


async def _judge(change: SeatChange, new_count: int) -> tuple[rules.Verdict, str | None]:
    """R16: what the policy says of raising the count to `new_count` for `change.actor`, and
    the monthly amount it would cost, written out (when an amount cap needs it)."""
    policy = rules.Policy.of(change.org)
    amount, amount_text = None, None
    if policy.max_monthly_amount is not None:
        amount, currency = await _monthly_amount(change, new_count)
        amount_text = format_amount(policy.max_monthly_amount, currency)
    verdict = rules.judge_increase(
        policy, new_count, amount, by_administrator=_by_administrator(change.actor)
    )
    return verdict, amount_text


async def _check_cap(change: SeatChange, new_count: int) -> None:
    """R16: no increase ever passes the caps (LICENSE_LIMIT_REACHED, saying which)."""
    policy = rules.Policy.of(change.org)
    amount, amount_text = None, None
    if policy.max_monthly_amount is not None:
        amount, currency = await _monthly_amount(change, new_count)
        amount_text = format_amount(policy.max_monthly_amount, currency)
    if rules.passes_cap(policy, new_count, amount):
        raise LicenseLimitReached(rules.cap_message(policy, new_count, amount_text))


async def _increase_question(
    change: SeatChange,
    resource: Resource,
    *,
    accept_increase: bool,
    maximum: int,
    new_person: bool = False,
) -> LicenseIncreaseRequired | rules.AccessGrant:
    """R4, shared by toggleAccess, addResource and provisioning: what giving `resource` login
    access takes, or, when that is an increase not yet accepted, the question to ask (with its
    cost). The increase obeys the license policy (R16): past a cap an administrator is refused
    (LICENSE_LIMIT_REACHED); anyone else the policy stops, once they accept, gets a license
    request instead (IncreaseStopped). `new_person`: `resource` is registered by this change."""
    org = change.org
    grant = rules.plan_access_grant(resource.kind, org.license_count, org.used, maximum)
    if not grant.needs_increase:
        return grant
    current, new = org.license_count, org.license_count + 1
    verdict, amount_text = await _judge(change, new)
    if verdict is rules.Verdict.OVER_CAP:
        raise LicenseLimitReached(
            rules.cap_message(rules.Policy.of(org), new, amount_text), currentCount=current
        )
    if not accept_increase:
        prorated, total, currency = await billing.increase_cost(
            org, current, new, change.today, change.conn
        )
        message = rules.increase_required_message(current, new)
        message += f" The next invoice grows by {format_amount(total, currency)}."
        if verdict is rules.Verdict.REQUEST:
            message += " The license policy needs an administrator: confirming asks one."
        return LicenseIncreaseRequired(
            current_count=current,
            new_count=new,
            message=message,
            prorated_cost=prorated,
            adds_to_next_invoice=total,
            currency=currency,
            needs_approval=verdict is rules.Verdict.REQUEST,
        )
    if verdict is rules.Verdict.REQUEST:
        raise IncreaseStopped(
            None if new_person else resource.id,
            resource.email,
            resource.name,
            resource.external_id,
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
    """R4 (grant, with the auto-increase) and R5 (remove, which ends the person's sessions).
    An increase the license policy stops is a license request instead (R16)."""
    async with seat_change(
        actor, idempotency=idempotency, expected_count=expected_count, now=now
    ) as change:
        outcome = change.replayed or await _requesting(
            change,
            lambda: _toggle_access(change, resource_id, enabled, accept_increase, maximum),
        )
    return _answer(outcome)


async def _toggle_access(
    change: SeatChange, resource_id: int, enabled: bool, accept_increase: bool, maximum: int
) -> AccessChanged | LicenseIncreaseRequired:
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
        row = None
        if await _remove_access(change, resource):
            message = rules.license_released_message(org.license_count, org.used)
        else:
            message = f"{resource.name} can no longer sign in."
    return change.done(AccessChanged(resource, Seats.of(org), row, message))


async def _remove_access(change: SeatChange, resource: Resource) -> bool:
    """R5: no more signing in (their sessions end); the license they used stays on the count,
    free. Returns whether they used one."""
    released = rules.uses_license(resource.kind, resource.active, True)
    resource.login_access = False
    await resource.save(using_db=change.conn, update_fields=["login_access"])
    await _end_sessions(change, resource)
    if released:
        change.org.used -= 1
        await _save_counts(change)
    change.tell(EventType.RESOURCE_ACCESS_CHANGED, resource, usesLicense=False)
    return released


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
    """R6: register a co-worker; with login access this is R4, confirmation step included.
    An increase the license policy stops registers no one and is a license request for the
    person instead (R16): approving it registers them, with login access."""
    account_rules.check_may_give(
        new.role,
        sets_password=new.password is not None,
        actor_role=actor.role,
        by_token=actor.by_token,
    )
    new = replace(
        new,
        name=account_rules.clean_name(new.name),
        email=account_rules.clean_email(new.email),
    )
    if new.password is not None:
        account_rules.check_password(new.password)
    async with seat_change(
        actor, idempotency=idempotency, expected_count=expected_count, now=now
    ) as change:
        outcome = change.replayed or await _requesting(
            change, lambda: _add_resource(change, new, accept_increase, maximum)
        )
    return _answer(outcome)


async def _add_resource(
    change: SeatChange, new: NewResource, accept_increase: bool, maximum: int
) -> ResourceAdded | LicenseIncreaseRequired:
    org, conn, email = change.org, change.conn, new.email
    if await Resource.filter(organization_id=org.id, email=email).using_db(conn).exists():
        raise EmailTaken(f"Someone in this organisation already uses {email}.", field="email")
    resource = Resource(
        organization_id=org.id,
        name=new.name,
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
            change, resource, accept_increase=accept_increase, maximum=maximum, new_person=True
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
        resource = await _resource_for_update(change, resource_id)
        return change.done(await _terminate(change, resource, last_work_day))


async def _terminate(
    change: SeatChange, resource: Resource, last_work_day: date
) -> Terminated | TerminationScheduled:
    """R7 for one locked person, alone or in a bulk change: now, or scheduled."""
    if not resource.active:
        raise ResourceInactive(f"{resource.name} is already terminated.", field="resourceId")
    rules.check_last_work_day(last_work_day, resource.start_date)
    await _check_keeps_an_admin(change, resource)
    if rules.takes_effect_now(last_work_day, change.today):
        row = await _terminate_now(change, resource, change.actor, last_work_day)
        return Terminated(resource=resource, seats=Seats.of(change.org), change=row)
    _schedule(resource, last_work_day, change.actor)
    await resource.save(using_db=change.conn, update_fields=SCHEDULED_BY)
    change.tell(EventType.TERMINATION_SCHEDULED, resource)
    return TerminationScheduled(resource=resource, seats=Seats.of(change.org))


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


# --- Provisioning by identity providers (R17) ----------------------------------------------


@dataclass(frozen=True)
class Provisioned:
    """A person as an identity provider states them, whole (SCIM create and replace): `access`
    is their login access (SCIM `active`); the external id and name parts are kept as sent."""

    name: str
    email: str
    access: bool
    kind: ResourceKind = ResourceKind.EMPLOYEE
    # Whether the identity provider stated the kind; kept, to be told back as it was sent.
    kind_stated: bool = False
    external_id: str | None = None
    display_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None


MAX_EXTERNAL_ID = 255


def _cleaned(person: Provisioned) -> Provisioned:
    """`person` with its name and address cleaned as R6 cleans them (BAD_USER_INPUT else),
    and the identity provider's names and external id checked the same way."""

    def optional(value: str | None, field: str, max_length: int = account_rules.MAX_NAME):
        if value is None:
            return None
        return account_rules.clean_name(value, field=field, max_length=max_length)

    return replace(
        person,
        name=account_rules.clean_name(person.name),
        email=account_rules.clean_email(person.email, field="userName"),
        external_id=optional(person.external_id, "externalId", MAX_EXTERNAL_ID),
        display_name=optional(person.display_name, "displayName"),
        given_name=optional(person.given_name, "name.givenName"),
        family_name=optional(person.family_name, "name.familyName"),
    )


def _identity_fields(resource: Resource, person: Provisioned) -> list[str]:
    """Set what the identity provider keeps on `resource`, by name; the fields changed."""
    stated = (person.kind is ResourceKind.EXTERNAL_CONSULTANT) if person.kind_stated else None
    changed = []
    if resource.stated_consultant != stated:
        resource.stated_consultant = stated
        changed.append("stated_consultant")
    if resource.external_id != person.external_id:
        resource.external_id = person.external_id
        changed.append("external_id")
    if resource.display_name != person.display_name:
        resource.display_name = person.display_name
        changed.append("display_name")
    if resource.given_name != person.given_name:
        resource.given_name = person.given_name
        changed.append("given_name")
    if resource.family_name != person.family_name:
        resource.family_name = person.family_name
        changed.append("family_name")
    return changed


async def _provision_access(
    change: SeatChange, resource: Resource, maximum: int, *, new_person: bool = False
) -> LicenseChange | None:
    """R17 with R4: a saved person gets login access, reactivated first if terminated (R7).
    When no license is free, the increase is an automatic one, which the license policy
    allows, or stops (R16: IncreaseStopped, and the transaction, reactivation and a new person
    included, is undone)."""
    if not resource.active:
        resource.active = True
        _schedule(resource, None, None)
        change.org.count_person(resource.kind, active=False, by=-1)
        change.org.count_person(resource.kind, active=True, by=1)
        await resource.save(using_db=change.conn, update_fields=["active", *SCHEDULED_BY])
    grant = await _increase_question(
        change, resource, accept_increase=True, maximum=maximum, new_person=new_person
    )
    assert isinstance(grant, rules.AccessGrant)
    return await _grant_access(change, resource, grant)


async def _provision_kind(
    change: SeatChange, resource: Resource, kind: ResourceKind, maximum: int
) -> LicenseChange | None:
    """R17 with R1: an employee becomes an external consultant or back. A consultant with
    login access who becomes an employee needs a license (R4, the increase as the license
    policy allows it, R16); an employee who becomes a consultant frees theirs (the count
    stays, as in R5)."""
    if resource.kind is kind:
        return None
    org = change.org
    org.count_person(resource.kind, active=resource.active, by=-1)
    org.count_person(kind, active=resource.active, by=1)
    was_using = rules.uses_license(resource.kind, resource.active, resource.login_access)
    resource.kind = kind
    await resource.save(using_db=change.conn, update_fields=["kind"])
    if was_using:
        org.used -= 1
        await _save_counts(change)
        return None
    if not rules.uses_license(kind, resource.active, resource.login_access):
        return None
    resource.login_access = False
    return await _provision_access(change, resource, maximum)


async def _deprovision_access(
    change: SeatChange, resource: Resource, *, deleted: bool = False
) -> LicenseChange | None:
    """R17: a deactivation does what the organisation chose: terminate today (R7, the default,
    the license off the count) or remove login access (R5, the license stays, free). Someone
    already terminated is left as they are, and so is someone without access, unless they are
    `deleted` and the organisation terminates: a deletion says the person left."""
    terminates = change.org.deactivation is Deactivation.TERMINATE
    if not (resource.active and (resource.login_access or (deleted and terminates))):
        return None
    await _check_keeps_an_admin(change, resource)
    if terminates:
        return await _terminate_now(change, resource, change.actor, change.today)
    await _remove_access(change, resource)
    return None


def _provisioned_access(resource: Resource) -> bool:
    return resource.active and resource.login_access


async def provision_new(
    actor: Actor,
    person: Provisioned,
    *,
    maximum: int,
    now: datetime | None = None,
) -> AccessChanged:
    """R17 and R6: an identity provider creates a person (a member, who signs in through it),
    with login access as R4 gives it when `person.access`. An address someone already uses is
    EMAIL_TAKEN, unless the identity provider deleted that person before: they come back, the
    same person with their history, as `person` states them now; or an administrator approved
    the identity provider's license request for them (R16): its retry takes them over. An
    increase the license policy stops creates no one and is a license request (R16:
    LICENSE_REQUEST_PENDING, or LICENSE_REQUEST_DECLINED while a decline stands)."""
    person = _cleaned(person)
    async with seat_change(actor, now=now) as change:
        outcome = await _requesting(
            change, lambda: _provision_new(change, person, maximum), savepoint=True
        )
    return _answer(outcome)


async def _provision_new(change: SeatChange, person: Provisioned, maximum: int) -> AccessChanged:
    email = person.email
    org, conn = change.org, change.conn
    existing = (
        await Resource.filter(organization_id=org.id, email=email)
        .select_for_update()
        .using_db(conn)
        .get_or_none()
    )
    if existing is not None and existing.deprovisioned_at is None:
        if await _claim_approved(change, existing):
            return await _provision(change, existing, person, maximum)
        raise EmailTaken(f"Someone in this organisation already uses {email}.", field="userName")
    if existing is not None:
        existing.deprovisioned_at = None
        await existing.save(using_db=conn, update_fields=["deprovisioned_at"])
        return await _provision(change, existing, person, maximum)
    resource = Resource(
        organization_id=org.id,
        name=person.name,
        email=email,
        kind=person.kind,
        role=Role.MEMBER,
        active=True,
        login_access=False,
        start_date=change.today,
    )
    _identity_fields(resource, person)
    await resource.save(using_db=conn)
    org.count_person(resource.kind, active=True, by=1)
    row = None
    if person.access:
        row = await _provision_access(change, resource, maximum, new_person=True)
    message = f"{resource.name} is added."
    return change.done(AccessChanged(resource, Seats.of(org), row, message))


async def _provision(
    change: SeatChange, resource: Resource, person: Provisioned, maximum: int
) -> AccessChanged:
    """Make a locked person what `person` states: name and address (R11's rule on addresses),
    the identity provider's fields, then login access (R4, R5 or R7, as R17 says)."""
    actor = change.actor
    assert actor is not None
    changed = await people.apply_identity(
        change.conn,
        resource,
        name=person.name,
        email=person.email,
        actor_role=actor.role,
        by_token=actor.by_token,
    )
    changed += _identity_fields(resource, person)
    if changed:
        await resource.save(using_db=change.conn, update_fields=changed)
    if not person.access:
        row = await _deprovision_access(change, resource)
        row = await _provision_kind(change, resource, person.kind, maximum) or row
    else:
        row = await _provision_kind(change, resource, person.kind, maximum)
        if not _provisioned_access(resource):
            row = await _provision_access(change, resource, maximum) or row
    message = f"{resource.name} is saved."
    return change.done(AccessChanged(resource, Seats.of(change.org), row, message))


async def provision(
    actor: Actor,
    resource_id: int,
    person: Provisioned,
    *,
    maximum: int,
    now: datetime | None = None,
) -> AccessChanged:
    """R17: an identity provider replaces what it states of a person (SCIM PUT, or PATCH once
    applied), in one transaction: a refusal (EMAIL_TAKEN, FORBIDDEN, LAST_ADMIN) changes
    nothing at all, and neither does an increase the license policy stops, which is a license
    request instead (R16). A person it deleted is NOT_FOUND to it. A deactivation sent twice
    changes the count once: the second finds nothing to do."""
    person = _cleaned(person)
    async with seat_change(actor, now=now) as change:
        outcome = await _requesting(
            change, lambda: _provision_one(change, resource_id, person, maximum), savepoint=True
        )
    return _answer(outcome)


async def _provision_one(
    change: SeatChange, resource_id: int, person: Provisioned, maximum: int
) -> AccessChanged:
    resource = await _resource_for_update(change, resource_id)
    if resource.deprovisioned_at is not None:
        raise NotFound("No resource with this id.", field="resourceId")
    return await _provision(change, resource, person, maximum)


async def deprovision(actor: Actor, resource_id: int, *, now: datetime | None = None) -> None:
    """R17: an identity provider deletes a person (SCIM DELETE). Nothing is erased: the
    deactivation the organisation chose applies (terminated today by default), and the person
    stays with their history, no longer seen by provisioning. Deleting them again is
    NOT_FOUND; deleting someone already deactivated only hides them."""
    async with seat_change(actor, now=now) as change:
        resource = await _resource_for_update(change, resource_id)
        if resource.deprovisioned_at is not None:
            raise NotFound("No resource with this id.", field="resourceId")
        await _deprovision_access(change, resource, deleted=True)
        resource.deprovisioned_at = change.now
        await resource.save(using_db=change.conn, update_fields=["deprovisioned_at"])
        change.announce()


# --- The license policy and license requests (R16) -----------------------------------------


def _answer(outcome: Outcome) -> Outcome:
    """The answer of a change, told once its transaction committed: a license request (R16),
    made or found, is a refusal (LICENSE_REQUEST_PENDING, or LICENSE_REQUEST_DECLINED)."""
    if not isinstance(outcome, LicenseRequested):
        return outcome
    if outcome.request.status == RequestStatus.DECLINED:
        raise LicenseRequestDeclined(outcome.message)
    raise LicenseRequestPending(outcome.message)


async def _requesting(
    change: SeatChange,
    body: Callable[[], Awaitable[Outcome]],
    *,
    savepoint: bool = False,
) -> Outcome | LicenseRequested:
    """Run `body`, the work of `change`; when the license policy stops its increase, the
    license request instead, in the same transaction with the organisation row still locked.
    Nothing of the body stays: it stops before writing anything, or, with `savepoint`, what
    it wrote (a new person, a reactivation) is undone back to the savepoint."""
    try:
        if not savepoint:
            return await body()
        async with change.attempt():
            return await body()
    except IncreaseStopped as stopped:
        return await _file_request(change, stopped)


def _requested_message(request: LicenseRequest, seats: Seats) -> str:
    if request.status == RequestStatus.DECLINED:
        return (
            f"All {seats.license_count} licenses are in use, and an administrator declined the "
            f"license request for {request.name} on {request.decided_at:%Y-%m-%d}: nothing "
            "changed, and no new request is made for now."
        )
    return (
        f"All {seats.license_count} licenses are in use and the license policy needs an "
        f"administrator for more: an administrator has been asked to approve a license for "
        f"{request.name} (request of {request.created_at:%Y-%m-%d %H:%M} UTC). Nothing changed; "
        "send this again once it is approved."
    )


async def _file_request(change: SeatChange, stopped: IncreaseStopped) -> LicenseRequested:
    """R16: the one pending license request for the person `stopped` names, made unless one
    is pending already or a decline of theirs still stands. With the organisation row locked,
    so that one person has at most one pending request, however many processes ask at once.
    Announced (the live subscription) when made."""
    actor = change.actor
    assert actor is not None
    org, conn = change.org, change.conn
    latest = (
        await LicenseRequest.filter(organization_id=org.id, email=stopped.email)
        .using_db(conn)
        .order_by("-id")
        .first()
    )
    stands = latest is not None and (
        latest.status == RequestStatus.PENDING
        or (
            latest.status == RequestStatus.DECLINED
            and latest.decided_at is not None
            and rules.declined_stands(latest.decided_at, org.policy_changed_at, change.now)
        )
    )
    if stands:
        assert latest is not None
        request, created = latest, False
    else:
        request = await LicenseRequest.create(
            organization_id=org.id,
            status=RequestStatus.PENDING,
            created_at=change.now,
            resource_id=stopped.resource_id,
            email=stopped.email,
            name=stopped.name,
            external_id=stopped.external_id,
            requested_by_id=actor.resource_id,
            requested_by_token_id=actor.token_id,
            requested_by_name=actor.name,
            using_db=conn,
        )
        created = True
        change.announce()
    outcome = LicenseRequested(request, created, _requested_message(request, Seats.of(org)))
    # Kept under the key (R13) like a change; announced above only when a request is made.
    change.outcome = outcome
    return outcome


async def _claim_approved(change: SeatChange, person: Resource) -> bool:
    """R16 with R17: `person` was registered by an administrator approving the license request
    an identity provider made when it asked to create them. Its retry of the creation takes
    them over (once) instead of finding the address taken."""
    actor = change.actor
    if actor is None or actor.token_id is None:
        return False
    claimed = await (
        LicenseRequest.filter(
            organization_id=change.org.id,
            resource_id=person.id,
            status=RequestStatus.APPROVED,
            requested_by_token_id=actor.token_id,
            fulfilled_at=None,
        )
        .using_db(change.conn)
        .update(fulfilled_at=change.now)
    )
    return claimed > 0


def _check_administrator(actor: Actor) -> None:
    if not _by_administrator(actor):
        raise Forbidden(
            "License requests and the license policy are for administrators signed in as a person."
        )


async def _pending_request(change: SeatChange, request_id: int) -> LicenseRequest:
    request = (
        await LicenseRequest.filter(id=request_id, organization_id=change.org.id)
        .select_for_update()
        .using_db(change.conn)
        .get_or_none()
    )
    if request is None:
        raise NotFound("No license request with this id.", field="id")
    if request.status != RequestStatus.PENDING:
        decided = "approved" if request.status == RequestStatus.APPROVED else "declined"
        by = f" by {request.decided_by_name}" if request.decided_by_name else ""
        raise InvalidInput(
            f"This license request was already {decided}{by}: nothing changed.", field="id"
        )
    return request


async def _person_of(change: SeatChange, request: LicenseRequest) -> tuple[Resource, bool]:
    """The person a request is for, locked; registered now (as a member and an employee, as an
    identity provider or a resource manager would have) when they are not yet. True: new."""
    conn, org = change.conn, change.org
    if request.resource_id is not None:
        return await _resource_for_update(change, request.resource_id), False
    existing = (
        await Resource.filter(organization_id=org.id, email=request.email)
        .select_for_update()
        .using_db(conn)
        .get_or_none()
    )
    if existing is not None:
        return existing, False
    resource = Resource(
        organization_id=org.id,
        name=request.name,
        email=request.email,
        kind=ResourceKind.EMPLOYEE,
        role=Role.MEMBER,
        active=True,
        login_access=False,
        start_date=change.today,
        external_id=request.external_id,
    )
    await resource.save(using_db=conn)
    org.count_person(resource.kind, active=True, by=1)
    return resource, True


async def approve_license_request(
    actor: Actor,
    request_id: int,
    *,
    maximum: int,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
) -> LicenseRequestDecided:
    """R16: an administrator approves a pending license request: the person gets login access
    (registered first if they were not, reactivated if terminated), with the increase that
    takes (reason AUTO_INCREASE, the administrator named), all in one transaction (R2, R4,
    R8). The administrator confirms the increase themself: allowed up to the caps, never past
    them (LICENSE_LIMIT_REACHED: raise the cap first). A request no longer pending is refused."""
    _check_administrator(actor)
    async with seat_change(actor, idempotency=idempotency, now=now) as change:
        if change.replayed is not None:
            return change.replayed
        org = change.org
        request = await _pending_request(change, request_id)
        resource, new_person = await _person_of(change, request)
        row = None
        if not (resource.active and resource.login_access):
            if not resource.active:
                resource.active = True
                resource.login_access = False
                _schedule(resource, None, None)
                org.count_person(resource.kind, active=False, by=-1)
                org.count_person(resource.kind, active=True, by=1)
                await resource.save(
                    using_db=change.conn, update_fields=["active", "login_access", *SCHEDULED_BY]
                )
            grant = await _increase_question(
                change, resource, accept_increase=True, maximum=maximum
            )
            assert isinstance(grant, rules.AccessGrant)
            row = await _grant_access(change, resource, grant)
        request.status = RequestStatus.APPROVED
        request.resource_id = resource.id
        request.decided_at = change.now
        request.decided_by_id = actor.resource_id
        request.decided_by_name = actor.name
        # A person registered here waits for the identity provider's retry to take them over.
        waits = new_person and request.requested_by_token_id is not None
        request.fulfilled_at = None if waits else change.now
        await request.save(
            using_db=change.conn,
            update_fields=[
                "status",
                "resource_id",
                "decided_at",
                "decided_by_id",
                "decided_by_name",
                "fulfilled_at",
            ],
        )
        message = f"Approved: {resource.name} can now sign in."
        return change.done(LicenseRequestDecided(request, Seats.of(org), row, message))


async def decline_license_request(
    actor: Actor,
    request_id: int,
    *,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
) -> LicenseRequestDecided:
    """R16: an administrator declines a pending license request: nothing else changes. The
    same person asked for again is refused without a new request while the decline stands
    (rules.DECLINED_STANDS, and until the policy is saved again)."""
    _check_administrator(actor)
    async with seat_change(actor, idempotency=idempotency, now=now) as change:
        if change.replayed is not None:
            return change.replayed
        request = await _pending_request(change, request_id)
        request.status = RequestStatus.DECLINED
        request.decided_at = change.now
        request.decided_by_id = actor.resource_id
        request.decided_by_name = actor.name
        await request.save(
            using_db=change.conn,
            update_fields=["status", "decided_at", "decided_by_id", "decided_by_name"],
        )
        message = f"Declined: {request.name} gets no license."
        return change.done(LicenseRequestDecided(request, Seats.of(change.org), None, message))


async def set_license_policy(
    actor: Actor,
    mode: LicensePolicy,
    max_count: int | None,
    max_monthly_amount: int | None,
    *,
    maximum: int,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
) -> PolicySet:
    """R16: an administrator signed in as a person chooses how an increase may happen without
    a person confirming it, and the caps. Saving it ends the declines that stood."""
    _check_administrator(actor)
    rules.check_policy(mode, max_count, max_monthly_amount, maximum)
    async with seat_change(actor, idempotency=idempotency, now=now) as change:
        if change.replayed is not None:
            return change.replayed
        org = change.org
        org.license_policy = mode
        org.max_license_count = max_count
        org.max_monthly_amount = max_monthly_amount
        org.policy_changed_at = change.now
        await org.save(
            using_db=change.conn,
            update_fields=[
                "license_policy",
                "max_license_count",
                "max_monthly_amount",
                "policy_changed_at",
            ],
        )
        return change.done(PolicySet(org))


async def license_requests(
    organization_id: int, status: RequestStatus | None, *, limit: int = 100
) -> list[LicenseRequest]:
    """R16: the organisation's license requests, newest first (pending ones by default)."""
    query = LicenseRequest.filter(organization_id=organization_id)
    if status is not None:
        query = query.filter(status=status)
    return await query.order_by("-id").limit(limit)


@dataclass(frozen=True)
class ApprovalCost:
    """R16 with R9: what approving one pending request adds, as things stand: nothing when a
    license is free, else one license (the monthly amount grows by the price) and its cost on
    the next invoice (prorated, and in all)."""

    adds_licenses: int
    monthly_amount: int
    prorated_cost: int
    adds_to_next_invoice: int
    currency: str


async def approval_cost(organization_id: int, now: datetime | None = None) -> ApprovalCost:
    org = await Organization.get(id=organization_id)
    plan = await billing.current_plan(org.id)
    if org.used < org.license_count:
        return ApprovalCost(0, 0, 0, 0, plan.currency)
    today = local_day(now or utcnow(), org.time_zone)
    current = org.license_count
    prorated, total, currency = await billing.increase_cost(org, current, current + 1, today)
    return ApprovalCost(1, plan.price_per_license, prorated, total, currency)


async def provisioning_events(organization_id: int, *, limit: int = 10) -> list[LicenseChange]:
    """R17 with R8: the latest history rows identity providers caused (their token has the
    scope scim), newest first: when, who, what it did to the count."""
    rows = (
        await LicenseChange.filter(
            organization_id=organization_id, actor_token__scopes__contains="scim"
        )
        .order_by("-id")
        .limit(limit)
    )
    return list(rows)


@dataclass(frozen=True)
class PolicyView:
    """R16: an organisation's license policy, with what its licenses cost a month now (count ×
    the plan's price) to set a cap on the monthly amount against."""

    policy: rules.Policy
    changed_at: datetime | None
    monthly_amount: int
    currency: str


async def license_policy(organization_id: int) -> PolicyView:
    org = await Organization.get_or_none(id=organization_id)
    if org is None:
        raise NotFound("The organisation does not exist.")
    plan = await billing.current_plan(org.id)
    return PolicyView(
        rules.Policy.of(org),
        org.policy_changed_at,
        org.license_count * plan.price_per_license,
        plan.currency,
    )
