"""The license rules through the domain services, on the database of the run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from server.accounts.models import Organization, Resource, ResourceKind, Role, Session
from server.accounts.services import login, viewer_for_session
from server.billing.services import issue_due_invoices
from server.errors import (
    EmailTaken,
    InvalidInput,
    LastAdministrator,
    LicenseLimitReached,
    NotFound,
    ResourceAlreadyActive,
    ResourceInactive,
)
from server.licensing import services
from server.licensing.history import history_page, history_rows
from server.licensing.models import ChangeReason, LicenseChange
from tests.factories import MAXIMUM, PASSWORD, actor_for, assert_invariants, live_used, make_org


async def history(org_id: int) -> list[LicenseChange]:
    return await LicenseChange.filter(organization_id=org_id).order_by("id")


async def test_r1_used_counts_active_employees_with_login_access_only(db):
    org = await make_org(license_count=10)
    await org.add(access=True)
    await org.add(access=False)
    await org.add(kind=ResourceKind.EXTERNAL_CONSULTANT, access=True)
    leaver = await org.add(access=True)
    await services.terminate(org.actor, leaver.id, date.today())

    seats = await services.get_seats(org.id)
    assert seats.used == 2  # the admin and one employee
    assert seats.used == await live_used(org.id)
    assert seats.license_count == 9  # the leaver's license went with them (R7)
    assert seats.available == 7
    assert seats.reducible_by == 7


async def test_r3_sets_the_count_and_writes_one_manual_history_row(db):
    org = await make_org()
    outcome = await services.set_license_count(org.actor, 5, maximum=MAXIMUM)
    assert isinstance(outcome, services.LicenseCountSet)
    assert outcome.seats.license_count == 5
    rows = await history(org.id)
    assert [(r.from_count, r.to_count, r.reason) for r in rows] == [
        (0, 1, ChangeReason.INITIAL),
        (1, 5, ChangeReason.MANUAL),
    ]
    assert rows[-1].actor_id == org.admin.id
    assert rows[-1].actor_name == org.admin.name
    assert rows[-1].id == outcome.change.id
    await assert_invariants(org.id)


async def test_r3_the_same_count_changes_nothing_and_writes_no_history(db):
    org = await make_org(license_count=3)
    before = len(await history(org.id))
    outcome = await services.set_license_count(org.actor, 3, maximum=MAXIMUM)
    assert isinstance(outcome, services.LicenseCountSet)
    assert outcome.change is None
    assert len(await history(org.id)) == before


async def test_r3_refuses_a_count_below_usage_and_says_how_many_are_used(db):
    org = await make_org(license_count=3)
    await org.add()
    await org.add()
    outcome = await services.set_license_count(org.actor, 2, maximum=MAXIMUM)
    assert isinstance(outcome, services.LicenseBelowUsage)
    assert (outcome.used, outcome.requested) == (3, 2)
    assert "3 licenses are in use" in outcome.message
    assert "login access" in outcome.message
    assert (await org.refresh()).license_count == 3
    await assert_invariants(org.id)


@pytest.mark.parametrize("count", [-1, MAXIMUM + 1])
async def test_r3_refuses_counts_outside_zero_to_the_maximum(db, count):
    org = await make_org()
    with pytest.raises(InvalidInput):
        await services.set_license_count(org.actor, count, maximum=MAXIMUM)
    assert (await org.refresh()).license_count == 1


async def test_r3_allows_zero_when_nobody_uses_a_license(db):
    org = await make_org(license_count=2)
    consultant = await org.add(kind=ResourceKind.EXTERNAL_CONSULTANT, role=Role.ADMIN)
    # The employee admin gives way to a consultant admin, who uses no license.
    await services.toggle_access(actor_for(consultant), org.admin.id, False, maximum=MAXIMUM)
    outcome = await services.set_license_count(actor_for(consultant), 0, maximum=MAXIMUM)
    assert isinstance(outcome, services.LicenseCountSet)
    assert outcome.seats.license_count == 0
    await assert_invariants(org.id)


async def test_r4_uses_a_free_license_without_changing_the_count(db):
    org = await make_org(license_count=2)
    person = await org.add(access=False)
    outcome = await services.toggle_access(org.actor, person.id, True, maximum=MAXIMUM)
    assert isinstance(outcome, services.AccessChanged)
    assert outcome.change is None
    assert (outcome.seats.license_count, outcome.seats.used) == (2, 2)
    await assert_invariants(org.id)


async def test_r4_auto_increase_needs_acceptance_and_changes_nothing_before(db):
    org = await make_org()
    person = await org.add(access=False)
    rows_before = len(await history(org.id))

    outcome = await services.toggle_access(org.actor, person.id, True, maximum=MAXIMUM)

    assert isinstance(outcome, services.LicenseIncreaseRequired)
    assert (outcome.current_count, outcome.new_count) == (1, 2)
    assert "from 1 to 2" in outcome.message
    assert not (await Resource.get(id=person.id)).login_access
    assert (await org.refresh()).license_count == 1
    assert len(await history(org.id)) == rows_before


async def test_r4_accepted_auto_increase_commits_the_increase_and_the_access_together(db):
    org = await make_org()
    person = await org.add(access=False)
    outcome = await services.toggle_access(
        org.actor, person.id, True, accept_increase=True, maximum=MAXIMUM
    )
    assert isinstance(outcome, services.AccessChanged)
    assert (outcome.seats.license_count, outcome.seats.used) == (2, 2)
    change = outcome.change
    assert (change.from_count, change.to_count, change.reason) == (1, 2, ChangeReason.AUTO_INCREASE)
    assert change.resource_id == person.id
    assert (await Resource.get(id=person.id)).login_access
    await assert_invariants(org.id)


async def test_r4_an_external_consultant_gets_access_without_a_license(db):
    org = await make_org()
    consultant = await org.add(kind=ResourceKind.EXTERNAL_CONSULTANT, access=False)
    outcome = await services.toggle_access(org.actor, consultant.id, True, maximum=MAXIMUM)
    assert isinstance(outcome, services.AccessChanged)
    assert (outcome.seats.license_count, outcome.seats.used) == (1, 1)
    assert outcome.resource.login_access


async def test_r4_refuses_access_for_an_inactive_resource(db):
    org = await make_org(license_count=3)
    person = await org.add(access=False)
    await services.terminate(org.actor, person.id, date.today())
    with pytest.raises(ResourceInactive):
        await services.toggle_access(
            org.actor, person.id, True, accept_increase=True, maximum=MAXIMUM
        )


async def test_r4_the_auto_increase_stops_at_the_configured_maximum(db):
    org = await make_org()
    person = await org.add(access=False)
    with pytest.raises(LicenseLimitReached):
        await services.toggle_access(org.actor, person.id, True, accept_increase=True, maximum=1)
    await assert_invariants(org.id)


async def test_r5_removing_access_frees_a_license_and_ends_sessions(db):
    org = await make_org(license_count=2)
    person = await org.add(password=PASSWORD)
    token = (await login(person.email, PASSWORD, session_hours=1)).token
    assert await viewer_for_session(token) is not None

    outcome = await services.toggle_access(org.actor, person.id, False, maximum=MAXIMUM)

    assert isinstance(outcome, services.AccessChanged)
    assert (outcome.seats.license_count, outcome.seats.used) == (2, 1)
    assert "can be reduced by 1" in outcome.message
    assert await viewer_for_session(token) is None
    assert not await Session.filter(resource_id=person.id).exists()
    assert len(await history(org.id)) == 2  # the count itself did not change
    await assert_invariants(org.id)


async def test_r5_the_last_administrator_cannot_lose_access(db):
    org = await make_org(license_count=2)
    with pytest.raises(LastAdministrator):
        await services.toggle_access(org.actor, org.admin.id, False, maximum=MAXIMUM)
    second = await org.add(role=Role.ADMIN)
    outcome = await services.toggle_access(actor_for(second), org.admin.id, False, maximum=MAXIMUM)
    assert isinstance(outcome, services.AccessChanged)


async def test_r6_adding_an_employee_with_access_asks_before_the_auto_increase(db):
    org = await make_org()
    new = services.NewResource(name="Nina Berg", email="Nina@Example.com", login_access=True)
    asked = await services.add_resource(org.actor, new, maximum=MAXIMUM)
    assert isinstance(asked, services.LicenseIncreaseRequired)
    assert (asked.current_count, asked.new_count) == (1, 2)
    assert not await Resource.filter(email="nina@example.com").exists()

    added = await services.add_resource(org.actor, new, accept_increase=True, maximum=MAXIMUM)
    assert isinstance(added, services.ResourceAdded)
    assert added.resource.email == "nina@example.com"
    assert added.change.resource_id == added.resource.id
    rows = await history(org.id)
    assert rows[-1].resource_id == added.resource.id
    await assert_invariants(org.id)


async def test_r6_adding_without_access_or_a_consultant_uses_no_license(db):
    org = await make_org()
    for kind, access in [(ResourceKind.EMPLOYEE, False), (ResourceKind.EXTERNAL_CONSULTANT, True)]:
        outcome = await services.add_resource(
            org.actor,
            services.NewResource(
                name="X Y", email=f"{kind}@example.com", kind=kind, login_access=access
            ),
            maximum=MAXIMUM,
        )
        assert isinstance(outcome, services.ResourceAdded)
        assert outcome.change is None
    assert (await services.get_seats(org.id)).used == 1


@pytest.mark.parametrize(
    ("field", "new"),
    [
        ("name", services.NewResource(name="  ", email="a@example.com")),
        ("email", services.NewResource(name="A", email="not-an-email")),
        ("password", services.NewResource(name="A", email="a@example.com", password="short")),
    ],
)
async def test_r14_add_resource_refuses_bad_input_and_writes_nothing(db, field, new):
    org = await make_org()
    with pytest.raises(InvalidInput) as refused:
        await services.add_resource(org.actor, new, accept_increase=True, maximum=MAXIMUM)
    assert refused.value.extensions["field"] == field
    assert await Resource.filter(organization_id=org.id).count() == 1


async def test_r6_an_email_is_unique_in_the_organisation(db):
    org = await make_org()
    with pytest.raises(EmailTaken):
        await services.add_resource(
            org.actor, services.NewResource(name="Twin", email=org.admin.email), maximum=MAXIMUM
        )


async def test_r7_terminating_today_drops_the_license_and_ends_sessions(db):
    org = await make_org(license_count=3)
    person = await org.add(password=PASSWORD, start_date=date(2024, 5, 1))
    token = (await login(person.email, PASSWORD, session_hours=1)).token
    today = datetime.now(UTC).date()

    outcome = await services.terminate(org.actor, person.id, today)

    assert (outcome.seats.license_count, outcome.seats.used) == (2, 1)
    assert not outcome.resource.active and not outcome.resource.login_access
    assert outcome.resource.last_work_day == today
    change = outcome.change
    assert (change.from_count, change.to_count, change.reason) == (3, 2, ChangeReason.TERMINATION)
    assert change.resource_id == person.id
    assert change.effective_on == today + timedelta(days=1)
    assert await viewer_for_session(token) is None
    await assert_invariants(org.id)


async def test_r9_a_past_last_work_day_counts_for_billing_from_the_open_period(db):
    created = datetime(2025, 6, 10, 9, tzinfo=UTC)
    org = await make_org(now=created)
    person = await org.add(start_date=date(2020, 1, 1), now=created)
    # Invoices up to March 2026 are out: March's base was charged, its changes are open.
    await issue_due_invoices(datetime(2026, 3, 2, tzinfo=UTC))
    now = datetime(2026, 3, 15, 12, tzinfo=UTC)
    outcome = await services.terminate(org.actor, person.id, date(2025, 12, 31), now=now)
    assert outcome.change.effective_on == date(2026, 3, 1)


async def test_r7_terminating_someone_without_a_license_changes_no_count(db):
    org = await make_org(license_count=3)
    idle = await org.add(access=False)
    consultant = await org.add(kind=ResourceKind.EXTERNAL_CONSULTANT)
    rows = len(await history(org.id))
    for person in (idle, consultant):
        outcome = await services.terminate(org.actor, person.id, date.today())
        assert outcome.change is None
    assert (await org.refresh()).license_count == 3
    assert len(await history(org.id)) == rows


async def test_r7_last_work_day_uses_the_organisations_time_zone(db):
    # 23:30 on 31 March in Stockholm is 21:30 UTC: the local day is the 31st, so a last
    # work day of the 31st is today there and takes effect now.
    org = await make_org(time_zone="Europe/Stockholm", license_count=2)
    person = await org.add(start_date=date(2026, 1, 1))
    now = datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    outcome = await services.terminate(org.actor, person.id, date(2026, 3, 31), now=now)
    assert not outcome.resource.active
    # And just after local midnight the 1st of April is already today.
    other = await org.add(start_date=date(2026, 1, 1))
    now = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    outcome = await services.terminate(org.actor, other.id, date(2026, 4, 1), now=now)
    assert not outcome.resource.active


async def test_r7_refuses_a_last_work_day_before_the_start_date(db):
    org = await make_org(license_count=2)
    person = await org.add(start_date=date(2025, 6, 1))
    with pytest.raises(InvalidInput) as refused:
        await services.terminate(org.actor, person.id, date(2025, 5, 31))
    assert refused.value.extensions["field"] == "lastWorkDay"
    assert (await Resource.get(id=person.id)).active


async def test_r7_refuses_terminating_an_inactive_resource(db):
    org = await make_org(license_count=2)
    person = await org.add()
    await services.terminate(org.actor, person.id, date.today())
    with pytest.raises(ResourceInactive):
        await services.terminate(org.actor, person.id, date.today())


async def test_r7_the_last_administrator_cannot_be_terminated(db):
    org = await make_org()
    with pytest.raises(LastAdministrator):
        await services.terminate(org.actor, org.admin.id, date.today())
    assert (await Resource.get(id=org.admin.id)).active
    await assert_invariants(org.id)


async def test_r7_reactivation_brings_a_person_back_without_access(db):
    org = await make_org(license_count=2)
    person = await org.add()
    await services.terminate(org.actor, person.id, date.today())

    outcome = await services.reactivate(org.actor, person.id)

    assert outcome.resource.active and not outcome.resource.login_access
    assert outcome.resource.last_work_day is None
    assert (outcome.seats.license_count, outcome.seats.used) == (1, 1)
    with pytest.raises(ResourceAlreadyActive):
        await services.reactivate(org.actor, person.id)
    # Giving access again follows R4: the count was lowered, so it must grow.
    asked = await services.toggle_access(org.actor, person.id, True, maximum=MAXIMUM)
    assert isinstance(asked, services.LicenseIncreaseRequired)


async def test_r8_history_is_an_unbroken_chain_after_a_mix_of_changes(db):
    org = await make_org()
    a = await org.add()
    b = await org.add()
    await org.set_count(6)
    await services.toggle_access(org.actor, a.id, False, maximum=MAXIMUM)
    await services.terminate(org.actor, b.id, date.today())
    await org.set_count(2)
    rows = await history(org.id)
    assert [r.reason for r in rows] == [
        ChangeReason.INITIAL,
        ChangeReason.AUTO_INCREASE,
        ChangeReason.AUTO_INCREASE,
        ChangeReason.MANUAL,
        ChangeReason.TERMINATION,
        ChangeReason.MANUAL,
    ]
    await assert_invariants(org.id)


async def test_r12_a_resource_of_another_organisation_is_not_found(db):
    ours = await make_org(license_count=3)
    theirs = await make_org("Other", license_count=3)
    foreign = await theirs.add()
    for attempt in (
        services.toggle_access(ours.actor, foreign.id, False, maximum=MAXIMUM),
        services.terminate(ours.actor, foreign.id, date.today()),
        services.reactivate(ours.actor, foreign.id),
    ):
        with pytest.raises(NotFound):
            await attempt
    assert (await Resource.get(id=foreign.id)).login_access
    await assert_invariants(theirs.id)


async def test_r1_the_cached_used_count_follows_every_service(db):
    org = await make_org(license_count=4)
    people = [await org.add() for _ in range(3)]
    await services.toggle_access(org.actor, people[0].id, False, maximum=MAXIMUM)
    await services.terminate(org.actor, people[1].id, date.today())
    await services.reactivate(org.actor, people[1].id)
    await services.toggle_access(org.actor, people[1].id, True, maximum=MAXIMUM)
    stored = await Organization.get(id=org.id)
    assert stored.used == await live_used(org.id) == 3


async def test_r15_history_date_range_is_the_organisations_days(db):
    """R15: a history range is of the organisation's days, both ends included. Auckland is
    13 hours ahead of UTC in December: a change at 23:30 there on the 10th is on the 10th,
    one at 00:30 on the 11th is on the 11th, though both are on the 10th in UTC. The page
    (its own SQL) and the CSV's rows (the ORM) read the same range."""
    org = await make_org(time_zone="Pacific/Auckland", license_count=1)
    late = datetime(2026, 12, 10, 10, 30, tzinfo=UTC)  # 23:30 on the 10th in Auckland
    early = datetime(2026, 12, 10, 11, 30, tzinfo=UTC)  # 00:30 on the 11th in Auckland
    for count, now in ((2, late), (3, early)):
        await services.set_license_count(org.actor, count, maximum=MAXIMUM, now=now)
    row = await org.refresh()
    tenth, eleventh = date(2026, 12, 10), date(2026, 12, 11)
    for day, counts in ((tenth, [2]), (eleventh, [3])):
        page = await history_page(row, since=day, until=day)
        assert [change.to_count for change in page.changes] == counts, day
        assert [change.to_count for change in await history_rows(row, since=day, until=day)] == (
            counts
        ), day
    both = await history_page(row, since=tenth, until=eleventh)
    assert [change.to_count for change in both.changes] == [3, 2]
