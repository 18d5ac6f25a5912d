"""The plan page in real Chromium (R9, R10, R11): the plan, its subscription, the next invoice
with an adjustment line for each licence change naming the person, the issued invoices opening
to their lines, and the note a resource manager sees instead. Screenshots at 1280 px and 390 px
go to var/screenshots/ (not committed)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from playwright.async_api import Browser, Locator, Page, Route, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PHONE,
    SCREENSHOTS,
    WIDE,
    AdminApi,
    PageProblems,
    day_text,
    money,
    new_page,
    run_cli,
    sign_in_context,
)

SOURCE_SENTENCE = (
    "The changes done on the Licenses page are the source of how your invoice will be adjusted "
    "for the next invoicing period."
)


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@pytest.fixture(scope="session")
async def billing_story(admin_api: AdminApi, server_env: dict[str, str]) -> dict[str, Any]:
    """Licence changes, an invoice issued with them, then more changes for the next one.

    The organisation was created today, so its first invoice is due on the 1st of next month:
    the command line issues it ahead of time (`--at`). Ingrid and Tilo get licences before
    that invoice; after it, Paula gets one (a charge) and Tilo leaves (a credit)."""
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["used"])
    await admin_api.add_person("Ingrid Invoiced", login_access=True)
    tilo = await admin_api.add_person("Tilo Terminated", login_access=True)
    issue_at = datetime.combine(first_of_next_month(datetime.now(UTC).date()), datetime.min.time())
    run_cli(server_env, "issue-invoices", "--at", f"{issue_at.isoformat()}+00:00")
    invoices = await admin_api.query("{ invoices(first: 5) { edges { node { number total } } } }")
    await admin_api.add_person("Paula Planner", login_access=True)
    assert await admin_api.terminate(tilo, datetime.now(UTC).date().isoformat()) == (
        "TerminateSuccess"
    )
    return {"invoice": invoices["invoices"]["edges"][0]["node"]}


async def open_plan(page: Page) -> None:
    await page.goto("/#/plan")
    await expect(page.get_by_role("heading", name="Plan", level=1)).to_be_visible()
    await expect(page.get_by_test_id("plan-name")).to_be_visible()


def lines_for(invoice: dict[str, Any], person: str) -> list[dict[str, Any]]:
    return [line for line in invoice["lines"] if (line["resource"] or {}).get("name") == person]


def as_shown(description: str, currency: str) -> str:
    """A line's text as the API has it, with days and amounts as the page writes them
    ("2026-11-16" as "16 Nov 2026", "12.00 EUR" as "€12.00"; issue 12 item 11)."""
    shown = re.sub(
        r"\b(\d{4})-(\d{2})-(\d{2})\b",
        lambda m: day_text(date(int(m[1]), int(m[2]), int(m[3]))),
        description,
    )
    return re.sub(
        rf"(-?)([\d,]+)\.(\d{{2}}) {currency}\b",
        lambda m: money(int(m[1] + m[2].replace(",", "") + m[3]), currency),
        shown,
    )


def line_row(scope: Locator, text: str) -> Locator:
    return scope.locator("tr.invoice-line", has_text=text)


async def test_r10_the_plan_page_shows_the_plan_subscription_and_next_invoice(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, billing_story: dict[str, Any]
) -> None:
    plan = await admin_api.plan()
    expected = await admin_api.next_invoice()
    page, _ = admin_page
    await open_plan(page)

    await expect(page.get_by_text(SOURCE_SENTENCE)).to_be_visible()
    await expect(page.get_by_test_id("plan-name")).to_have_text(plan["name"])
    await expect(page.get_by_test_id("plan-price")).to_have_text(
        money(plan["pricePerLicense"], plan["currency"])
    )
    subscription = page.get_by_test_id("subscription")
    await expect(subscription).to_have_count(1)
    await expect(subscription).to_contain_text(plan["name"])
    await expect(subscription).to_contain_text("Plan")
    await expect(subscription).to_contain_text("Active")

    # The preview, line for line as the API has it; adjustments name the person who caused them.
    card = page.locator("section.next-invoice")
    currency = expected["currency"]
    await expect(card.locator("tr.invoice-line")).to_have_count(len(expected["lines"]))
    for line in expected["lines"]:
        row = line_row(card, as_shown(line["description"], currency)).first
        await expect(row.locator("td[data-label='Amount']")).to_have_text(
            money(line["amount"], currency)
        )
    paula = lines_for(expected, "Paula Planner")
    tilo = lines_for(expected, "Tilo Terminated")
    assert len(paula) == 1 and paula[0]["amount"] > 0, expected["lines"]
    assert len(tilo) == 1 and tilo[0]["amount"] < 0, expected["lines"]

    charge = line_row(card, "Paula Planner")
    await expect(charge).to_contain_text("Charge")
    await expect(charge).to_contain_text("by Erika Admin")
    await expect(charge.locator("td[data-label='Amount']")).to_have_text(
        money(paula[0]["amount"], currency)
    )
    credit = line_row(card, "Tilo Terminated")
    await expect(credit).to_contain_text("Credit")
    await expect(credit.locator("td[data-label='Amount']")).to_have_text(
        money(tilo[0]["amount"], currency)
    )
    assert money(tilo[0]["amount"], currency).startswith("\u2212")
    await expect(card.get_by_test_id("invoice-total")).to_have_text(
        money(expected["total"], currency)
    )

    # The issued invoice opens to its lines, which hold the changes made before it.
    issued = billing_story["invoice"]
    invoices = page.locator("section.past-invoices")
    summary = invoices.locator("summary", has_text=issued["number"])
    await expect(summary).to_contain_text(money(issued["total"], currency))
    lines = invoices.locator(".invoice-detail").first
    await expect(lines).not_to_be_visible()
    await summary.focus()
    await page.keyboard.press("Enter")
    await expect(line_row(lines, "Ingrid Invoiced")).to_contain_text("Charge")
    await expect(lines.get_by_test_id("invoice-total")).to_have_text(
        money(issued["total"], currency)
    )


async def test_a_plan_that_cannot_be_loaded_says_so_and_loads_on_retry(
    admin_page: tuple[Page, PageProblems], billing_story: dict[str, Any]
) -> None:
    page, problems = admin_page
    failures = 0

    async def fail_once(route: Route) -> None:
        nonlocal failures
        if "query PlanPage(" in route.request.post_data_json["query"] and failures == 0:
            failures += 1
            await route.abort("failed")
        else:
            await route.continue_()

    await page.route("**/graphql", fail_once)
    await page.goto("/#/plan")
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("The plan could not be loaded.")
    await expect(alert).to_contain_text("The server cannot be reached.")
    await alert.get_by_role("button", name="Try again").click()
    await expect(page.get_by_test_id("plan-name")).to_be_visible()
    await expect(alert).to_have_count(0)
    problems.errors[:] = [e for e in problems.errors if "ERR_FAILED" not in e]


async def test_r11_a_resource_manager_reads_that_billing_is_for_administrators(
    browser: Browser, base_url: str, admin_api: AdminApi
) -> None:
    await admin_api.add_person(
        "Rune Manager",
        email="rune.manager@e2e.example",
        kind="EXTERNAL_CONSULTANT",
        role="RESOURCE_MANAGER",
        login_access=True,
        password="manager-password",
    )
    context, page, problems = await new_page(browser, base_url)
    await sign_in_context(context, "rune.manager@e2e.example", "manager-password")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.post_data or "") if "/graphql" in r.url else None)
    await page.goto("/#/plan")
    await expect(page.get_by_role("heading", name="Billing is for administrators")).to_be_visible()
    await expect(page.get_by_text("Rune Manager (Resource manager)")).to_be_visible()
    assert not [body for body in asked if "PlanPage" in body], "no request the API would refuse"
    await context.close()
    assert problems.errors == []


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
async def test_screenshots_of_the_plan_page(
    browser: Browser,
    base_url: str,
    admin_api: AdminApi,
    billing_story: dict[str, Any],
    viewport: dict[str, int],
) -> None:
    width = viewport["width"]
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
    await open_plan(page)
    await page.locator("section.past-invoices summary").first.click()
    await expect(page.locator("section.past-invoices .invoice-detail").first).to_be_visible()

    plan_box = await page.locator("section.plan-summary").bounding_box()
    invoice_box = await page.locator("section.next-invoice").bounding_box()
    assert plan_box and invoice_box
    if width >= 1280:
        assert plan_box["x"] > invoice_box["x"] + invoice_box["width"] - 1, "plan at the right"
    else:
        assert plan_box["y"] + plan_box["height"] <= invoice_box["y"], "plan above the invoice"
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"plan-{width}.png", full_page=True)
    await context.close()
    assert problems.errors == []
