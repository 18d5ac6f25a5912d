"""Bulk changes (issue 15, R19) in real Chromium, at 1280 px and 390 px: people selected with
their boxes on the unused licenses and on the licenses list, all shown or all matching a
search; the bar shown while some are; one confirmation that shows what the server's preview
says (who changes, who is skipped and why, the license count before and after, the licenses
freed, the next invoice), and the change saved in one request with one idempotency key; the
server's state afterwards. Screenshots go to var/screenshots/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.async_api import Browser, Locator, Page, Request, Route, expect

from tests.e2e.conftest import (
    VIEWPORTS,
    AdminApi,
    PageProblems,
    day_text,
    lose_the_first_answer,
    money,
    new_page,
    prorated,
    screenshot,
    sign_in_context,
)
from tests.e2e.test_licenses_page import expect_panel, graphql_calls, open_licenses
from tests.e2e.test_unused_page import age, fits

PREVIEW = """query($action: BulkAction!, $ids: [ID!]!, $day: Date, $reduce: Boolean!) {
    bulkChangePreview(action: $action, resourceIds: $ids, lastWorkDay: $day,
                      reduceLicenseCount: $reduce) {
        people { resource { name } changed code message }
        changedCount currentCount newCount usedBefore usedAfter licensesFreed
        nextInvoiceChange currency needsIncrease needsApproval message
    }
}"""


async def server_preview(
    admin_api: AdminApi,
    action: str,
    ids: list[str],
    *,
    last_work_day: str | None = None,
    reduce: bool = False,
) -> dict[str, Any]:
    """What the server says the change would do (changes nothing), to compare the dialog with."""
    data = await admin_api.query(PREVIEW, action=action, ids=ids, day=last_work_day, reduce=reduce)
    return data["bulkChangePreview"]


def invoice_text(amount: int, currency: str) -> str:
    """How the dialog words a change of the next invoice: "+€26.00 charge", "−€4.26 credit"."""
    if amount > 0:
        return f"+{money(amount, currency)} charge"
    if amount < 0:
        return f"{money(amount, currency)} credit"
    return "No change"


def watch_requests(page: Page) -> list[Request]:
    requests: list[Request] = []
    page.on("request", lambda r: requests.append(r) if "/graphql" in r.url else None)
    return requests


async def expect_figures(page: Page, preview: dict[str, Any], total: int) -> None:
    """The dialog's figures are the server's preview, worded for a person."""
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_test_id("bulk-message")).to_have_text(preview["message"])
    await expect(dialog.get_by_test_id("bulk-changed")).to_have_text(
        f"{preview['changedCount']} of {total}"
    )
    await expect(dialog.get_by_test_id("bulk-count")).to_have_text(
        f"{preview['currentCount']} → {preview['newCount']}"
    )
    await expect(dialog.get_by_test_id("bulk-used")).to_have_text(
        f"{preview['usedBefore']} → {preview['usedAfter']}"
    )
    await expect(dialog.get_by_test_id("bulk-invoice")).to_have_text(
        invoice_text(preview["nextInvoiceChange"], preview["currency"])
    )


def selected(page: Page) -> Locator:
    """The bar shown while people are selected."""
    return page.get_by_role("region", name="Selected people")


async def confirm(page: Page, name: str) -> None:
    """Presses the dialog's confirm button once the preview of the choices shown is there."""
    button = page.get_by_role("dialog").get_by_role("button", name=name)
    await expect(button).to_have_attribute("aria-disabled", "false")
    await button.click()


