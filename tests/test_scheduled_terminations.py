"""R7: a future last work day schedules the termination for the end of that day, in the
organisation's time zone, to take effect exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server.accounts import tokens
from server.accounts.models import Resource, Role, Scope
from server.accounts.services import login, viewer_for_session
from server.errors import InvalidInput, LastAdministrator
from server.jobs import run_due
from server.licensing import services
from server.licensing.models import ChangeReason, LicenseChange
from tests.factories import PASSWORD, assert_invariants, make_org
from tests.servers import run_cli_at_once

MONDAY = datetime(2026, 6, 1, 10, tzinfo=UTC)
# In Stockholm (UTC+2 in June) the 5th ends at 22:00 UTC.
END_OF_FRIDAY = datetime(2026, 6, 5, 22, 0, tzinfo=UTC)


@pytest.fixture
async def scheduled(db):
    org = await make_org(time_zone="Europe/Stockholm", license_count=3, now=MONDAY)
    person = await org.add(start_date=date(2025, 1, 1), password=PASSWORD, now=MONDAY)
    outcome = await services.terminate(org.actor, person.id, date(2026, 6, 5), now=MONDAY)
    return org, person, outcome


async def test_r7_a_future_last_work_day_changes_nothing_yet(scheduled):
    org, person, outcome = scheduled
    assert isinstance(outcome, services.TerminationScheduled)
    stored = await Resource.get(id=person.id)
    assert stored.active and stored.login_access
    assert stored.last_work_day == date(2026, 6, 5)
    assert stored.termination_scheduled_by_id == org.admin.id
    assert (outcome.seats.license_count, outcome.seats.used) == (3, 2)
    assert await LicenseChange.filter(reason=ChangeReason.TERMINATION).count() == 0


async def test_r7_the_person_works_and_signs_in_until_the_end_of_the_day(scheduled):
    org, person, _ = scheduled
    last_minute = datetime(2026, 6, 5, 21, 59, tzinfo=UTC)  # 23:59 in Stockholm
    assert await run_due(last_minute) == 0
    token = (await login(person.email, PASSWORD, session_hours=1000)).token
    assert await viewer_for_session(token, now=last_minute) is not None

    assert await run_due(END_OF_FRIDAY) == 1

    stored = await Resource.get(id=person.id)
    assert not stored.active and not stored.login_access
    assert await viewer_for_session(token, now=END_OF_FRIDAY) is None
    change = await LicenseChange.get(reason=ChangeReason.TERMINATION)
    assert (change.from_count, change.to_count) == (3, 2)
    assert change.effective_on == date(2026, 6, 6)
    assert change.actor_id == org.admin.id  # who scheduled it
    assert change.resource_id == person.id
    await assert_invariants(org.id)


async def test_r7_running_the_job_again_applies_nothing_more(scheduled):
    org, _, _ = scheduled
    assert await run_due(END_OF_FRIDAY) == 1
    assert await run_due(END_OF_FRIDAY) == 0
    assert await run_due(datetime(2026, 7, 1, tzinfo=UTC)) == 0
    assert await LicenseChange.filter(reason=ChangeReason.TERMINATION).count() == 1
    await assert_invariants(org.id)


async def test_r7_a_scheduled_termination_can_be_cancelled(scheduled):
    org, person, _ = scheduled
    cancelled = await services.cancel_termination(org.actor, person.id)
    assert cancelled.resource.last_work_day is None
    assert await run_due(END_OF_FRIDAY) == 0
    assert (await Resource.get(id=person.id)).active
    with pytest.raises(InvalidInput):
        await services.cancel_termination(org.actor, person.id)


async def test_r7_a_scheduled_date_can_be_moved(scheduled):
    org, person, _ = scheduled
    await services.terminate(org.actor, person.id, date(2026, 6, 12), now=MONDAY)
    assert await run_due(END_OF_FRIDAY) == 0
    assert await run_due(datetime(2026, 6, 12, 22, 0, tzinfo=UTC)) == 1


async def test_r7_the_last_administrator_cannot_be_scheduled_to_leave(db):
    org = await make_org(now=MONDAY)
    with pytest.raises(LastAdministrator):
        await services.terminate(org.actor, org.admin.id, date(2026, 6, 30), now=MONDAY)


async def test_r7_a_termination_due_when_its_person_is_the_last_admin_waits(db):
    org = await make_org(now=MONDAY, license_count=2)
    other = await org.add(role=Role.ADMIN, now=MONDAY)
    await services.terminate(org.actor, other.id, date(2026, 6, 5), now=MONDAY)
    # The first administrator leaves now; the scheduled one is then the last.
    await services.terminate(
        services.Actor(org.id, other.id, other.name, Role.ADMIN),
        org.admin.id,
        date(2026, 6, 1),
        now=MONDAY,
    )
    after_friday = datetime(2026, 6, 6, 0, 1, tzinfo=UTC)
    assert await run_due(after_friday) == 0
    assert (await Resource.get(id=other.id)).active
    await assert_invariants(org.id)
    # Once someone else can administer, it takes effect.
    third = await org.add(role=Role.ADMIN, now=MONDAY)
    assert third.login_access
    assert await run_due(after_friday) == 1


@pytest.mark.postgres_only
async def test_r7_run_due_in_several_processes_applies_each_termination_once(orm, db):
    org = await make_org(time_zone="Europe/Stockholm", license_count=12, now=MONDAY)
    people = [await org.add(start_date=date(2025, 1, 1), now=MONDAY) for _ in range(10)]
    for person in people:
        await services.terminate(org.actor, person.id, date(2026, 6, 5), now=MONDAY)

    outputs = await run_cli_at_once(orm, 4, "run-due", "--at", END_OF_FRIDAY.isoformat())
    applied = sum(int(out.split()[0]) for out in outputs)
    assert applied == 10
    assert await LicenseChange.filter(reason=ChangeReason.TERMINATION).count() == 10
    assert await Resource.filter(id__in=[p.id for p in people], active=True).count() == 0
    await assert_invariants(org.id)


async def test_issue_10_item_12_r8_a_termination_scheduled_with_a_token_names_the_token(db):
    """Scheduled with an API token, applied later by the job: the history row of the
    termination names the token (as changes made with a token are named), not "System"."""
    org = await make_org(time_zone="Europe/Stockholm", license_count=3, now=MONDAY)
    person = await org.add(start_date=date(2025, 1, 1), now=MONDAY)
    _, token = await tokens.create_api_token(
        org.id, "HR sync", [Scope.SEATS_WRITE], created_by_id=org.admin.id, now=MONDAY
    )
    actor = services.Actor.token(token)
    outcome = await services.terminate(actor, person.id, date(2026, 6, 5), now=MONDAY)
    assert isinstance(outcome, services.TerminationScheduled)
    stored = await Resource.get(id=person.id)
    assert stored.termination_scheduled_by_token_id == token.id
    assert stored.termination_scheduled_by_id is None

    assert await run_due(END_OF_FRIDAY) == 1

    change = await LicenseChange.get(reason=ChangeReason.TERMINATION)
    assert change.actor_name == "API token “HR sync”"
    assert change.actor_token_id == token.id
    assert change.actor_id is None
    stored = await Resource.get(id=person.id)
    assert stored.termination_scheduled_by_token_id is None
    await assert_invariants(org.id)


async def test_issue_10_item_12_cancelling_forgets_the_token_that_scheduled(db):
    org = await make_org(license_count=3, now=MONDAY)
    person = await org.add(start_date=date(2025, 1, 1), now=MONDAY)
    _, token = await tokens.create_api_token(
        org.id, "HR sync", [Scope.SEATS_WRITE], created_by_id=org.admin.id, now=MONDAY
    )
    await services.terminate(services.Actor.token(token), person.id, date(2026, 6, 5), now=MONDAY)
    await services.cancel_termination(org.actor, person.id)
    stored = await Resource.get(id=person.id)
    assert stored.last_work_day is None
    assert stored.termination_scheduled_by_token_id is None
