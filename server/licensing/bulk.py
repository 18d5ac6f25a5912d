"""Bulk changes (issue 15): one action — give login access, remove it, or terminate — on many
people at once, as one change.

A bulk change is one `seat_change`: one transaction with the organisation row locked, one
idempotency key for the batch (R13), the count the caller expects checked once. Each person's
part is the single change's own code (`_grant_access`, `_remove_access`, `_terminate`), so every
history row the rules ask for is written per person (R4, R7, R8), and every webhook event too.

A person the action does not apply to — already so, terminated, the last administrator, a
last work day before their start — is skipped and says why; the rest of the batch goes on.
Such refusals are raised before the person's part writes anything, so skipping needs no
savepoint. What concerns the whole batch — an id of no person of the organisation, a cap of
the license policy, the maximum count — refuses it all.

The preview runs the very same change and rolls it back: what it shows is what confirming
does, as long as nothing else changes in between (the caller sends the count it saw).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from server.accounts.models import Resource
from server.billing import services as billing
from server.billing.proration import format_amount
from server.errors import (
    Forbidden,
    InvalidInput,
    LastAdministrator,
    LicenseLimitReached,
    NotFound,
    ResourceInactive,
)
from server.idempotency import Idempotency
from server.licensing import rules
from server.licensing.history import record_change
from server.licensing.models import ChangeReason, LicenseChange
from server.licensing.outcomes import (
    Actor,
    BulkChanged,
    BulkPreview,
    LicenseIncreaseRequired,
    PersonChanged,
    Seats,
    Terminated,
)
from server.licensing.services import (
    SeatChange,
    _check_keeps_an_admin,
    _grant_access,
    _judge,
    _remove_access,
    _save_counts,
    _terminate,
    seat_change,
)
from server.text import plural

# The most people one bulk change takes: its transaction holds the organisation's lock, and
# every other change of the organisation waits for it.
MAX_PEOPLE = 1000

# Refusals of one person that skip them instead of refusing the batch.
SKIPPING = (ResourceInactive, LastAdministrator, InvalidInput)


class BulkAction(enum.Enum):
    GIVE_ACCESS = "GIVE_ACCESS"
    REMOVE_ACCESS = "REMOVE_ACCESS"
    TERMINATE = "TERMINATE"


@dataclass(frozen=True)
class BulkRequest:
    """What to do, to whom. `reduce_count`: with REMOVE_ACCESS, take the licenses it frees off
    the count in the same step (R3). `last_work_day`: with TERMINATE (R7)."""

    action: BulkAction
    resource_ids: tuple[int, ...]
    last_work_day: date | None = None
    reduce_count: bool = False
    accept_increase: bool = False

    @classmethod
    def of(
        cls,
        action: BulkAction,
        resource_ids: Sequence[int],
        *,
        last_work_day: date | None = None,
        reduce_count: bool = False,
        accept_increase: bool = False,
    ) -> BulkRequest:
        """The request, checked: 1 to MAX_PEOPLE people (an id given twice counts once)."""
        unique = tuple(dict.fromkeys(resource_ids))
        if not unique:
            raise InvalidInput("Choose at least one person.", field="resourceIds")
        if len(unique) > MAX_PEOPLE:
            raise InvalidInput(
                f"A bulk change takes at most {MAX_PEOPLE:,} people; {len(unique):,} were given.",
                field="resourceIds",
            )
        if action is BulkAction.TERMINATE and last_work_day is None:
            raise InvalidInput("Terminating needs the last work day.", field="lastWorkDay")
        if reduce_count and action is not BulkAction.REMOVE_ACCESS:
            raise InvalidInput(
                "Only removing login access frees licenses to take off the count.",
                field="reduceLicenseCount",
            )
        return cls(action, unique, last_work_day, reduce_count, accept_increase)

    def idempotency(self, key: str | None, operation: str) -> Idempotency | None:
        return Idempotency.of(
            key,
            operation,
            action=self.action,
            resources=list(self.resource_ids),
            last_work_day=self.last_work_day,
            reduce=self.reduce_count,
            accept=self.accept_increase,
        )


@dataclass
class _Applied:
    """A bulk change made inside its transaction, not yet committed."""

    people: list[PersonChanged]
    changes: list[LicenseChange]
    count_before: int
    used_before: int


class _Undo(Exception):
    """Leaves the change's transaction, rolling everything back, with the answer to give."""

    def __init__(self, answer: object) -> None:
        super().__init__("bulk change undone")
        self.answer = answer