async def test_r19_r5_r3_removing_unused_licences_in_bulk_and_reducing_the_count(
    admin_at_width: tuple[Page, int], admin_api: AdminApi, server_env: dict[str, str]
) -> None:
    """R19, R5, R3, R13: two people are selected on the unused licenses (one with the
    keyboard); the dialog shows the server's preview of removing their access with the count
    reduced by the two licenses freed, as a credit on the next invoice; confirmed, their access
    is gone, the count is two lower with one MANUAL history row, and the list and the bar say
    so. The change went in one request with a key and the count it was confirmed against."""
    page, width = admin_at_width
    await admin_api.query("mutation { setUnusedAfterDays(days: 30) { __typename } }")
    names = [f"Ulf Unused {width}", f"Ylva Unused {width}"]
    ids = [await admin_api.add_person(name, login_access=True) for name in names]
    age(server_env, ids[0], created_days=120, active_days=60)
    age(server_env, ids[1], created_days=90)
    seats = await admin_api.seats()
    count, used = seats["licenseCount"], seats["used"]
    requests = watch_requests(page)

    await page.goto("/#/unused")
    await expect(page.get_by_role("link", name=names[0])).to_be_visible()
    bar = selected(page)
    await expect(bar).to_be_hidden()
    first = page.get_by_label(f"Select {names[0]}")
    await first.focus()
    await page.keyboard.press("Space")
    await expect(first).to_be_checked()
    await page.get_by_label(f"Select {names[1]}").check()
    await expect(bar).to_be_visible()
    await expect(bar.get_by_test_id("bulk-selected")).to_have_text("2 selected")
    await fits(page, width)

    await bar.get_by_role("button", name="Remove access").click()
    dialog = page.get_by_role("dialog", name="Remove login access from 2 people")
    await expect(dialog).to_be_visible()
    reduce = dialog.get_by_label("Also reduce the license count by the 2 licenses freed")
    await expect(reduce).to_be_focused()
    await expect(dialog.get_by_test_id("bulk-count")).to_have_text(f"{count} → {count}")
    await reduce.check()

    preview = await server_preview(admin_api, "REMOVE_ACCESS", ids, reduce=True)
    # The server's preview, checked on its own: two licenses freed, and the count two lower.
    assert (preview["changedCount"], preview["licensesFreed"]) == (2, 2)
    assert (preview["currentCount"], preview["newCount"]) == (count, count - 2)
    assert (preview["usedBefore"], preview["usedAfter"]) == (used, used - 2)
    assert preview["nextInvoiceChange"] < 0
    await expect_figures(page, preview, 2)
    await expect(dialog.get_by_test_id("bulk-freed")).to_have_text("2")
    await expect(dialog.get_by_test_id("bulk-skipped")).to_have_count(0)
    await screenshot(page, f"bulk-remove-access-{width}.png", full_page=False)
    await fits(page, width)
    assert await admin_api.seats() == seats  # the preview changed nothing

    async with page.expect_response(
        lambda r: "mutation BulkSetAccess(" in (r.request.post_data or "")
    ) as answer:
        await confirm(page, "Remove access from 2 people")
    result = (await (await answer.value).json())["data"]["bulkSetAccess"]
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("status").filter(has_text=result["message"])).to_be_visible()
    await expect(bar).to_be_hidden()
    await expect(page.locator("#unused-list-title")).to_be_focused()
    for name in names:
        await expect(page.get_by_role("link", name=name)).to_have_count(0)

    after = await admin_api.seats()
    assert (after["licenseCount"], after["used"]) == (count - 2, used - 2)
    for resource_id in ids:
        assert (await admin_api.resource(resource_id))["loginAccess"] is False
    latest = (await admin_api.history(1))[0]
    assert (latest["fromCount"], latest["toCount"], latest["reason"]) == (
        count,
        count - 2,
        "MANUAL",
    )
    (sent,) = graphql_calls(requests, "BulkSetAccess")
    assert sent["key"] and sent["expected"] == count
    assert (sent["enabled"], sent["reduce"], sent["accept"]) == (False, True, False)
    assert sorted(sent["ids"]) == sorted(ids)


