"""The licences page in real Chromium: sign in, login access with and without a free licence,
the refused reduction, termination, history, and markup in names shown as text. Screenshots
of both pages at 1280 px and 390 px go to var/screenshots/ (not committed)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PHONE,
    SCREENSHOTS,
    WIDE,
    AdminApi,
    PageProblems,
    new_page,
    sign_in_context,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the browser tests run once, in the SQLite run",
)

XSS_NAME = "<img src=x onerror=alert(1)>"


async def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / name, full_page=full_page)


async def open_licenses(page: Page) -> None:
    await page.goto("/#/licenses")
    await expect(page.get_by_role("heading", name="Licenses", level=1)).to_be_visible()
    await expect(page.get_by_test_id("license-count")).to_have_text(re.compile(r"^\d+$"))
    await expect(page.locator("resource-list li.resource-row").first).to_be_visible()


async def go_to(page: Page, name: str) -> None:
    nav = page.get_by_role("navigation", name="Settings")
    await nav.get_by_role("link", name=name, exact=True).click()
    await expect(page.get_by_role("heading", name=name, level=1)).to_be_focused()


async def expect_panel(page: Page, *, count: int, used: int, available: int) -> None:
    await expect(page.get_by_test_id("license-count")).to_have_text(str(count))
    await expect(page.get_by_test_id("licenses-used")).to_have_text(str(used))
    await expect(page.get_by_test_id("licenses-available")).to_have_text(str(available))


async def test_signs_in_and_out_through_the_form(
    browser: Browser, base_url: str, admin_api: AdminApi
) -> None:
    context, page, problems = await new_page(browser, base_url)
    await page.goto("/")
    await page.get_by_label("E-mail address").fill(ADMIN_EMAIL)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "The e-mail address or the password is wrong."
    )

    await page.get_by_label("Password").fill(ADMIN_PASSWORD)
    await page.get_by_label("Password").press("Enter")
    await expect(page.get_by_role("heading", name="Licenses", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Settings")
    for name in ["Licenses", "Plan", "History"]:
        await expect(nav.get_by_role("link", name=name)).to_be_visible()

    await nav.get_by_role("link", name="Plan").click()
    await expect(page.get_by_text("Plan and invoices will appear here")).to_be_visible()

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await expect(page.get_by_text("You are signed out.")).to_be_visible()
    await context.close()
    assert problems.errors == []


async def test_a_member_is_told_the_page_is_for_administrators(
    browser: Browser, base_url: str, admin_api: AdminApi
) -> None:
    await admin_api.add_person(
        "Max Member",
        email="max.member@e2e.example",
        kind="EXTERNAL_CONSULTANT",
        login_access=True,
        password="member-password",
    )
    context, page, problems = await new_page(browser, base_url)
    await sign_in_context(context, "max.member@e2e.example", "member-password")
    await page.goto("/")
    await expect(
        page.get_by_text("This page is for administrators and users with access to resources.")
    ).to_be_visible()
    await expect(page.get_by_role("navigation", name="Settings")).to_have_count(0)
    await context.close()
    assert problems.errors == []


async def test_r4_ticking_a_box_uses_a_free_licence(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    await admin_api.add_person("Fiona Free")
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["used"] + 1)
    page, _ = admin_page
    await open_licenses(page)
    await expect_panel(page, count=seats["used"] + 1, used=seats["used"], available=1)

    # With the keyboard: focus the box and press Space.
    box = page.get_by_label("Login access for Fiona Free")
    await box.focus()
    await page.keyboard.press("Space")

    await expect_panel(page, count=seats["used"] + 1, used=seats["used"] + 1, available=0)
    await expect(box).to_be_checked()
    await expect(box).to_be_focused()
    await expect(page.locator("confirm-dialog dialog")).not_to_be_visible()
    assert (await admin_api.seats())["used"] == seats["used"] + 1


async def test_r4_ticking_a_box_with_no_licence_free_asks_first(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    await admin_api.add_person("Nils Needsone")
    seats = await admin_api.seats()
    n = seats["used"]
    await admin_api.set_license_count(n)
    page, _ = admin_page
    await open_licenses(page)
    box = page.get_by_label("Login access for Nils Needsone")

    await box.check()
    dialog = page.get_by_role("dialog", name="Add a license?")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text(f"raises the number of licenses from {n} to {n + 1}")
    await expect(dialog.locator("[data-slot='invoice-impact']")).to_be_visible()
    await screenshot(page, "confirm-increase-1280.png")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).not_to_be_visible()
    await expect(box).not_to_be_checked()
    await expect_panel(page, count=n, used=n, available=0)
    assert await admin_api.seats() == seats

    await box.check()
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name="Add license and give access").click()
    await expect(dialog).not_to_be_visible()
    await expect(box).to_be_checked()
    await expect_panel(page, count=n + 1, used=n + 1, available=0)
    latest = (await admin_api.history(1))[0]
    assert (latest["fromCount"], latest["toCount"], latest["reason"]) == (
        n,
        n + 1,
        "AUTO_INCREASE",
    )
    assert latest["resource"]["name"] == "Nils Needsone"


async def test_r6_adding_a_co_worker_with_access_asks_before_adding_a_licence(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    seats = await admin_api.seats()
    n = seats["used"]
    await admin_api.set_license_count(n)
    page, _ = admin_page
    await open_licenses(page)

    await page.get_by_role("button", name="Add co-worker").click()
    form = page.get_by_role("dialog", name="Add co-worker")
    await form.get_by_label("Full name").fill("Olga Onboarded")
    await form.get_by_label("E-mail address").fill("olga@e2e.example")
    await form.get_by_label("Login access").check()
    await form.get_by_role("button", name="Add co-worker").click()

    question = page.get_by_role("dialog", name="Add a license?")
    await expect(question).to_contain_text(f"from {n} to {n + 1}")
    await question.get_by_role("button", name="Add license and give access").click()
    await expect(form).not_to_be_visible()
    await expect(page.get_by_label("Login access for Olga Onboarded")).to_be_checked()
    await expect_panel(page, count=n + 1, used=n + 1, available=0)


async def test_r3_lowering_the_count_below_usage_is_refused_with_the_reason(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    seats = await admin_api.seats()
    page, _ = admin_page
    await open_licenses(page)

    await page.get_by_role("button", name="Edit the number of licenses").click()
    field = page.get_by_label("Number of licenses")
    await expect(field).to_be_focused()
    await field.fill(str(seats["used"] - 1))
    await page.get_by_role("button", name="Save").click()

    refusal = page.locator("seat-summary").get_by_role("alert")
    await expect(refusal).to_contain_text(f"{seats['used']} licences are in use")
    await expect(refusal).to_contain_text("Remove login access from someone first")
    await screenshot(page, "license-refusal-1280.png")
    assert await admin_api.seats() == seats

    await page.get_by_role("button", name="Cancel").click()
    await expect_panel(
        page, count=seats["licenseCount"], used=seats["used"], available=seats["available"]
    )


async def test_r7_terminating_today_lowers_the_count_and_writes_history(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    await admin_api.add_person("Lars Leaving", login_access=True)
    seats = await admin_api.seats()
    page, _ = admin_page
    await open_licenses(page)

    await page.get_by_role("button", name="Terminate Lars Leaving").click()
    dialog = page.get_by_role("dialog", name="Terminate user account")
    await expect(dialog).to_be_visible()
    # The organisation keeps its days in UTC (create-admin's default).
    today = datetime.now(UTC).date().isoformat()
    await expect(dialog.get_by_label("Last work day")).to_have_value(today)
    await expect(dialog).to_contain_text(
        f"goes down from {seats['licenseCount']} to {seats['licenseCount'] - 1}"
    )
    await screenshot(page, "terminate-1280.png")
    await dialog.get_by_role("button", name="Terminate").click()
    await expect(dialog).not_to_be_visible()

    await expect_panel(
        page,
        count=seats["licenseCount"] - 1,
        used=seats["used"] - 1,
        available=seats["available"],
    )
    await expect(page.get_by_label("Login access for Lars Leaving")).to_have_count(0)
    await expect(page.get_by_role("status")).to_contain_text("Lars Leaving is terminated")

    await go_to(page, "History")
    first_row = page.locator("history-table tbody tr").first
    await expect(first_row).to_contain_text("Termination")
    await expect(first_row).to_contain_text("Lars Leaving")
    await expect(first_row).to_contain_text(str(seats["licenseCount"] - 1))
    await expect(page.locator("history-chart svg")).to_be_visible()

    # Inactive people come back with the switch, and can be reactivated.
    await go_to(page, "Licenses")
    await page.get_by_role("switch", name="Show inactive").check()
    await page.get_by_role("button", name="Reactivate Lars Leaving").click()
    await expect(page.get_by_label("Login access for Lars Leaving")).to_be_enabled()
    await expect(page.get_by_label("Login access for Lars Leaving")).not_to_be_checked()


async def test_the_history_exports_as_csv(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    page, _ = admin_page
    await page.goto("/#/history")
    link = page.get_by_role("link", name="Export CSV")
    await expect(link).to_have_attribute("href", "/history.csv")
    response = await page.request.get("/history.csv")
    assert response.ok
    assert response.headers["content-type"].startswith("text/csv")
    assert (await response.text()).startswith("occurred_at,from,to,reason,actor,resource")


async def test_markup_in_a_name_is_shown_as_text(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    await admin_api.add_person(XSS_NAME, email="probe@e2e.example", login_access=True)
    page, problems = admin_page
    await page.goto("/#/licenses")
    await expect(page.get_by_text(XSS_NAME, exact=True).first).to_be_visible()
    await expect(page.get_by_label(f"Login access for {XSS_NAME}")).to_be_checked()
    await go_to(page, "History")
    await expect(page.locator("history-table tbody tr").first).to_be_visible()
    await go_to(page, "Licenses")
    await expect(page.get_by_text(XSS_NAME, exact=True).first).to_be_visible()
    assert await page.locator("app-shell img").count() == 0
    assert problems.dialogs == []


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
async def test_screenshots_of_the_licenses_page_and_the_history(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
    await open_licenses(page)
    panel = page.locator("seat-summary")
    listing = page.locator("resource-list").first
    panel_box, list_box = await panel.bounding_box(), await listing.bounding_box()
    assert panel_box and list_box
    if width >= 1280:
        assert panel_box["x"] > list_box["x"] + list_box["width"] - 1, "panel at the right"
        assert panel_box["y"] < list_box["y"] + 60, "panel at the top"
    else:
        assert panel_box["y"] + panel_box["height"] <= list_box["y"], "panel above the list"
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
    await screenshot(page, f"licenses-{width}.png", full_page=True)

    await go_to(page, "History")
    await expect(page.locator("history-chart svg path.chart-line")).to_be_visible()
    await expect(page.locator("history-table tbody tr").first).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
    await screenshot(page, f"history-{width}.png", full_page=True)
    await context.close()
    assert problems.errors == []