async def _people(change: SeatChange, ids: tuple[int, ...]) -> list[Resource]:
    """The people, locked (in id order, as every change locks them), in the order asked. An
    id of no person of the organisation refuses the batch, as it would a single change (R12)."""
    found = {
        person.id: person
        for person in await Resource.filter(id__in=ids, organization_id=change.org.id)
        .order_by("id")
        .select_for_update()
        .using_db(change.conn)
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(
            f"{plural(len(missing), 'id names', 'ids name')} no person of this organisation.",
            field="resourceIds",
        )
    return [found[i] for i in ids]


async def _give(change: SeatChange, person: Resource, maximum: int) -> PersonChanged:
    if person.login_access:
        return PersonChanged(person, False, "UNCHANGED", f"{person.name} can already sign in.")
    if not person.active:
        raise ResourceInactive(
            f"{person.name} is terminated: reactivate them before giving login access."
        )
    org = change.org
    grant = rules.plan_access_grant(person.kind, org.license_count, org.used, maximum)
    row = await _grant_access(change, person, grant)
    return PersonChanged(person, True, None, f"{person.name} can now sign in.", row)


async def _remove(change: SeatChange, person: Resource) -> PersonChanged:
    if not person.login_access:
        return PersonChanged(person, False, "UNCHANGED", f"{person.name} already cannot sign in.")
    await _check_keeps_an_admin(change, person)
    await _remove_access(change, person)
    return PersonChanged(person, True, None, f"{person.name} can no longer sign in.")


async def _end(change: SeatChange, person: Resource, last_work_day: date) -> PersonChanged:
    outcome = await _terminate(change, person, last_work_day)
    if isinstance(outcome, Terminated):
        return PersonChanged(person, True, None, f"{person.name} is terminated.", outcome.change)
    return PersonChanged(
        person, True, None, f"{person.name} leaves at the end of {last_work_day.isoformat()}."
    )


async def _apply(change: SeatChange, request: BulkRequest, maximum: int) -> _Applied:
    """Every person's part, in the order asked, then the reduction asked for (R3)."""
    org = change.org
    applied = _Applied([], [], org.license_count, org.used)
    for person in await _people(change, request.resource_ids):
        try:
            if request.action is BulkAction.GIVE_ACCESS:
                done = await _give(change, person, maximum)
            elif request.action is BulkAction.REMOVE_ACCESS:
                done = await _remove(change, person)
            else:
                assert request.last_work_day is not None
                done = await _end(change, person, request.last_work_day)
        except SKIPPING as refused:
            done = PersonChanged(person, False, refused.code, refused.message)
        applied.people.append(done)
        if done.change is not None:
            applied.changes.append(done.change)
    freed = applied.used_before - org.used
    if request.reduce_count and freed > 0:
        row = await record_change(
            change.conn,
            org,
            org.license_count - freed,
            ChangeReason.MANUAL,
            change.actor,
            now=change.now,
            effective_on=change.today,
        )
        await _save_counts(change)
        applied.changes.append(row)
    return applied


def _message(request: BulkRequest, applied: _Applied, seats: Seats, today: date) -> str:
    """What the batch did (or, previewed, would do), ready to show."""
    changed = sum(person.changed for person in applied.people)
    skipped = len(applied.people) - changed
    people = plural(changed, "person", "people")
    if request.action is BulkAction.GIVE_ACCESS:
        text = f"Login access given to {people}."
    elif request.action is BulkAction.REMOVE_ACCESS:
        text = f"Login access removed for {people}."
    elif request.last_work_day and rules.takes_effect_now(request.last_work_day, today):
        text = f"{people} terminated."
    else:
        text = f"{people} leave at the end of {request.last_work_day}."
    freed = applied.used_before - seats.used
    if freed > 0:
        text += f" {plural(freed, 'license', 'licenses')} no longer in use."
    if seats.license_count != applied.count_before:
        text += f" The license count goes from {applied.count_before:,} to {seats.license_count:,}."
    if skipped:
        text += f" {plural(skipped, 'person was', 'people were')} skipped."
    return text


async def _increase(
    change: SeatChange, applied: _Applied, accepted: bool
) -> LicenseIncreaseRequired | None:
    """R4 and R16 for the batch as a whole: the increase it took, asked about once. None when
    the batch may keep it; the question when it is not accepted yet; refused past a cap, and
    when the policy would make each increase a license request (those are asked one by one)."""
    org = change.org
    current, new = applied.count_before, org.license_count
    if new <= current:
        return None
    verdict, amount_text = await _judge(change, new)
    if verdict is rules.Verdict.OVER_CAP:
        raise LicenseLimitReached(
            rules.cap_message(rules.Policy.of(org), new, amount_text), currentCount=current
        )
    needs_approval = verdict is rules.Verdict.REQUEST
    if accepted and needs_approval:
        raise Forbidden(
            "The license policy lets only an administrator add licenses: give access one "
            "person at a time to ask one."
        )
    if accepted:
        return None
    prorated, total, currency = await billing.increase_cost(
        org, current, new, change.today, change.conn
    )
    added = new - current
    message = (
        f"{plural(added, 'more license is', 'more licenses are')} needed: giving login access "
        f"raises the license count from {current:,} to {new:,}. The next invoice grows by "
        f"{format_amount(total, currency)}; confirm to go ahead."
    )
    if needs_approval:
        message += " The license policy needs an administrator to add them."
    return LicenseIncreaseRequired(
        current_count=current,
        new_count=new,
        message=message,
        prorated_cost=prorated,
        adds_to_next_invoice=total,
        currency=currency,
        needs_approval=needs_approval,
    )


async def bulk_change(
    actor: Actor,
    request: BulkRequest,
    *,
    maximum: int,
    now: datetime | None = None,
    idempotency: Idempotency | None = None,
    expected_count: int | None = None,
) -> BulkChanged | LicenseIncreaseRequired:
    """Make the bulk change, or, when it needs more licenses than accepted, ask (nothing kept)."""
    try:
        async with seat_change(
            actor, idempotency=idempotency, expected_count=expected_count, now=now
        ) as change:
            if change.replayed is not None:
                return change.replayed
            applied = await _apply(change, request, maximum)
            question = await _increase(change, applied, request.accept_increase)
            if question is not None:
                raise _Undo(question)
            seats = Seats.of(change.org)
            message = _message(request, applied, seats, change.today)
            return change.done(BulkChanged(applied.people, seats, applied.changes, message))
    except _Undo as undone:
        return undone.answer  # type: ignore[return-value]


async def preview_bulk_change(
    actor: Actor, request: BulkRequest, *, maximum: int, now: datetime | None = None
) -> BulkPreview:
    """What `bulk_change` would do now, person by person, with its effect on the count and the
    next invoice: the change is made and rolled back."""
    try:
        async with seat_change(actor, now=now) as change:
            org = change.org
            before = await billing.draft_next_invoice(org, change.conn)
            applied = await _apply(change, request, maximum)
            question = await _increase(change, applied, accepted=False)
            after = await billing.draft_next_invoice(org, change.conn)
            seats = Seats.of(org)
            raise _Undo(
                BulkPreview(
                    people=applied.people,
                    current_count=applied.count_before,
                    new_count=org.license_count,
                    used_before=applied.used_before,
                    used_after=org.used,
                    licenses_freed=max(0, applied.used_before - org.used),
                    next_invoice_change=after.total - before.total,
                    currency=after.currency,
                    needs_increase=question is not None,
                    needs_approval=question is not None and question.needs_approval,
                    message=_message(request, applied, seats, change.today),
                )
            )
    except _Undo as undone:
        return undone.answer  # type: ignore[return-value]
    raise AssertionError("a preview always rolls back")
