"""R9, R10: the next-invoice preview, issuing invoices, and what a license change costs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from server.accounts.models import Organization, Role
from server.api import ids
from server.billing.models import (
    Invoice,
    InvoiceLine,
    LineKind,
)
from server.billing.services import add_on, draft_next_invoice, issue_due_invoices
from server.demo import DEMO_ORG, seed_demo
from server.licensing import services
from tests.factories import MAXIMUM, PASSWORD, error_codes, make_org
from tests.servers import run_cli_at_once

APRIL_10 = datetime(2026, 4, 10, 9, tzinfo=UTC)
APRIL_20 = datetime(2026, 4, 20, 9, tzinfo=UTC)
PRICE = 1200  # the default plan: 12.00 EUR per license and month


async def preview(org_id: int):
    return await draft_next_invoice(await Organization.get(id=org_id))


async def test_r9_a_new_organisation_previews_its_first_invoice(db):
    org = await make_org(now=APRIL_10)
    draft = await preview(org.id)
    assert (draft.period_start, draft.period_end) == (date(2026, 5, 1), date(2026, 5, 31))
    assert [(line.kind, line.quantity, line.amount) for line in draft.lines] == [
        (LineKind.BASE, 1, 1200),
        # The first license from 10 April: 1200 × 21/30 = 840.
        (LineKind.ADJUSTMENT, 1, 840),
    ]
    assert draft.total == 2040
    assert draft.currency == "EUR"


async def test_r9_adjustments_are_prorated_per_history_row_with_who_caused_them(db):
    org = await make_org(now=APRIL_10)
    person = await org.add(now=APRIL_20)  # auto-increase 1 → 2 on the 20th
    await services.set_license_count(org.actor, 4, maximum=MAXIMUM, now=APRIL_20)
    draft = await preview(org.id)
    lines = [(line.kind, line.quantity, line.amount, line.resource_id) for line in draft.lines]
    assert lines == [
        (LineKind.BASE, 4, 4800, None),
        (LineKind.ADJUSTMENT, 1, 840, org.admin.id),  # 1200 × 21/30
        (LineKind.ADJUSTMENT, 1, 440, person.id),  # 1200 × 11/30
        (LineKind.ADJUSTMENT, 2, 880, None),  # 2 × 1200 × 11/30
    ]
    assert draft.total == 4800 + 840 + 440 + 880
    assert "1 → 2" in draft.lines[2].description
    assert "11/30 days" in draft.lines[2].description


async def test_r9_issuing_is_idempotent_and_the_invoice_never_changes(db):
    org = await make_org(now=APRIL_10)
    expected = await preview(org.id)
    assert await issue_due_invoices(datetime(2026, 4, 30, 23, tzinfo=UTC)) == []  # not yet
    issued = await issue_due_invoices(datetime(2026, 5, 1, 0, 5, tzinfo=UTC))
    assert len(issued) == 1
    assert await issue_due_invoices(datetime(2026, 5, 1, 0, 6, tzinfo=UTC)) == []
    invoice = issued[0]
    assert (invoice.period_start, invoice.total) == (date(2026, 5, 1), expected.total)
    lines = await InvoiceLine.filter(invoice_id=invoice.id).order_by("position")
    assert [(line.kind, line.amount) for line in lines] == [
        (line.kind, line.amount) for line in expected.lines
    ]

    # Later changes go to the next invoice, not this one.
    await services.set_license_count(
        org.actor, 3, maximum=MAXIMUM, now=datetime(2026, 5, 16, tzinfo=UTC)
    )
    again = await Invoice.get(id=invoice.id)
    assert again.total == invoice.total
    assert await InvoiceLine.filter(invoice_id=invoice.id).count() == len(lines)
    draft = await preview(org.id)
    assert draft.period_start == date(2026, 6, 1)
    # 2 × 1200 × 16/31 = 1238.7 → 1239
    assert [(line.kind, line.amount) for line in draft.lines] == [
        (LineKind.BASE, 3600),
        (LineKind.ADJUSTMENT, 1239),
    ]


async def test_r9_a_late_issuer_catches_up_one_invoice_per_period(db):
    org = await make_org(now=APRIL_10)
    issued = await issue_due_invoices(datetime(2026, 7, 3, tzinfo=UTC))
    assert [i.period_start for i in issued] == [
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 7, 1),
    ]
    assert [i.total for i in issued] == [2040, 1200, 1200]
    assert (await preview(org.id)).period_start == date(2026, 8, 1)


async def test_r9_a_termination_credits_from_the_day_after_the_last_work_day(db):
    org = await make_org(now=APRIL_10, license_count=None)
    person = await org.add(start_date=date(2026, 1, 1), now=APRIL_10)
    await issue_due_invoices(datetime(2026, 5, 1, 1, tzinfo=UTC))  # May: 2 licenses in advance
    await services.terminate(
        org.actor, person.id, date(2026, 5, 20), now=datetime(2026, 5, 20, 15, tzinfo=UTC)
    )
    draft = await preview(org.id)
    adjustment = draft.lines[-1]
    # Credit from 21 May: -1200 × 11/31 = -425.8 → -426
    assert (adjustment.kind, adjustment.quantity, adjustment.amount) == (
        LineKind.ADJUSTMENT,
        -1,
        -426,
    )
    assert adjustment.resource_id == person.id


async def test_r9_a_change_already_in_the_base_adds_nothing(db):
    org = await make_org(now=APRIL_10, license_count=None)
    person = await org.add(start_date=date(2026, 1, 1), now=APRIL_10)
    await issue_due_invoices(datetime(2026, 5, 1, 1, tzinfo=UTC))
    # Last day of May: the credit starts on 1 June, the period the next invoice bills.
    await services.terminate(
        org.actor, person.id, date(2026, 5, 31), now=datetime(2026, 5, 31, 18, tzinfo=UTC)
    )
    draft = await preview(org.id)
    assert draft.period_start == date(2026, 6, 1)
    base, adjustment = draft.lines
    assert (base.quantity, base.amount) == (1, 1200)
    assert (adjustment.amount, adjustment.quantity) == (0, -1)
    assert "already in the base" in adjustment.description


async def test_r9_add_ons_are_billed_with_the_base(db):
    org = await make_org(now=APRIL_10)
    await add_on(org.id, "Time reports", unit_price=500, quantity=2, starts_on=date(2026, 4, 10))
    draft = await preview(org.id)
    assert [(line.kind, line.amount) for line in draft.lines] == [
        (LineKind.BASE, 1200),
        (LineKind.ADD_ON, 1000),
        (LineKind.ADJUSTMENT, 840),
    ]


async def test_r4_the_increase_question_says_what_it_costs(db):
    org = await make_org(now=APRIL_10)
    person = await org.add(access=False, now=APRIL_10)
    asked = await services.toggle_access(org.actor, person.id, True, maximum=MAXIMUM, now=APRIL_20)
    assert isinstance(asked, services.LicenseIncreaseRequired)
    assert asked.prorated_cost == 440  # 1200 × 11/30
    assert asked.adds_to_next_invoice == 440 + 1200
    assert asked.currency == "EUR"
    assert "16.40 EUR" in asked.message


PLAN_PAGE = """{ plan { name pricePerLicense currency billingPeriod }
  subscriptions { name kind status startsOn endsOn unitPrice quantity }
  nextInvoice { periodStart periodEnd total lines { kind description quantity amount
    change { id } resource { id name } } }
  invoices { edges { node { number issuedAt periodStart total lines { kind amount } } } } }"""


async def test_r10_an_administrator_sees_plan_subscriptions_and_invoices(client):
    org = await make_org(now=APRIL_10)
    await issue_due_invoices(datetime(2026, 5, 1, 1, tzinfo=UTC))
    await client.login(org.admin.email)
    data = await client.data(PLAN_PAGE)
    assert data["plan"] == {
        "name": "Standard",
        "pricePerLicense": 1200,
        "currency": "EUR",
        "billingPeriod": "MONTHLY",
    }
    assert data["subscriptions"] == [
        {
            "name": "Standard",
            "kind": "PLAN",
            "status": "ACTIVE",
            "startsOn": "2026-04-10",
            "endsOn": None,
            "unitPrice": 1200,
            "quantity": 1,
        }
    ]
    [invoice] = [edge["node"] for edge in data["invoices"]["edges"]]
    assert invoice["number"] == f"202605-{org.id:06d}"
    assert invoice["total"] == 2040
    assert invoice["lines"] == [
        {"kind": "BASE", "amount": 1200},
        {"kind": "ADJUSTMENT", "amount": 840},
    ]
    assert data["nextInvoice"]["periodStart"] == "2026-06-01"
    assert data["nextInvoice"]["lines"] == [
        {
            "kind": "BASE",
            "description": data["nextInvoice"]["lines"][0]["description"],
            "quantity": 1,
            "amount": 1200,
            "change": None,
            "resource": None,
        }
    ]


async def test_r9_preview_lines_name_the_change_and_the_person(client):
    org = await make_org(now=APRIL_10)
    await client.login(org.admin.email)
    data = await client.data(PLAN_PAGE)
    adjustment = data["nextInvoice"]["lines"][1]
    assert adjustment["resource"] == {
        "id": ids.encode(ids.RESOURCE, org.admin.id),
        "name": org.admin.name,
    }
    history = await client.data("{ history { edges { node { id } } } }")
    assert adjustment["change"]["id"] == history["history"]["edges"][0]["node"]["id"]


@pytest.mark.parametrize("field", ["plan", "subscriptions", "nextInvoice", "invoices"])
async def test_r11_billing_is_for_administrators_only(client, field):
    org = await make_org(license_count=3)
    manager = await org.add(role=Role.RESOURCE_MANAGER, password=PASSWORD)
    await client.login(manager.email)
    selection = {
        "plan": "{ name }",
        "subscriptions": "{ name }",
        "nextInvoice": "{ total }",
        "invoices": "{ edges { cursor } }",
    }[field]
    body = await client(f"{{ {field} {selection} }}")
    assert error_codes(body) == ["FORBIDDEN"]


async def test_r4_the_increase_question_carries_its_cost_over_graphql(client):
    org = await make_org()
    person = await org.add(access=False)
    await client.login(org.admin.email)
    data = await client.data(
        "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true) { ... on "
        "LicenseIncreaseRequired { proratedCost addsToNextInvoice currency } } }",
        id=ids.encode(ids.RESOURCE, person.id),
    )
    asked = data["toggleAccess"]
    assert asked["currency"] == "EUR"
    assert 0 < asked["proratedCost"] <= PRICE
    assert asked["addsToNextInvoice"] == asked["proratedCost"] + PRICE


@pytest.mark.postgres_only
async def test_r9_issue_invoices_in_several_processes_issues_each_once(orm, db):
    orgs = [await make_org(f"Org {i}", now=APRIL_10) for i in range(5)]
    at = datetime(2026, 6, 2, tzinfo=UTC).isoformat()
    await run_cli_at_once(orm, 4, "issue-invoices", "--at", at)
    for org in orgs:
        periods = await Invoice.filter(organization_id=org.id).values_list(
            "period_start", flat=True
        )
        assert sorted(periods) == [date(2026, 5, 1), date(2026, 6, 1)]
    assert await Invoice.all().count() == 10


async def test_issue_12_item_11_r9_the_demo_issues_each_invoice_at_the_start_of_its_period(
    db, tmp_path, monkeypatch
):
    """Issue 12 item 11 (R9): the demo's invoices are issued at the start of each month in the
    organisation's time zone, as the plan page says, not on the day of the demo's next step."""
    monkeypatch.setenv("SEATS_VAR_DIR", str(tmp_path))
    await seed_demo()
    org = await Organization.get(name=DEMO_ORG)
    invoices = await Invoice.filter(organization_id=org.id).order_by("period_start")
    assert len(invoices) >= 2
    zone = ZoneInfo(org.time_zone)
    for invoice in invoices:
        issued = invoice.issued_at.astimezone(zone)
        assert issued.date() == invoice.period_start, (invoice.number, issued)
        assert invoice.period_start.day == 1
