"""Issue 12 items 2–4 in real Chromium, at 1280 px and 390 px: a throttled sign-in says how
long to wait and counts it down (R11); editing the licence count shows its prorated charge or
credit before saving, as the server prices it, and removes the unused licences in one click
(R3, R9); the history chart's axis follows the date range, keeps same-day changes apart, and
dims what a refused range no longer matches (R15). Screenshots go to var/screenshots/."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, datetime

from playwright.async_api import APIResponse, Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import (
    VIEWPORTS,
    AdminApi,
    PageProblems,
    money,
    new_page,
    prorated,
    route_history_query,
    screenshot,
)

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"


# Item 2: the throttled sign-in.


@VIEWPORTS
async def test_r11_a_throttled_sign_in_counts_the_wait_down_then_signs_in(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    email, password = f"tilda.throttle.{width}@e2e.example", "throttle-password"
    await admin_api.add_person(
        "Tilda Throttle",
        email=email,
        kind="EXTERNAL_CONSULTANT",
        login_access=True,
        password=password,
    )
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    # An address of its own (the server trusts X-Forwarded-For from this machine), so that the
    # per-address back-off of the other tests' sign-ins is not touched.
    await context.set_extra_http_headers({"X-Forwarded-For": f"203.0.113.{width % 250}"})

    async def wrong_guess() -> str:
        response = await context.request.post(
            "/graphql", data={"query": LOGIN, "variables": {"e": email, "p": "wrong"}}
        )
        return (await response.json())["data"]["login"]["__typename"]

    # Five wrong passwords trip the back-off (1 s); two more after each wait make it 4 s.
    for _ in range(5):
        assert await wrong_guess() == "InvalidCredentials"
    for wait in (1, 2):
        await asyncio.sleep(wait + 0.1)
        assert await wrong_guess() == "InvalidCredentials"

    logins: list[str] = []
    page.on("request", lambda r: logins.append(r.url) if "SignIn" in (r.post_data or "") else None)
    await page.goto("/")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    await expect(alert).to_have_text(
        re.compile(r"^Too many failed sign-ins\. Try again in [34] seconds\.$")
    )
    button = page.get_by_role("button", name="Sign in")
    await expect(button).to_have_attribute("aria-disabled", "true")
    await screenshot(page, f"sign-in-throttled-{width}.png")
    # Sending again while waiting sends nothing.
    await page.get_by_label("Password").press("Enter")
    await expect(alert).to_have_text("Too many failed sign-ins. Try again in 2 seconds.")
    await expect(alert).to_have_text("Too many failed sign-ins. Try again in 1 second.")
    assert len(logins) == 1
    await expect(page.get_by_role("status")).to_have_text("You can try again now.", timeout=3000)
    await expect(button).to_have_attribute("aria-disabled", "false")
    await expect(alert).to_have_count(0)

    await page.get_by_label("Password").press("Enter")
    await expect(page.locator("sign-in-form")).to_have_count(0)
    await expect(
        page.get_by_text("This page is for administrators and users with access to resources.")
    ).to_be_visible()
    await context.close()
    assert problems.errors == []


async def test_the_seconds_of_a_wait_are_counted_in_words(
    admin_page: tuple[Page, PageProblems],
) -> None:
    page, _ = admin_page
    await page.goto("/")
    words = await page.evaluate(
        """async () => {
            const { seconds } = await import('/lib/format.js');
            return [0, 1, 2, 59, 1000].map(seconds);
        }"""
    )
    assert words == ["0 seconds", "1 second", "2 seconds", "59 seconds", "1,000 seconds"]


# Item 3: what a new licence count costs, before saving.


def today() -> datetime:
    return datetime.now(UTC)


def charge_text(start: int, to: int, price: int) -> str:
    """The sentence the panel shows, worked out here: R9 for a change today (UTC)."""
    delta = to - start
    # prorated() prices one licence; `abs(delta)` licences are the same sum at delta × price.
    amount = prorated(abs(delta) * price, today().date())
    total = amount + abs(delta) * price
    noun = "license" if to == 1 else "licenses"
    if delta > 0:
        return (
            f"From {start} to {to} {noun}: {money(amount)} charged for the rest of this month, "
            f"and the next invoice grows by {money(total)}."
        )
    credit = (
        f"{money(amount)} credited for the rest of this month"
        if amount
        else ("nothing charged or credited this month")
    )
    return (
        f"From {start} to {to} {noun}: {credit}, and the next invoice goes down by {money(total)}."
    )


@VIEWPORTS
async def test_r9_editing_the_count_shows_the_charge_or_credit_before_saving(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    admin_api: AdminApi,
    viewport: dict[str, int],
) -> None:
    _, page, _ = admin_at
    seats = await admin_api.seats()
    used = seats["used"]
    start = used + 2
    await admin_api.set_license_count(start)
    price = (await admin_api.plan())["pricePerLicense"]
    before = await admin_api.next_invoice()

    await page.goto("/#/licenses")
    await expect(page.get_by_test_id("license-count")).to_have_text(str(start))
    await page.get_by_role("button", name="Edit the number of licenses").click()
    field = page.get_by_label("Number of licenses")
    preview = page.get_by_test_id("license-count-preview")

    await field.fill(str(start + 2))
    await expect(preview).to_have_text(charge_text(start, start + 2, price))
    await screenshot(page, f"license-count-charge-{viewport['width']}.png")
    await field.fill(str(start - 1))
    await expect(preview).to_have_text(charge_text(start, start - 1, price))
    await field.fill(str(used - 1))
    await expect(preview).to_have_text(
        re.compile(
            rf"^{used} licenses? (is|are) in use, so the count cannot go down to {used - 1}\."
        )
    )
    await field.fill(str(start))
    await expect(preview).to_be_empty()

    # Saved, the next invoice moves by what was shown.
    await field.fill(str(start + 2))
    await expect(preview).to_have_text(charge_text(start, start + 2, price))
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_test_id("license-count")).to_have_text(str(start + 2))
    after = await admin_api.next_invoice()
    amount = prorated(2 * price, today().date())
    assert after["total"] - before["total"] == amount + 2 * price
    assert after["lines"][-1]["amount"] == amount


@VIEWPORTS
async def test_r3_the_unused_licenses_go_in_one_click_with_their_credit_shown(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    admin_api: AdminApi,
    viewport: dict[str, int],
) -> None:
    _, page, _ = admin_at
    used = (await admin_api.seats())["used"]
    start = used + 3
    await admin_api.set_license_count(start)
    price = (await admin_api.plan())["pricePerLicense"]

    await page.goto("/#/licenses")
    await expect(page.get_by_test_id("license-count")).to_have_text(str(start))
    # Keyboard only: Edit, then from the field past Save and Cancel to the offer.
    await page.get_by_role("button", name="Edit the number of licenses").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_label("Number of licenses")).to_be_focused()
    await expect(page.get_by_test_id("license-reduce-cost")).to_have_text(
        charge_text(start, used, price)
    )
    offer = page.get_by_role("button", name="Remove the 3 unused licenses")
    await expect(offer).to_have_accessible_description(charge_text(start, used, price))
    await screenshot(page, f"license-count-remove-unused-{viewport['width']}.png")
    for _ in range(3):
        await page.keyboard.press("Tab")
    await expect(offer).to_be_focused()
    await page.keyboard.press("Enter")

    await expect(page.get_by_test_id("license-count")).to_have_text(str(used))
    await expect(page.get_by_test_id("licenses-available")).to_have_text("0")
    seats = await admin_api.seats()
    assert (seats["licenseCount"], seats["reducibleBy"]) == (used, 0)
    assert (await admin_api.history(1))[0] | {"resource": None} == {
        "fromCount": start,
        "toCount": used,
        "reason": "MANUAL",
        "resource": None,
    }
    # With nothing unused, nothing is offered.
    await page.get_by_role("button", name="Edit the number of licenses").click()
    await expect(page.get_by_role("button", name=re.compile("^Remove the"))).to_have_count(0)


# Item 4: the history chart follows the date range.


def usage_point(at: str, count: int, used: int) -> dict[str, object]:
    return {"occurredAt": at, "licenseCount": count, "used": used}


NOVEMBER = [
    usage_point("2026-11-03T09:00:00+00:00", 6, 4),
    # Four changes on one day: each must stay a step of its own.
    usage_point("2026-11-12T09:00:00+00:00", 7, 5),
    usage_point("2026-11-12T10:30:00+00:00", 8, 6),
    usage_point("2026-11-12T11:00:00+00:00", 9, 6),
    usage_point("2026-11-12T15:45:00+00:00", 8, 6),
    usage_point("2026-11-18T12:00:00+00:00", 8, 7),
]


async def answer_history_with(page: Page, usage: list[dict[str, object]]) -> list[dict]:
    """The page's history query answered with `usage` (days before any change the browser
    tests can make), the history rows as the server has them."""

    async def answer(route: Route, body: dict, response: APIResponse) -> None:
        data = await response.json()
        data["data"]["seatUsage"] = (
            usage if body["variables"]["from"] else data["data"]["seatUsage"]
        )
        await route.fulfill(response=response, json=data)

    return await route_history_query(page, answer)


def steps(path: str) -> list[float]:
    """The x of each horizontal step of a chart line ("H…" commands), in order."""
    return [float(x) for x in re.findall(r"H(-?[\d.]+)", path)]


@VIEWPORTS
async def test_r15_the_chart_axis_spans_the_date_range_and_same_day_changes_stay_apart(
    admin_at: tuple[BrowserContext, Page, PageProblems], viewport: dict[str, int]
) -> None:
    _, page, _ = admin_at
    sent = await answer_history_with(page, NOVEMBER)
    await page.goto("/#/history")
    chart = page.locator("history-chart svg")
    await expect(chart).to_be_visible()

    await page.get_by_label("From").fill("2026-11-01")
    await page.get_by_label("To").fill("2026-11-20")
    await page.get_by_role("button", name="Apply").click()
    await expect(chart).to_have_attribute("data-axis-start", "2026-11-01T00:00:00.000Z")
    await expect(chart).to_have_attribute("data-axis-end", "2026-11-20T23:59:59.999Z")
    assert sent[-1]["from"] == "2026-11-01" and sent[-1]["to"] == "2026-11-20"
    labels = await chart.locator(".chart-x-axis text").all_text_contents()
    assert labels[0] == "1 Nov" and labels[-1] == "20 Nov", labels
    assert not any(re.search(r"\d:\d", label) for label in labels), labels

    # The first change sits about 2/20 of the way along, not at the left edge.
    box = await chart.bounding_box()
    assert box
    left = 44
    licenses = await chart.locator('path[data-series="licenses"]').get_attribute("d")
    assert licenses
    first_x = float(re.match(r"M(-?[\d.]+)", licenses).group(1))
    right_end = steps(licenses)[-1]
    share = (first_x - left) / (right_end - left)
    assert 0.08 < share < 0.13, share
    # The four changes of 12 Nov are four steps, each a few pixels from the one before,
    # well before the right edge.
    same_day = steps(licenses)[:4]
    gaps = [b - a for a, b in itertools.pairwise(same_day)]
    assert all(gap >= 7.9 for gap in gaps), same_day
    assert same_day[-1] < right_end - 0.2 * (right_end - left), (same_day, right_end)
    await screenshot(page, f"history-november-{viewport['width']}.png")


@VIEWPORTS
async def test_r15_a_refused_range_dims_the_results_it_does_not_match(
    admin_at: tuple[BrowserContext, Page, PageProblems], viewport: dict[str, int]
) -> None:
    _, page, _ = admin_at
    await answer_history_with(page, NOVEMBER)
    await page.goto("/#/history")
    await page.get_by_label("From").fill("2026-11-01")
    await page.get_by_label("To").fill("2026-11-20")
    await page.get_by_role("button", name="Apply").click()
    chart_card = page.locator(".history-chart-card")
    table_card = page.locator(".history-table-card")
    await expect(page.locator("history-chart svg")).to_have_attribute(
        "data-axis-end", "2026-11-20T23:59:59.999Z"
    )

    await page.get_by_label("From").fill("2026-11-20")
    await page.get_by_label("To").fill("2026-11-01")
    await page.get_by_role("button", name="Apply").click()
    await expect(page.get_by_text("The start of the range is after its end.")).to_be_visible()
    for card in (chart_card, table_card):
        await expect(card).to_have_class(re.compile(r"\bis-stale\b"))
        await expect(card).to_have_attribute("inert", "")
        assert float(await card.evaluate("(el) => getComputedStyle(el).opacity")) < 0.5
    await screenshot(page, f"history-refused-range-{viewport['width']}.png")

    # A range that can be read brings the results back.
    await page.get_by_label("From").fill("2026-11-01")
    await page.get_by_role("button", name="Apply").click()
    await expect(page.get_by_text("The start of the range is after its end.")).to_have_count(0)
    for card in (chart_card, table_card):
        await expect(card).not_to_have_class(re.compile(r"\bis-stale\b"))
        await expect(card).not_to_have_attribute("inert", "")