async def test_r19_r15_r7_select_all_matching_a_search_then_terminate_with_a_last_work_day(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    """R19, R15, R7: with a search that matches more people than a page shows, "Select all N
    matching" selects exactly the people the search matches, no one else; terminated in bulk
    with yesterday as their last work day, they are all inactive with that day, and the two of
    them who used a license lower the count by two (two TERMINATION rows)."""
    page, width = admin_at_width
    stem = f"Zeta Match {width}"
    matching = [
        await admin_api.add_person(f"{stem} {n:02d}", login_access=n < 2) for n in range(55)
    ]
    other = await admin_api.add_person(f"Zeta Other {width}")
    seats = await admin_api.seats()
    count, used = seats["licenseCount"], seats["used"]
    requests = watch_requests(page)

    await open_licenses(page)
    await page.get_by_label("Search people").fill(stem)
    employees = page.locator('resource-list[kind="EMPLOYEE"]')
    await expect(employees.locator(".resource-count")).to_have_text("55")
    await expect(employees.locator("li.resource-row")).to_have_count(50)
    await employees.get_by_label("Select all 50 shown").check()
    bar = selected(page)
    await expect(bar.get_by_test_id("bulk-selected")).to_have_text("50 selected")
    await employees.get_by_role("button", name="Select all 55 matching").click()
    await expect(bar.get_by_test_id("bulk-selected")).to_have_text("55 selected")
    await expect(employees.get_by_test_id("all-matching-selected")).to_have_text(
        "All 55 matching are selected."
    )
    await fits(page, width)
    await screenshot(page, f"bulk-select-all-matching-{width}.png", full_page=False)

    await bar.get_by_role("button", name="Terminate").click()
    dialog = page.get_by_role("dialog", name="Terminate 55 people")
    day = dialog.get_by_label("Last work day")
    await expect(day).to_have_value(datetime.now(UTC).date().isoformat())
    # A later day schedules each termination; the dialog says so before anything is saved.
    later = datetime.now(UTC).date() + timedelta(days=14)
    await day.fill(later.isoformat())
    await expect(dialog.get_by_role("button", name="Schedule 55 terminations")).to_be_visible()
    await expect(dialog).to_contain_text(
        f"They keep working and signing in until the end of {day_text(later)}."
    )
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    await day.fill(yesterday)
    preview = await server_preview(admin_api, "TERMINATE", matching, last_work_day=yesterday)
    assert (preview["changedCount"], preview["licensesFreed"]) == (55, 2)
    assert (preview["currentCount"], preview["newCount"]) == (count, count - 2)
    await expect_figures(page, preview, 55)
    await expect(dialog.get_by_test_id("bulk-freed")).to_have_text("2")
    await screenshot(page, f"bulk-terminate-{width}.png", full_page=False)
    await fits(page, width)

    await confirm(page, "Terminate 55 people")
    await expect(dialog).to_be_hidden()
    await expect(bar).to_be_hidden()
    await expect(employees.get_by_text(f"No one matches “{stem}”.")).to_be_visible()
    await expect(page.get_by_label("Search people")).to_be_focused()
    await expect_panel(page, count=count - 2, used=used - 2, available=count - used)

    (sent,) = graphql_calls(requests, "BulkTerminate")
    assert sorted(sent["ids"]) == sorted(matching), "exactly the people the search matches"
    assert sent["lastWorkDay"] == yesterday and sent["key"] and sent["expected"] == count
    found = await admin_api.query(
        """query($s: String!) { resources(status: INACTIVE, search: $s, first: 100) {
            totalCount edges { node { id lastWorkDay } } } }""",
        s=stem,
    )
    nodes = [edge["node"] for edge in found["resources"]["edges"]]
    assert sorted(node["id"] for node in nodes) == sorted(matching)
    assert {node["lastWorkDay"] for node in nodes} == {yesterday}
    assert (await admin_api.resource(other))["active"] is True
    rows = await admin_api.history(2)
    assert [row["reason"] for row in rows] == ["TERMINATION", "TERMINATION"]
    assert {row["resource"]["name"] for row in rows} == {f"{stem} 00", f"{stem} 01"}
    assert (rows[-1]["fromCount"], rows[0]["toCount"]) == (count, count - 2)


async def test_r19_r4_giving_access_in_bulk_that_needs_licences_shows_what_it_adds(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    """R19, R4, R9: with every license in use, giving three people access, one of whom has it
    already, shows that one as skipped and why, and that two licenses are added with what they
    add to the next invoice (the rest of the month and the next month's base, per license);
    the button says it adds them. Confirmed, both have access and each has an AUTO_INCREASE
    row."""
    page, width = admin_at_width
    stem = f"Give {width}"
    names = [f"Gita {stem}", f"Gustav {stem}"]
    ids = [await admin_api.add_person(name) for name in names]
    has = await admin_api.add_person(f"Greta {stem}", login_access=True)
    n = (await admin_api.seats())["used"]
    await admin_api.set_license_count(n)
    plan = await admin_api.plan()
    price, currency = plan["pricePerLicense"], plan["currency"]
    requests = watch_requests(page)

    await open_licenses(page)
    await page.get_by_label("Search people").fill(stem)
    employees = page.locator('resource-list[kind="EMPLOYEE"]')
    await expect(employees.locator("li.resource-row")).to_have_count(3)
    await employees.get_by_label("Select all 3 shown").check()
    bar = selected(page)
    await bar.get_by_role("button", name="Give access").click()
    dialog = page.get_by_role("dialog", name="Give login access to 3 people")
    days = {datetime.now(UTC).date()}
    await expect(dialog.get_by_test_id("bulk-increase")).to_contain_text(
        f"adds 2 licenses, so the license count rises from {n} to {n + 2}"
    )
    days.add(datetime.now(UTC).date())  # the test may run over midnight
    invoice = await dialog.get_by_test_id("bulk-invoice").inner_text()
    # R9: one line per license added, each the rest of the month rounded half-up, plus the
    # two licenses in the next month's base.
    assert invoice in {
        invoice_text(2 * (prorated(price, day) + price), currency) for day in days
    }, invoice
    preview = await server_preview(admin_api, "GIVE_ACCESS", [*ids, has])
    await expect_figures(page, preview, 3)
    skipped = dialog.get_by_test_id("bulk-skipped")
    await expect(skipped.locator("li")).to_have_count(1)
    await expect(skipped.locator("li")).to_have_attribute("data-code", "UNCHANGED")
    await expect(skipped).to_contain_text(f"Greta {stem}")
    await expect(skipped).to_contain_text("Already so")
    await screenshot(page, f"bulk-give-access-{width}.png", full_page=False)
    await fits(page, width)

    await confirm(page, "Add 2 licenses and give access")
    await expect(dialog).to_be_hidden()
    for name in names:
        await expect(page.get_by_label(f"Login access for {name}")).to_be_checked()
    await expect_panel(page, count=n + 2, used=n + 2, available=0)
    rows = await admin_api.history(2)
    assert [(r["fromCount"], r["toCount"], r["reason"]) for r in reversed(rows)] == [
        (n, n + 1, "AUTO_INCREASE"),
        (n + 1, n + 2, "AUTO_INCREASE"),
    ]
    assert {r["resource"]["name"] for r in rows} == set(names)
    (sent,) = graphql_calls(requests, "BulkSetAccess")
    assert (sent["enabled"], sent["accept"], sent["expected"]) == (True, True, n)


async def test_r19_r13_a_count_changed_meanwhile_is_shown_and_priced_again(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    """R19, R13: the count changes (someone else) while the dialog is open: confirming saves
    nothing and says so, the dialog shows the new numbers, and confirming them saves the change
    with a new key and the new count."""
    page, width = admin_at_width
    name = f"Conny Counted {width}"
    person = await admin_api.add_person(name, login_access=True)
    count = (await admin_api.seats())["licenseCount"]
    requests = watch_requests(page)
    await open_licenses(page)
    await page.get_by_label("Search people").fill(name)
    await page.get_by_label(f"Select {name}").check()
    await selected(page).get_by_role("button", name="Remove access").click()
    dialog = page.get_by_role("dialog", name="Remove login access from 1 person")
    await dialog.get_by_label("Also reduce the license count by the 1 license freed").check()
    await expect(dialog.get_by_test_id("bulk-count")).to_have_text(f"{count} → {count - 1}")
    await admin_api.set_license_count(count + 1)  # someone else, a moment earlier

    await confirm(page, "Remove access from 1 person")
    await expect(dialog.get_by_role("alert")).to_have_text(
        "Nothing was saved: the license count changed in the meantime and is now "
        f"{count + 1}. Check the numbers and try again."
    )
    await expect(dialog.get_by_test_id("bulk-count")).to_have_text(f"{count + 1} → {count}")
    assert (await admin_api.resource(person))["loginAccess"] is True
    await fits(page, width)
    await confirm(page, "Remove access from 1 person")
    await expect(dialog).to_be_hidden()
    assert (await admin_api.resource(person))["loginAccess"] is False
    assert (await admin_api.seats())["licenseCount"] == count
    refused, saved = graphql_calls(requests, "BulkSetAccess")
    assert (refused["expected"], saved["expected"]) == (count, count + 1)
    assert refused["key"] != saved["key"]


@VIEWPORTS
async def test_r19_r16_a_resource_manager_is_told_to_ask_one_at_a_time(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """R19, R16: when the license policy makes giving access a license request (a resource
    manager, every license in use), the dialog explains that it must be asked one person at a
    time and offers no confirmation; nothing changes."""
    width = viewport["width"]
    password = "bulk manager password"
    email = f"bulk.rm.{width}@e2e.example"
    await admin_api.add_person(
        f"Rune Manager {width}",
        email=email,
        role="RESOURCE_MANAGER",
        login_access=True,
        password=password,
    )
    name = f"Petter Policy {width}"
    person = await admin_api.add_person(name)
    await admin_api.set_license_count((await admin_api.seats())["used"])
    before = await admin_api.seats()
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    try:
        await sign_in_context(context, email, password)
        await page.goto("/#/licenses")
        await page.get_by_label("Search people").fill(name)
        await page.get_by_label(f"Select {name}").check()
        await selected(page).get_by_role("button", name="Give access").click()
        dialog = page.get_by_role("dialog", name="Give login access to 1 person")
        await expect(dialog.get_by_test_id("bulk-needs-approval")).to_contain_text(
            "one person at a time"
        )
        await expect(dialog.locator('button[type="submit"]')).to_be_hidden()
        await expect(dialog.get_by_role("button")).to_have_text(["Cancel"])
        await fits(page, width)
        await screenshot(page, f"bulk-needs-approval-{width}.png", full_page=False)
        await page.keyboard.press("Escape")
        await expect(dialog).to_be_hidden()
        await expect(selected(page).get_by_role("button", name="Give access")).to_be_focused()
        assert await admin_api.seats() == before
        assert (await admin_api.resource(person))["loginAccess"] is False
        assert problems.errors == []
    finally:
        await context.close()


async def test_r19_r13_a_lost_answer_is_sent_again_with_the_batchs_key(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi
) -> None:
    """R19, R13: the answer of a bulk change is lost on the way; the page sends it again with
    the same key, and the server answers as the first time: both people lose access once, and
    the page says what the server said."""
    page, problems = admin_page
    names = ["Lina Lost", "Lukas Lost"]
    ids = [await admin_api.add_person(name, login_access=True) for name in names]
    seats = await admin_api.seats()
    sent = await lose_the_first_answer(page, "mutation BulkSetAccess(")
    await open_licenses(page)
    await page.get_by_label("Search people").fill("Lost")
    for name in names:
        await page.get_by_label(f"Select {name}").check()
    await selected(page).get_by_role("button", name="Remove access").click()
    await confirm(page, "Remove access from 2 people")
    await expect(page.get_by_role("dialog")).to_be_hidden()
    await expect(page.get_by_role("status")).to_contain_text("2 people")
    for name in names:
        await expect(page.get_by_label(f"Login access for {name}")).not_to_be_checked()
    assert len(sent) == 2 and sent[0]["key"] and sent[0]["key"] == sent[1]["key"]
    for resource_id in ids:
        assert (await admin_api.resource(resource_id))["loginAccess"] is False
    after = await admin_api.seats()
    assert (after["licenseCount"], after["used"]) == (seats["licenseCount"], seats["used"] - 2)
    # The browser reports the connection it lost; nothing else may be wrong.
    problems.errors[:] = [e for e in problems.errors if "ERR_CONNECTION_RESET" not in e]


async def test_r19_select_all_matching_stops_at_the_limit_and_says_so(
    admin_at_width: tuple[Page, int], admin_api: AdminApi, server_env: dict[str, str]
) -> None:
    """R19: "Select all N matching" reads the unused licenses 500 at a time and stops at the
    1,000 people a bulk change takes, saying that more match. (The server's answers are
    replaced here by 1,200 people: the page's paging and its limit are what is tested.)"""
    page, width = admin_at_width
    idle = await admin_api.add_person(f"Ines Idle {width}", login_access=True)
    age(server_env, idle, created_days=120)
    fake = [{"id": f"p{n}", "name": f"Person {n}"} for n in range(1200)]
    sent: list[dict] = []

    async def many_unused(route: Route) -> None:
        body = route.request.post_data_json
        if "query UnusedLicenses(" in body["query"]:
            answer = await (await route.fetch()).json()
            answer["data"]["unusedLicenses"]["pageInfo"]["hasNextPage"] = True
            answer["data"]["unusedLicenses"]["totalCount"] = len(fake)
            await route.fulfill(json=answer)
            return
        if "query UnusedPeople(" not in body["query"]:
            await route.continue_()
            return
        variables = body["variables"]
        sent.append(variables)
        start = int(variables["after"] or 0)
        people = fake[start : start + variables["first"]]
        end = start + len(people)
        await route.fulfill(
            json={
                "data": {
                    "unusedLicenses": {
                        "edges": [{"node": {"resource": person}} for person in people],
                        "pageInfo": {"hasNextPage": end < len(fake), "endCursor": str(end)},
                    }
                }
            }
        )

    await page.route("**/graphql", many_unused)
    await page.goto("/#/unused")
    await page.get_by_role("button", name="Select all 1,200 matching").click()
    bar = selected(page)
    await expect(bar.get_by_test_id("bulk-selected")).to_have_text("1,000 selected")
    await expect(bar).to_contain_text(
        "More match: a bulk change takes at most 1,000 people, so only the first 1,000 are "
        "selected."
    )
    await expect(page.get_by_test_id("all-matching-selected")).to_have_text(
        "The first 1,000 matching are selected."
    )
    assert sent == [{"first": 500, "after": None}, {"first": 500, "after": "500"}]
    await fits(page, width)
    await screenshot(page, f"bulk-limit-{width}.png", full_page=False)
    await bar.get_by_role("button", name="Clear").click()
    await expect(bar).to_be_hidden()
    await expect(page.locator("#unused-list-title")).to_be_focused()
