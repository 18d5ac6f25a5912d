"""The unused licenses (issue 15, R19) in real Chromium, at 1280 px and 390 px: reached from
the licenses page by keyboard; the people who hold a license and have not been active for the
organisation's number of days, never active first, each with what their license costs a
month, and the total; the number of days changed by an administrator, a wrong one refused at
the field; the "Last active" column of the licenses list and the two times on a person's page.
Screenshots go to var/screenshots/."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from server.api import ids
from tests.e2e.conftest import (
    AdminApi,
    money,
    screenshot,
)


def age(server_env: dict[str, str], resource_id: str, *, created_days: int, active_days=None):
    """Moves a person's registration (and last activity, if given) into the past, in the
    browser tests' database: the service writes these times itself only as they happen."""
    now = datetime.now(UTC)
    moment = lambda days: (now - timedelta(days=days)).isoformat(" ")  # noqa: E731
    path = server_env["DATABASE_URL"].removeprefix("sqlite://")
    with sqlite3.connect(path, timeout=10) as db:
        db.execute(
            'UPDATE "resource" SET "created_at"=?, "last_active_at"=? WHERE "id"=?',
            [
                moment(created_days),
                None if active_days is None else moment(active_days),
                ids.decode(resource_id, ids.RESOURCE, "id"),
            ],
        )


async def fits(page: Page, width: int) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


async def unused(admin_api: AdminApi) -> dict:
    data = await admin_api.query(
        """{ unusedLicenses(first: 500) { totalCount totalMonthlyCost monthlyCost currency
            unusedAfterDays edges { node { resource { name } } } } }"""
    )
    return data["unusedLicenses"]


async def test_issue_15_unused_licences_listed_with_their_cost(
    admin_at_width: tuple[Page, int], admin_api: AdminApi, server_env: dict[str, str]
) -> None:
    """issue 15: unused licences, R19: reached from the licenses page with the keyboard; the
    never active first, then the longest idle; what each costs a month and the total; people
    active lately, without access or consultants are not listed."""
    page, width = admin_at_width
    await admin_api.query("mutation { setUnusedAfterDays(days: 30) { __typename } }")
    never = await admin_api.add_person(f"Nils Never {width}", login_access=True)
    idle = await admin_api.add_person(f"Ida Idle {width}", login_access=True)
    busy = await admin_api.add_person(f"Britt Busy {width}", login_access=True)
    without = await admin_api.add_person(f"Olle Offline {width}")
    age(server_env, never, created_days=80)
    age(server_env, idle, created_days=200, active_days=45)
    age(server_env, busy, created_days=200, active_days=3)
    age(server_env, without, created_days=200, active_days=90)
    expected = await unused(admin_api)
    names = [edge["node"]["resource"]["name"] for edge in expected["edges"]]
    assert f"Nils Never {width}" in names and f"Ida Idle {width}" in names
    assert f"Britt Busy {width}" not in names and f"Olle Offline {width}" not in names

    await page.goto("/#/licenses")
    link = page.get_by_role("link", name="Unused licenses")
    await expect(link).to_be_visible()
    await link.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Unused licenses", level=1)).to_be_visible()
    table = page.get_by_role("table")
    await expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    await expect(rows).to_have_count(expected["totalCount"])
    shown = [text.strip() for text in await rows.locator("td:first-child a").all_inner_texts()]
    assert shown == names
    never_row = rows.filter(has_text=f"Nils Never {width}")
    await expect(never_row).to_contain_text("never")
    idle_row = rows.filter(has_text=f"Ida Idle {width}")
    await expect(idle_row.locator("time")).to_have_text("last month")
    stamp = await idle_row.locator("time").get_attribute("datetime")
    idle_since = datetime.now(UTC) - timedelta(days=45)
    assert abs(datetime.fromisoformat(stamp) - idle_since) < timedelta(minutes=5)
    assert await idle_row.locator("time").get_attribute("title")
    price = money(expected["monthlyCost"], expected["currency"])
    await expect(idle_row).to_contain_text(price)
    await expect(page.get_by_test_id("unused-total")).to_have_text(
        money(expected["totalMonthlyCost"], expected["currency"])
    )
    await expect(page.get_by_role("status").first).to_contain_text(
        f"{expected['totalCount']} licenses unused"
    )
    await screenshot(page, f"unused-licenses-{width}.png")
    await fits(page, width)


async def test_issue_15_unused_licences_an_administrator_sets_the_days(
    admin_at_width: tuple[Page, int], admin_api: AdminApi, server_env: dict[str, str]
) -> None:
    """issue 15: unused licences, R19, R14: the number of days is changed at its field with
    the keyboard; 0 is refused there with the server's words, and nothing changes; a longer
    number leaves the recently idle out."""
    page, width = admin_at_width
    await admin_api.query("mutation { setUnusedAfterDays(days: 30) { __typename } }")
    idle = await admin_api.add_person(f"Siri Sixty {width}", login_access=True)
    age(server_env, idle, created_days=300, active_days=40)
    await page.goto("/#/unused")
    await expect(page.get_by_role("heading", name="Not active for 30 days")).to_be_visible()
    await expect(page.get_by_role("link", name=f"Siri Sixty {width}")).to_be_visible()
    field = page.get_by_label("Days without activity")
    await field.fill("0")
    await field.press("Enter")
    await expect(page.locator("#unused-days-error")).to_contain_text("1 to 365")
    await expect(field).to_have_attribute("aria-invalid", "true")
    await expect(field).to_be_focused()
    assert (await unused(admin_api))["unusedAfterDays"] == 30
    await screenshot(page, f"unused-licenses-refused-{width}.png")

    await field.fill("60")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Not active for 60 days")).to_be_visible()
    await expect(page.get_by_role("link", name=f"Siri Sixty {width}")).to_have_count(0)
    assert (await unused(admin_api))["unusedAfterDays"] == 60
    await admin_api.query("mutation { setUnusedAfterDays(days: 30) { __typename } }")
    await fits(page, width)


async def test_issue_15_last_active_in_the_list_and_on_the_person_page(
    admin_at_width: tuple[Page, int], admin_api: AdminApi, server_env: dict[str, str]
) -> None:
    """issue 15: last active, R19: the licenses list says how long ago each person was last
    active ("never" when never), the exact time in the title and `datetime`; the person's page
    shows the last sign-in and the last activity."""
    page, width = admin_at_width
    name = f"Lea Lately {width}"
    person = await admin_api.add_person(name, login_access=True)
    age(server_env, person, created_days=30, active_days=3)
    await page.goto("/#/licenses")
    await page.get_by_label("Search people").fill(name)
    row = page.locator("li.resource-row", has_text=name)
    await expect(row.locator("time")).to_have_text("3 days ago")
    assert await row.locator("time").get_attribute("title")
    fresh = f"Nora Newcomer {width}"
    await admin_api.add_person(fresh, login_access=True)
    await page.get_by_label("Search people").fill(fresh)
    await expect(page.locator("li.resource-row", has_text=fresh)).to_contain_text("never")
    await fits(page, width)
    await screenshot(page, f"licenses-last-active-{width}.png")

    await page.goto(f"/#/person/{person}")
    await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    await expect(page.get_by_test_id("last-active").locator("time")).to_have_text("3 days ago")
    await expect(page.get_by_test_id("last-signed-in")).to_have_text("Never")
    await fits(page, width)
    await screenshot(page, f"person-last-active-{width}.png")
