"""Issue 13 goal 3 (R9, R10): the next invoice is kept per organisation once computed, and
every event that changes it (a license change, an issued invoice, a subscription) makes the
kept one stale, whichever process or code path made the event."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tortoise.transactions import in_transaction

from server.accounts.models import Organization
from server.billing import services as billing
from server.billing.models import Invoice, LineKind, Subscription
from server.billing.services import draft_next_invoice, next_invoice
from server.licensing import services
from server.licensing.models import LicenseChange
from tests.factories import MAXIMUM, make_org
from tests.servers import run_cli_at_once
from tests.test_api_query_count import recorded

APRIL_10 = datetime(2026, 4, 10, 9, tzinfo=UTC)
APRIL_20 = datetime(2026, 4, 20, 9, tzinfo=UTC)
NEXT_INVOICE = "{ nextInvoice { periodStart total lines { kind quantity amount } } }"


async def look(org_id: int):
    """The next invoice as a request sees it (the organisation row read afresh, as the viewer
    brings it, then the kept draft if its key still holds), checked against the one the
    database makes now."""
    org = await Organization.get(id=org_id)
    kept = await next_invoice(org)
    assert kept == await draft_next_invoice(org)
    return kept


async def assert_current(org_id: int) -> None:
    """The kept draft is the one the database makes now."""
    org = await Organization.get(id=org_id)
    assert await next_invoice(org) == await draft_next_invoice(org)


async def test_issue_13_goal_3_r9_a_repeated_look_reads_nothing(db):
    org = await make_org(now=APRIL_10)
    await services.set_license_count(org.actor, 5, maximum=MAXIMUM, now=APRIL_20)
    first = await look(org.id)
    row = await Organization.get(id=org.id)
    async with recorded() as seen:
        again = await next_invoice(row)
    assert list(seen) == []
    assert again is first
    assert first == await draft_next_invoice(row)


async def test_issue_13_goal_3_r3_r4_r7_r8_every_license_change_makes_it_stale(db):
    org = await make_org(now=APRIL_10)
    seen = [await look(org.id)]

    await services.set_license_count(org.actor, 3, maximum=MAXIMUM, now=APRIL_20)  # R3
    person = await org.add(access=False, now=APRIL_20)
    seen.append(await look(org.id))
    # R4: licenses are free (3, 1 used), so access changes no count.
    await services.toggle_access(org.actor, person.id, True, maximum=MAXIMUM, now=APRIL_20)
    other = await org.add(now=APRIL_20)
    seen.append(await look(org.id))
    third = await org.add(now=APRIL_20)  # R4: the auto-increase 3 → 4
    seen.append(await look(org.id))
    await services.terminate(org.actor, third.id, date(2026, 4, 20), now=APRIL_20)  # R7: 4 → 3
    seen.append(await look(org.id))
    # R7: a termination scheduled now and applied later by the job, not by a request.
    await services.terminate(org.actor, other.id, date(2026, 4, 25), now=APRIL_20)
    await services.apply_due_terminations(datetime(2026, 4, 26, 9, tzinfo=UTC))  # 3 → 2
    seen.append(await look(org.id))
    # Back to the same count between two looks: only the version tells the draft is old.
    await services.set_license_count(org.actor, 5, maximum=MAXIMUM, now=APRIL_20)
    await services.set_license_count(org.actor, 2, maximum=MAXIMUM, now=APRIL_20)
    seen.append(await look(org.id))
    await assert_current(org.id)

    adjustments = [
        [line.quantity for line in draft.lines if line.kind is LineKind.ADJUSTMENT]
        for draft in seen
    ]
    assert adjustments == [
        [1],
        [1, 2],
        [1, 2],  # giving access within the count changed no line
        [1, 2, 1],
        [1, 2, 1, -1],
        [1, 2, 1, -1, -1],
        [1, 2, 1, -1, -1, 3, -3],
    ]
    history = await LicenseChange.filter(organization_id=org.id).count()
    assert history == len(adjustments[-1])


async def test_issue_13_goal_3_r9_an_issued_invoice_makes_it_stale(db):
    org = await make_org(now=APRIL_10)
    before = await look(org.id)
    assert before.period_start == date(2026, 5, 1)
    await billing.issue_due_invoices(datetime(2026, 5, 1, 1, tzinfo=UTC))
    after = await look(org.id)
    assert after.period_start == date(2026, 6, 1)
    assert [line.kind for line in after.lines] == [LineKind.BASE]  # adjusted for in May's
    await assert_current(org.id)


async def test_issue_13_goal_3_r10_a_subscription_makes_it_stale(db):
    org = await make_org(now=APRIL_10)
    before = await look(org.id)
    await billing.add_on(
        org.id, "Time reports", unit_price=500, quantity=2, starts_on=date(2026, 4, 10)
    )
    with_add_on = await look(org.id)
    assert with_add_on.total == before.total + 1000
    assert [line.kind for line in with_add_on.lines] == [
        LineKind.BASE,
        LineKind.ADD_ON,
        LineKind.ADJUSTMENT,
    ]
    # A new price is a new plan, which the organisation takes.
    dearer = await billing.plan_for("Standard", 1500, "EUR")
    async with in_transaction() as conn:
        row = await Organization.filter(id=org.id).select_for_update().using_db(conn).get()
        await (
            Subscription.filter(organization_id=org.id, kind="PLAN")
            .using_db(conn)
            .update(status="CANCELLED")
        )
        await billing.subscribe(conn, row, dearer, date(2026, 4, 20))
    repriced = await look(org.id)
    base = repriced.lines[0]
    assert (base.kind, base.amount) == (LineKind.BASE, 1500)
    await assert_current(org.id)


async def test_issue_13_goal_3_the_version_grows_once_with_every_event(db):
    """Each history row, issued invoice and subscription bumps the organisation's billing
    version exactly once: none is missed, so no kept draft outlives its event."""
    org = await make_org(now=APRIL_10)
    await services.set_license_count(org.actor, 4, maximum=MAXIMUM, now=APRIL_10)
    people = [await org.add(now=APRIL_10) for _ in range(5)]
    await services.terminate(org.actor, people[0].id, date(2026, 4, 10), now=APRIL_10)
    # History: the first license, 1 → 4, two auto-increases (4 → 6), the termination.
    await billing.issue_due_invoices(datetime(2026, 6, 1, 1, tzinfo=UTC))
    await billing.add_on(org.id, "Support", unit_price=100, quantity=1, starts_on=date(2026, 6, 1))
    events = (
        await LicenseChange.filter(organization_id=org.id).count()
        + await Invoice.filter(organization_id=org.id).count()
        + await Subscription.filter(organization_id=org.id).count()
    )
    assert (await org.refresh()).billing_version == events
    assert events == 5 + 2 + 2


async def test_issue_13_goal_3_r9_a_change_from_another_process_is_seen(client, orm):
    """The page looks (the draft is kept in this process), then another process issues the
    invoice and applies a termination: the next look here shows both."""
    org = await make_org(now=APRIL_10)
    person = await org.add(now=APRIL_10)
    await services.terminate(org.actor, person.id, date(2026, 5, 20), now=APRIL_20)
    await client.login(org.admin.email)
    before = (await client.data(NEXT_INVOICE))["nextInvoice"]
    assert before["periodStart"] == "2026-05-01"
    assert before == (await client.data(NEXT_INVOICE))["nextInvoice"]  # kept

    await run_cli_at_once(orm, 1, "issue-invoices", "--at", "2026-05-01T01:00:00+00:00")
    issued = (await client.data(NEXT_INVOICE))["nextInvoice"]
    assert issued["periodStart"] == "2026-06-01"
    assert [line["kind"] for line in issued["lines"]] == ["BASE"]

    await run_cli_at_once(orm, 1, "run-due", "--at", "2026-05-21T09:00:00+00:00")
    terminated = (await client.data(NEXT_INVOICE))["nextInvoice"]
    assert [(line["kind"], line["quantity"]) for line in terminated["lines"]] == [
        ("BASE", 1),
        ("ADJUSTMENT", -1),
    ]
    await assert_current(org.id)
