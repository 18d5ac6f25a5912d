"""Bulk changes (issue 15): give or remove login access, or terminate, for many people in one
change, through the domain and through /graphql, with the preview that shows their effect."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from server.accounts.models import LicensePolicy, Resource, ResourceKind, Role, Session
from server.api import ids
from server.billing.services import draft_next_invoice
from server.errors import (
    Forbidden,
    InvalidInput,
    LicenseCountChanged,
    LicenseLimitReached,
    NotFound,
)
from server.idempotency import IdempotencyConflict
from server.licensing import bulk, services
from server.licensing.models import ChangeReason, LicenseChange
from server.licensing.outcomes import Actor, BulkChanged, LicenseIncreaseRequired
from server.webhooks.models import EventType, WebhookEndpoint, WebhookEvent
from tests.factories import MAXIMUM, PASSWORD, assert_invariants, error_codes, make_org

REMOVE, GIVE, END = (
    bulk.BulkAction.REMOVE_ACCESS,
    bulk.BulkAction.GIVE_ACCESS,
    bulk.BulkAction.TERMINATE,
)


async def listen(org_id: int) -> None:
    """An endpoint of the organisation that hears every event (no address is ever called)."""
    await WebhookEndpoint.create(
        organization_id=org_id,
        url="https://receiver.example/hooks",
        events=" ".join(EventType),
        secret="whsec_" + "A" * 32,
        created_at=datetime.now(UTC),
    )


def today() -> date:
    return datetime.now(UTC).date()


async def history(org_id: int) -> list[tuple[int, int, ChangeReason, int | None]]:
    rows = await LicenseChange.filter(organization_id=org_id).order_by("id")
    return [(r.from_count, r.to_count, r.reason, r.resource_id) for r in rows]


async def person(resource_id: int) -> Resource:
    return await Resource.get(id=resource_id)


async def change(actor: Actor, action: bulk.BulkAction, people: list[Resource], **options):
    request = bulk.BulkRequest.of(
        action,
        [p.id for p in people],
        last_work_day=options.pop("last_work_day", None),
        reduce_count=options.pop("reduce_count", False),
        accept_increase=options.pop("accept_increase", False),
    )
    return await bulk.bulk_change(
        actor, request, maximum=options.pop("maximum", MAXIMUM), **options
    )


async def test_r5_removing_access_in_bulk_frees_licenses_ends_sessions_and_skips_the_rest(db):
    org = await make_org(license_count=6)
    users = [await org.add() for _ in range(3)]
    idle = await org.add(access=False)
    consultant = await org.add(kind=ResourceKind.EXTERNAL_CONSULTANT)
    await org.add()  # keeps access
    for user in users:
        await Session.create(
            resource_id=user.id,
            token_hash=f"h{user.id}",
            expires_at=datetime.now(UTC) + timedelta(days=1),
        )
    before = await history(org.id)

    outcome = await change(org.actor, REMOVE, [*users, idle, consultant])

    assert isinstance(outcome, BulkChanged)
    assert [(p.resource.id, p.changed, p.code) for p in outcome.people] == [
        *[(u.id, True, None) for u in users],
        (idle.id, False, "UNCHANGED"),
        (consultant.id, True, None),
    ]
    assert outcome.seats.license_count == 6  # R5: the licenses stay on the count, free
    assert outcome.seats.used == 2  # the administrator and the one who keeps access
    assert outcome.changes == []
    assert await history(org.id) == before  # R5 writes no history row
    assert not await Session.filter(resource_id__in=[u.id for u in users]).exists()
    assert all([not (await person(u.id)).login_access for u in users])
    assert outcome.message == (
        "Login access removed for 4 people. 3 licenses no longer in use. 1 person was skipped."
    )
    await assert_invariants(org.id)


async def test_r3_r5_removing_access_in_bulk_can_take_the_freed_licenses_off_the_count(db):
    org = await make_org(license_count=8)
    users = [await org.add() for _ in range(3)]

    outcome = await change(org.actor, REMOVE, users, reduce_count=True)

    assert outcome.seats.license_count == 5  # 8 minus the 3 licenses freed
    assert outcome.seats.used == 1
    # One R3 row for the reduction, by the actor, in the same step.
    assert [(c.from_count, c.to_count, c.reason) for c in outcome.changes] == [
        (8, 5, ChangeReason.MANUAL)
    ]
    assert (await history(org.id))[-1] == (8, 5, ChangeReason.MANUAL, None)
    assert "The license count goes from 8 to 5." in outcome.message
    await assert_invariants(org.id)


async def test_r4_giving_access_in_bulk_asks_once_for_every_license_it_adds(db):
    org = await make_org(license_count=2)  # the administrator uses one: one is free
    people = [await org.add(access=False) for _ in range(3)]
    before = await history(org.id)

    question = await change(org.actor, GIVE, people)

    assert isinstance(question, LicenseIncreaseRequired)
    assert (question.current_count, question.new_count) == (2, 4)
    assert question.message.startswith("2 more licenses are needed")
    assert question.adds_to_next_invoice > 0
    # Asking changed nothing.
    assert await history(org.id) == before
    assert not any([(await person(p.id)).login_access for p in people])
    await assert_invariants(org.id)

    outcome = await change(org.actor, GIVE, people, accept_increase=True)

    assert isinstance(outcome, BulkChanged)
    assert outcome.seats.license_count == 4 and outcome.seats.used == 4
    # The first took the free license; each of the others has their own R4 row.
    assert [p.change is None for p in outcome.people] == [True, False, False]
    assert (await history(org.id))[-2:] == [
        (2, 3, ChangeReason.AUTO_INCREASE, people[1].id),
        (3, 4, ChangeReason.AUTO_INCREASE, people[2].id),
    ]
    await assert_invariants(org.id)


async def test_r4_r7_giving_access_in_bulk_skips_terminated_people(db):
    org = await make_org(license_count=3)
    leaver = await org.add(access=False)
    await services.terminate(org.actor, leaver.id, today())
    newcomer = await org.add(access=False)

    outcome = await change(org.actor, GIVE, [leaver, newcomer])

    assert [(p.changed, p.code) for p in outcome.people] == [
        (False, "RESOURCE_INACTIVE"),
        (True, None),
    ]
    assert "reactivate" in outcome.people[0].message
    await assert_invariants(org.id)


async def test_r7_terminating_in_bulk_writes_a_row_per_license_and_skips_what_it_must(db):
    org = await make_org(license_count=5)
    staff = [await org.add() for _ in range(2)]
    idle = await org.add(access=False)
    gone = await org.add()
    await services.terminate(org.actor, gone.id, today())

    outcome = await change(org.actor, END, [*staff, idle, gone, org.admin], last_work_day=today())

    assert [(p.changed, p.code) for p in outcome.people] == [
        (True, None),
        (True, None),
        (True, None),
        (False, "RESOURCE_INACTIVE"),
        (False, "LAST_ADMIN"),  # R7: the organisation keeps an administrator
    ]
    # R7: each license used goes with its person, a history row each (R8); the idle person
    # used none.
    assert [(c.from_count, c.to_count, c.resource_id) for c in outcome.changes] == [
        (4, 3, staff[0].id),
        (3, 2, staff[1].id),
    ]
    assert outcome.seats.license_count == 2 and outcome.seats.used == 1
    assert all([not (await person(p.id)).active for p in [*staff, idle]])
    assert (await person(org.admin.id)).active
    assert outcome.message == (
        "3 people terminated. 2 licenses no longer in use. The license count goes from 4 to 2. "
        "2 people were skipped."
    )
    await assert_invariants(org.id)


async def test_r7_terminating_in_bulk_with_a_later_day_schedules_each(db):
    org = await make_org(license_count=4)
    staff = [await org.add() for _ in range(2)]
    later = today() + timedelta(days=10)

    outcome = await change(org.actor, END, staff, last_work_day=later)

    assert outcome.changes == []
    assert outcome.seats.license_count == 4 and outcome.seats.used == 3
    assert [(await person(p.id)).last_work_day for p in staff] == [later, later]
    assert outcome.message == f"2 people leave at the end of {later.isoformat()}."
    early = await org.add(start_date=today())
    refused = await change(org.actor, END, [early], last_work_day=today() - timedelta(days=1))
    assert [(p.changed, p.code) for p in refused.people] == [(False, "BAD_USER_INPUT")]


async def test_r13_one_idempotency_key_covers_the_whole_batch(db):
    org = await make_org(license_count=5)
    users = [await org.add() for _ in range(2)]
    request = bulk.BulkRequest.of(REMOVE, [u.id for u in users], reduce_count=True)
    key = request.idempotency("batch-1", "bulkSetAccess")

    first = await bulk.bulk_change(org.actor, request, maximum=MAXIMUM, idempotency=key)
    # Someone gets access back; the retry of the batch must not take it again.
    await services.toggle_access(org.actor, users[0].id, True, maximum=MAXIMUM)
    again = await bulk.bulk_change(org.actor, request, maximum=MAXIMUM, idempotency=key)

    assert again == first
    assert (await person(users[0].id)).login_access
    assert (await org.refresh()).license_count == 3
    other = bulk.BulkRequest.of(REMOVE, [users[0].id])
    with pytest.raises(IdempotencyConflict):
        await bulk.bulk_change(
            org.actor, other, maximum=MAXIMUM, idempotency=other.idempotency("batch-1", "x")
        )
    await assert_invariants(org.id)


async def test_r2_r12_what_concerns_the_batch_refuses_all_of_it(db):
    org = await make_org(license_count=3)
    user = await org.add()
    theirs = await make_org("Theirs")
    stranger = await theirs.add()
    await listen(org.id)
    before = (await history(org.id), await WebhookEvent.all().count())

    with pytest.raises(NotFound):  # R12: a person of another organisation is no person
        await change(org.actor, REMOVE, [user, stranger])
    with pytest.raises(LicenseCountChanged):
        await change(org.actor, REMOVE, [user], expected_count=7)
    idle = [await org.add(access=False) for _ in range(3)]
    with pytest.raises(LicenseLimitReached):  # past the maximum: nobody gets access
        await change(org.actor, GIVE, idle, accept_increase=True, maximum=4)
    assert not any([(await person(p.id)).login_access for p in idle])
    assert (await person(user.id)).login_access
    assert await history(org.id) == before[0]
    assert await WebhookEvent.all().count() == before[1]

    with pytest.raises(InvalidInput, match="at most 1,000 people"):
        bulk.BulkRequest.of(REMOVE, list(range(1, bulk.MAX_PEOPLE + 2)))
    with pytest.raises(InvalidInput, match="at least one"):
        bulk.BulkRequest.of(REMOVE, [])
    with pytest.raises(InvalidInput):
        bulk.BulkRequest.of(GIVE, [user.id], reduce_count=True)
    assert bulk.BulkRequest.of(REMOVE, [5, 3, 5]).resource_ids == (5, 3)
    await assert_invariants(org.id)


async def test_r16_a_bulk_increase_the_policy_leaves_to_an_administrator_is_refused(db):
    org = await make_org(license_count=1)
    people = [await org.add(access=False) for _ in range(2)]
    manager = await org.add(role=Role.RESOURCE_MANAGER, access=False)
    by_manager = Actor.person(manager)
    assert (await org.refresh()).license_policy is LicensePolicy.NEVER

    question = await change(by_manager, GIVE, people)
    assert isinstance(question, LicenseIncreaseRequired) and question.needs_approval
    with pytest.raises(Forbidden, match="one person at a time"):
        await change(by_manager, GIVE, people, accept_increase=True)
    assert not any([(await person(p.id)).login_access for p in people])
    await assert_invariants(org.id)


async def test_r9_the_preview_shows_what_the_change_does_and_keeps_nothing(db):
    org = await make_org(license_count=10)
    users = [await org.add() for _ in range(4)]
    idle = await org.add(access=False)
    chosen = [*users, idle]
    request = bulk.BulkRequest.of(END, [p.id for p in chosen], last_work_day=today())
    await listen(org.id)
    kept = (await history(org.id), await WebhookEvent.all().count())
    invoice_before = (await draft_next_invoice(await org.refresh())).total

    preview = await bulk.preview_bulk_change(org.actor, request, maximum=MAXIMUM)

    assert (preview.current_count, preview.new_count) == (10, 6)
    assert (preview.used_before, preview.used_after, preview.licenses_freed) == (5, 1, 4)
    assert preview.changed_count == 5
    assert not preview.needs_increase and not preview.needs_approval
    # Nothing of it stayed.
    assert (await history(org.id), await WebhookEvent.all().count()) == kept
    assert all([(await person(p.id)).active for p in chosen])
    assert (await org.refresh()).license_count == 10

    done = await bulk.bulk_change(org.actor, request, maximum=MAXIMUM)
    invoice_after = (await draft_next_invoice(await org.refresh())).total
    assert preview.next_invoice_change == invoice_after - invoice_before < 0  # a credit
    assert [(p.resource.id, p.changed, p.code, p.message) for p in preview.people] == [
        (p.resource.id, p.changed, p.code, p.message) for p in done.people
    ]
    assert preview.message == done.message
    assert (done.seats.license_count, done.seats.used) == (preview.new_count, preview.used_after)
    await assert_invariants(org.id)


async def test_issue_15_a_bulk_change_tells_webhooks_of_each_person_and_of_the_count(db):
    org = await make_org(license_count=4)
    users = [await org.add() for _ in range(2)]
    await listen(org.id)
    await change(org.actor, END, users, last_work_day=today())
    types = [e.type for e in await WebhookEvent.filter(organization_id=org.id).order_by("id")]
    assert types == ["license.count_changed", "resource.terminated", "resource.terminated"]


# --- Through /graphql -----------------------------------------------------------------------

PEOPLE = "people { resource { id loginAccess active } changed code message change { reason } }"
BULK_ACCESS = f"""mutation($ids: [ID!]!, $on: Boolean!, $accept: Boolean!, $reduce: Boolean!,
  $key: String, $expected: Int) {{ bulkSetAccess(resourceIds: $ids, enabled: $on,
  acceptLicenseIncrease: $accept, reduceLicenseCount: $reduce, idempotencyKey: $key,
  expectedLicenseCount: $expected) {{ __typename
  ... on BulkChangeSuccess {{ {PEOPLE} changedCount seats {{ licenseCount used }}
      changes {{ fromCount toCount reason }} message }}
  ... on LicenseIncreaseRequired {{ currentCount newCount addsToNextInvoice needsApproval }}
  }} }}"""
BULK_END = f"""mutation($ids: [ID!]!, $day: Date!) {{ bulkTerminate(resourceIds: $ids,
  lastWorkDay: $day) {{ __typename ... on BulkChangeSuccess {{ {PEOPLE} changedCount
  seats {{ licenseCount used }} changes {{ fromCount toCount reason resource {{ name }} }}
  }} }} }}"""
PREVIEW = f"""query($action: BulkAction!, $ids: [ID!]!, $day: Date, $reduce: Boolean!) {{
  bulkChangePreview(action: $action, resourceIds: $ids, lastWorkDay: $day,
  reduceLicenseCount: $reduce) {{ {PEOPLE} changedCount currentCount newCount usedBefore
  usedAfter licensesFreed nextInvoiceChange currency needsIncrease needsApproval message }} }}"""


def gid(resource: Resource) -> str:
    return ids.encode(ids.RESOURCE, resource.id)


async def test_r5_r3_bulk_set_access_over_graphql_answers_per_person(client):
    org = await make_org(license_count=5)
    await client.login(org.admin.email)
    users = [await org.add() for _ in range(2)]
    idle = await org.add(access=False)
    chosen = [gid(p) for p in [*users, idle]]

    preview = (
        await client.data(PREVIEW, action="REMOVE_ACCESS", ids=chosen, day=None, reduce=True)
    )["bulkChangePreview"]
    assert (preview["currentCount"], preview["newCount"], preview["licensesFreed"]) == (5, 3, 2)
    assert preview["nextInvoiceChange"] < 0 and preview["currency"] == "EUR"
    assert [p["changed"] for p in preview["people"]] == [True, True, False]
    # The preview shows the people as the change would leave them.
    assert [p["resource"]["loginAccess"] for p in preview["people"]] == [False, False, False]

    done = (
        await client.data(
            BULK_ACCESS, ids=chosen, on=False, accept=False, reduce=True, key="k1", expected=5
        )
    )["bulkSetAccess"]
    assert done["__typename"] == "BulkChangeSuccess"
    assert done["changedCount"] == 2
    assert done["seats"] == {"licenseCount": 3, "used": 1}
    assert done["changes"] == [{"fromCount": 5, "toCount": 3, "reason": "MANUAL"}]
    assert [(p["resource"]["id"], p["changed"], p["code"]) for p in done["people"]] == [
        (chosen[0], True, None),
        (chosen[1], True, None),
        (chosen[2], False, "UNCHANGED"),
    ]
    assert done["message"] == preview["message"]
    await assert_invariants(org.id)


async def test_r4_r7_bulk_mutations_over_graphql(client):
    org = await make_org(license_count=1)
    await client.login(org.admin.email)
    people = [await org.add(access=False) for _ in range(2)]
    chosen = [gid(p) for p in people]
    asked = (await client.data(BULK_ACCESS, ids=chosen, on=True, accept=False, reduce=False))[
        "bulkSetAccess"
    ]
    assert asked["__typename"] == "LicenseIncreaseRequired"
    assert (asked["currentCount"], asked["newCount"], asked["needsApproval"]) == (1, 3, False)
    given = (await client.data(BULK_ACCESS, ids=chosen, on=True, accept=True, reduce=False))[
        "bulkSetAccess"
    ]
    assert [p["change"]["reason"] for p in given["people"]] == ["AUTO_INCREASE"] * 2

    ended = (await client.data(BULK_END, ids=chosen, day=today().isoformat()))["bulkTerminate"]
    assert [c["reason"] for c in ended["changes"]] == ["TERMINATION", "TERMINATION"]
    assert [c["resource"]["name"] for c in ended["changes"]] == [p.name for p in people]
    assert ended["seats"] == {"licenseCount": 1, "used": 1}
    await assert_invariants(org.id)


@pytest.mark.parametrize(
    ("ids_of", "code"),
    [
        (lambda people: [ids.encode(ids.RESOURCE, 999_999)], "NOT_FOUND"),
        (lambda people: [ids.encode(ids.RESOURCE, i + 1) for i in range(1001)], "BAD_USER_INPUT"),
        (lambda people: [], "BAD_USER_INPUT"),
        (lambda people: ["not an id"], "NOT_FOUND"),
    ],
    ids=["missing", "too many", "none", "garbage"],
)
async def test_r12_r14_bulk_input_errors_have_stable_codes(client, ids_of, code):
    org = await make_org(license_count=2)
    await client.login(org.admin.email)
    people = [await org.add(access=False)]
    body = await client(BULK_ACCESS, ids=ids_of(people), on=False, accept=False, reduce=False)
    assert error_codes(body) == [code], body
    assert body["data"] is None
    await assert_invariants(org.id)


async def test_r11_a_member_may_not_make_bulk_changes_and_a_read_token_neither(client):
    org = await make_org(license_count=3)
    member = await org.add(role=Role.MEMBER, password=PASSWORD)
    await client.login(member.email)
    body = await client(BULK_END, ids=[gid(org.admin)], day=today().isoformat())
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await person(org.admin.id)).active
