"""Issue 12 item 3: `licenseCountPreview` prices a change of the license count before it is
saved (R3, R9), as the next invoice will price it, in both directions, and refuses what
`setLicenseCount` would refuse. Runs on SQLite and on PostgreSQL like the rest of the suite."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from fractions import Fraction

import pytest

from tests.factories import error_codes, make_org

PREVIEW = """query($n: Int!) { licenseCountPreview(count: $n) { __typename
  ... on LicenseCountPreview { currentCount newCount effectiveOn proratedAmount
    nextInvoiceChange currency }
  ... on LicenseBelowUsage { used requested message } } }"""
SET_COUNT = """mutation($n: Int!) { setLicenseCount(count: $n) { __typename } }"""
NEXT_INVOICE = "{ nextInvoice { total lines { kind quantity amount } } }"
PLAN = "{ plan { pricePerLicense currency } }"
HISTORY = "{ history(first: 50) { edges { node { id } } } }"


def expected_proration(delta: int, price: int) -> int:
    """R9 for a change today (UTC), worked out here on its own: delta × price × days left /
    days in the month, rounded half-up away from zero."""
    day = datetime.now(UTC).date()
    days = calendar.monthrange(day.year, day.month)[1]
    value = Fraction(abs(delta) * price * (days - day.day + 1), days)
    whole = int(value + Fraction(1, 2))
    return whole if delta >= 0 else -whole


@pytest.fixture
async def admin(client):
    org = await make_org(license_count=8)
    await client.login(org.admin.email)
    return org


@pytest.mark.parametrize(("start", "to"), [(8, 10), (10, 7), (8, 8)], ids=["up", "down", "same"])
async def test_r9_the_preview_prices_a_change_both_ways_as_the_next_invoice_does(
    client, admin, start, to
):
    await client.data(SET_COUNT, n=start)
    plan = (await client.data(PLAN))["plan"]
    price = plan["pricePerLicense"]
    history_before = len((await client.data(HISTORY))["history"]["edges"])
    invoice_before = (await client.data(NEXT_INVOICE))["nextInvoice"]

    preview = (await client.data(PREVIEW, n=to))["licenseCountPreview"]

    assert preview == {
        "__typename": "LicenseCountPreview",
        "currentCount": start,
        "newCount": to,
        "effectiveOn": datetime.now(UTC).date().isoformat(),
        "proratedAmount": expected_proration(to - start, price),
        "nextInvoiceChange": expected_proration(to - start, price) + (to - start) * price,
        "currency": plan["currency"],
    }
    if to > start:
        assert preview["proratedAmount"] > 0, "an increase is a charge"
    if to < start:
        assert preview["proratedAmount"] < 0, "a decrease is a credit"
    # Asking changed nothing (R3: no history row).
    assert len((await client.data(HISTORY))["history"]["edges"]) == history_before

    # Saved, the next invoice moves by exactly what was shown.
    await client.data(SET_COUNT, n=to)
    invoice_after = (await client.data(NEXT_INVOICE))["nextInvoice"]
    assert invoice_after["total"] - invoice_before["total"] == preview["nextInvoiceChange"]
    if to != start:
        line = invoice_after["lines"][-1]
        assert line == {
            "kind": "ADJUSTMENT",
            "quantity": to - start,
            "amount": preview["proratedAmount"],
        }


async def test_r3_the_preview_refuses_a_count_below_the_licenses_in_use(client, admin):
    await admin.add(access=True)
    await admin.add(access=True)
    result = (await client.data(PREVIEW, n=2))["licenseCountPreview"]
    assert result["__typename"] == "LicenseBelowUsage"
    assert result["used"] == 3
    assert result["requested"] == 2
    assert "3 licenses are in use" in result["message"]
    # The count in use itself is allowed: all unused licenses removed, a credit.
    allowed = (await client.data(PREVIEW, n=3))["licenseCountPreview"]
    assert allowed["__typename"] == "LicenseCountPreview"
    assert allowed["proratedAmount"] <= 0
    assert allowed["nextInvoiceChange"] < 0


@pytest.mark.parametrize("count", [-1, 10**9])
async def test_r14_the_preview_refuses_a_count_out_of_range_with_a_code(client, admin, count):
    body = await client(PREVIEW, n=count)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["data"] is None


async def test_r11_the_preview_is_refused_to_someone_not_signed_in(client):
    await make_org()
    body = await client(PREVIEW, n=3)
    assert error_codes(body) == ["UNAUTHENTICATED"], body
