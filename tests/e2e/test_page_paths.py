"""Defects of the Seats page (issue 12, items 5 to 11) in real Chromium, each at 1280 px and
390 px: errors in dialogs that go once the input is valid, the login-access box while the
question of one more licence is open, who made each recent change, notices with long text,
invisible and right-to-left characters in names, a member's page when their access or session
ends, and how the plan page and the phone's header write days, money, the organisation and the
person. Screenshots go to var/screenshots/ (not committed)."""

from __future__ import annotations

import asyncio
import re
from itertools import count

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import (
    VIEWPORTS,
    WIDE,
    AdminApi,
    PageProblems,
    money,
    new_page,
    screenshot,
    sign_in_context,
)

# How long a member's page may take to notice that their access or session ended.
SIGN_OUT_MS = 5000
_unique = count(1)


def size(viewport: dict[str, int]) -> int:
    return viewport["width"]


async def open_licenses(page: Page, viewport: dict[str, int]) -> None:
    await page.set_viewport_size(viewport)
    await page.goto("/#/licenses")
    await expect(page.get_by_role("heading", name="Licenses", level=1)).to_be_visible()
    await expect(page.locator("resource-list li.resource-row").first).to_be_visible()


async def open_coworker_dialog(page: Page):
    await page.get_by_role("button", name="Add co-worker").click()
    form = page.get_by_role("dialog", name="Add co-worker")
    await expect(form).to_be_visible()
    return form


async def add_member(admin_api: AdminApi, name: str) -> tuple[str, str, str]:
    """A member who signs in (an external consultant: no licence used). Id, e-mail, password."""
    email = f"member{next(_unique)}@e2e.example"
    password = "member-password-12"
    resource_id = await admin_api.add_person(
        name, email=email, kind="EXTERNAL_CONSULTANT", login_access=True, password=password
    )
    return resource_id, email, password


@VIEWPORTS
async def test_issue_12_item_5_the_terminate_error_goes_once_the_day_is_valid(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 5 (R7): the server's "before the start date" error and the field's
    invalid mark go as soon as a day on or after the start date is entered."""
    name = f"Tove Early{size(viewport)}"
    resource_id = await admin_api.add_person(name)  # started 1 Mar 2025
    page, _ = admin_page
    await open_licenses(page, viewport)
    await page.get_by_role("button", name=f"Terminate {name}").click()
    dialog = page.get_by_role("dialog", name="Terminate user account")
    day = dialog.get_by_label("Last work day")
    await day.fill("2025-02-01")
    await dialog.get_by_role("button", name="Terminate").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("before the start date")
    await expect(day).to_have_attribute("aria-invalid", "true")
    await screenshot(page, f"issue12-terminate-error-{size(viewport)}.png")

    await day.fill("2025-03-01")
    await expect(dialog.get_by_role("alert")).to_have_count(0)
    await expect(day).not_to_have_attribute("aria-invalid", "true")
    await dialog.get_by_role("button", name="Cancel").click()
    assert (await admin_api.resource(resource_id))["active"] is True


@VIEWPORTS
async def test_issue_12_item_5_the_short_password_error_goes_once_the_password_is_long_enough(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 5 (R6): "Add co-worker" drops the short-password message and the field's
    invalid mark once the password has enough characters, before anything is sent again."""
    page, _ = admin_page
    await open_licenses(page, viewport)
    form = await open_coworker_dialog(page)
    await form.get_by_label("Full name").fill("Petra Password")
    await form.get_by_label("E-mail address").fill(f"petra{size(viewport)}@e2e.example")
    password = form.get_by_label("Password")
    await password.fill("short")
    await form.get_by_role("button", name="Add co-worker").click()
    await expect(form.get_by_role("alert")).to_contain_text("at least 10 characters")
    await expect(password).to_have_attribute("aria-invalid", "true")

    await password.press("End")
    await password.type("abcd")  # 9 characters: still too short
    await expect(form.get_by_role("alert")).to_contain_text("at least 10 characters")
    await password.type("x")  # 10 characters
    await expect(form.get_by_role("alert")).to_have_count(0)
    await expect(password).not_to_have_attribute("aria-invalid", "true")
    await form.get_by_role("button", name="Cancel").click()


@VIEWPORTS
async def test_issue_12_item_6_the_box_shows_what_holds_while_the_question_is_open(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 6 (R4): while "Add a license?" is open the box stays unticked (nothing has
    changed yet); unticked after Cancel, ticked after the increase is accepted."""
    name = f"Quinn Question{size(viewport)}"
    await admin_api.add_person(name)
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["used"])
    page, _ = admin_page
    await open_licenses(page, viewport)
    box = page.get_by_label(f"Login access for {name}")
    question = page.get_by_role("dialog", name="Add a license?")

    await box.click()
    await expect(question).to_be_visible()
    await expect(box).not_to_be_checked()
    await screenshot(page, f"issue12-question-open-{size(viewport)}.png")
    await question.get_by_role("button", name="Cancel").click()
    await expect(question).not_to_be_visible()
    await expect(box).not_to_be_checked()

    await box.click()
    await expect(question).to_be_visible()
    await expect(box).not_to_be_checked()
    await question.get_by_role("button", name="Add license and give access").click()
    await expect(question).not_to_be_visible()
    await expect(box).to_be_checked()


@VIEWPORTS
async def test_issue_12_item_7_recent_changes_say_who_made_them_and_whom_they_concern(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 7 (R8): each recent change names who made it, and the person concerned
    when there is one, as the history table does; a change by hand names its maker too."""
    name = f"Rita Recent{size(viewport)}"
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["used"])
    await admin_api.add_person(name, login_access=True)  # one more licence, for Rita
    await admin_api.set_license_count(seats["used"] + 2)  # by hand
    page, _ = admin_page
    await open_licenses(page, viewport)
    recent = page.locator(".recent-changes history-table li")
    n = seats["used"]
    by_hand = recent.filter(has_text=f"{n + 1} → {n + 2}").filter(has_text="Changed by hand")
    for_rita = recent.filter(has_text=name)
    await expect(by_hand).to_contain_text("Changed by hand")
    await expect(by_hand.locator(".history-compact-actor")).to_have_text("by Erika Admin")
    await expect(by_hand.locator(".history-compact-person")).to_have_count(0)
    await expect(for_rita.locator(".history-compact-actor")).to_have_text("by Erika Admin")
    await expect(for_rita.locator(".history-compact-person")).to_have_text(f"for {name}")
    if viewport == WIDE:  # narrower pages leave the side column's recent changes out
        for item in (by_hand, for_rita):
            await expect(item.get_by_text("by Erika Admin")).to_be_visible()
        await screenshot(page, f"issue12-recent-changes-{size(viewport)}.png")


@VIEWPORTS
async def test_issue_12_item_8_a_long_notice_wraps_and_leaves_the_last_rows_reachable(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 8: a notice with a long unbroken name stays inside the window, its text
    wrapped, and scrolled to the end the page's content ends above the notice."""
    long_name = "Wilhelmina" + "x" * 110 + str(size(viewport))
    page, _ = admin_page
    await open_licenses(page, viewport)
    form = await open_coworker_dialog(page)
    await form.get_by_label("Full name").fill(long_name)
    await form.get_by_label("E-mail address").fill(f"long{size(viewport)}@e2e.example")
    await form.get_by_role("button", name="Add co-worker").click()
    notice = page.locator(".shell-notice")
    await expect(notice).to_contain_text(long_name)

    box = await notice.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= size(viewport), box
    overflow = await notice.locator("span").first.evaluate(
        "(text) => text.scrollWidth - text.clientWidth"
    )
    assert overflow <= 0
    assert await page.evaluate("document.documentElement.scrollWidth") <= size(viewport)

    await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    content_bottom = await page.evaluate(
        "document.querySelector('.shell-main > *').getBoundingClientRect().bottom"
    )
    notice_top = (await notice.bounding_box())["y"]
    assert content_bottom <= notice_top, (content_bottom, notice_top)
    await screenshot(page, f"issue12-long-notice-{size(viewport)}.png")


@VIEWPORTS
async def test_issue_12_item_9_invisible_and_right_to_left_names_show_the_servers_message(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 9 (R6): a name of zero-width spaces only, and one with a right-to-left
    override, are refused by the server, and the dialog shows its message on the name field;
    nobody is added."""
    page, _ = admin_page
    await open_licenses(page, viewport)
    form = await open_coworker_dialog(page)
    name = form.get_by_label("Full name")
    email = f"hidden{size(viewport)}@e2e.example"
    await form.get_by_label("E-mail address").fill(email)
    for typed, code in [("\u200b\u200b\u200b", "U+200B"), ("Øster\u202eevil", "U+202E")]:
        await name.fill(typed)
        await form.get_by_role("button", name="Add co-worker").click()
        await expect(form.get_by_role("alert")).to_have_text(
            f"A name cannot contain the invisible or control character {code}."
        )
        await expect(name).to_have_attribute("aria-invalid", "true")
        await expect(name).to_be_focused()
    await screenshot(page, f"issue12-hidden-name-{size(viewport)}.png")
    await form.get_by_role("button", name="Cancel").click()
    data = await admin_api.query(
        "query($s: String) { resources(first: 5, search: $s) { edges { node { id } } } }",
        s=email,
    )
    assert data["resources"]["edges"] == []


async def signed_in_page(
    browser: Browser, base_url: str, viewport: dict[str, int], email, password, path="/"
):
    """The page at `path`, signed in, once its live connection is acknowledged."""
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    await sign_in_context(context, email, password)
    received: list[str] = []
    page.on(
        "websocket",
        lambda socket: socket.on("framereceived", lambda payload: received.append(str(payload))),
    )
    await page.goto(path)
    # The page's live connection is acknowledged (the server knows whose it is).
    for _ in range(SIGN_OUT_MS // 50):
        if any("connection_ack" in frame for frame in received):
            break
        await asyncio.sleep(0.05)
    assert any("connection_ack" in frame for frame in received), received
    return context, page, problems


@VIEWPORTS
async def test_issue_12_item_10_a_member_whose_access_is_removed_is_signed_out_at_once(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 10 (R5, R11): a member's open page, with nobody touching it, shows the
    sign-in form with a message when an administrator removes their login access."""
    resource_id, email, password = await add_member(admin_api, f"Mona Member{size(viewport)}")
    context, page, problems = await signed_in_page(browser, base_url, viewport, email, password)
    await expect(page.get_by_text("This page is for administrators")).to_be_visible()

    data = await admin_api.query(
        """mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: false) {
            __typename } }""",
        id=resource_id,
    )
    assert data["toggleAccess"]["__typename"] == "ToggleAccessSuccess"
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=SIGN_OUT_MS)
    await expect(page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()
    await screenshot(page, f"issue12-member-signed-out-{size(viewport)}.png")
    await context.close()
    assert problems.errors == [] and problems.dialogs == []


@VIEWPORTS
async def test_issue_12_item_10_a_manager_on_the_history_page_is_signed_out_at_once(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 10 (R5, R11): a page without live updates of its own (the history) also
    shows the sign-in form when the person's login access is removed."""
    email, password = f"manager{next(_unique)}@e2e.example", "manager-password-12"
    resource_id = await admin_api.add_person(
        f"Mats Manager{size(viewport)}",
        email=email,
        kind="EXTERNAL_CONSULTANT",
        role="RESOURCE_MANAGER",
        login_access=True,
        password=password,
    )
    context, page, problems = await signed_in_page(
        browser, base_url, viewport, email, password, path="/#/history"
    )
    await expect(page.get_by_role("heading", name="History", level=1)).to_be_visible()

    data = await admin_api.query(
        """mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: false) {
            __typename } }""",
        id=resource_id,
    )
    assert data["toggleAccess"]["__typename"] == "ToggleAccessSuccess"
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=SIGN_OUT_MS)
    await expect(page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()
    await context.close()
    assert problems.errors == [] and problems.dialogs == []


@VIEWPORTS
async def test_issue_12_item_10_a_member_signed_out_elsewhere_is_signed_out_at_once(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 10 (R11): when the member's session is signed out by another request (not
    the page), the open page shows the sign-in form without a click."""
    _, email, password = await add_member(admin_api, f"Nora Elsewhere{size(viewport)}")
    context, page, problems = await signed_in_page(browser, base_url, viewport, email, password)
    await expect(page.get_by_text("This page is for administrators")).to_be_visible()

    response = await context.request.post(
        "/graphql", data={"query": "mutation { logout { __typename } }"}
    )
    assert (await response.json())["data"]["logout"]["__typename"]
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=SIGN_OUT_MS)
    await expect(page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()
    await context.close()
    assert problems.errors == [] and problems.dialogs == []


@VIEWPORTS
async def test_issue_12_item_11_invoice_lines_write_days_and_money_as_the_page_does(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 11 (R9, R10): the invoice lines say "16 Nov 2026" and "€12.00", like the
    rest of the plan page, never "2026-11-16" or "12.00 EUR"."""
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["licenseCount"] + 1)  # an adjustment line
    plan = await admin_api.plan()
    page, _ = admin_page
    await page.set_viewport_size(viewport)
    await page.goto("/#/plan")
    lines = page.locator("table.invoice-lines").first
    await expect(lines.locator("tr.invoice-line[data-kind='ADJUSTMENT']").first).to_be_visible()
    text = await lines.inner_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    assert not re.search(rf"\d\.\d\d {plan['currency']}", text), text
    base = lines.locator("tr.invoice-line[data-kind='BASE']")
    await expect(base).to_contain_text(money(plan["pricePerLicense"], plan["currency"]))
    await expect(lines.locator("tr.invoice-line[data-kind='ADJUSTMENT']").last).to_contain_text(
        re.compile(r"from \d{1,2} [A-Z][a-z]{2,3} \d{4}")
    )
    await screenshot(page, f"issue12-invoice-lines-{size(viewport)}.png", full_page=True)


@VIEWPORTS
async def test_issue_12_item_11_the_header_names_the_organisation_and_the_person(
    admin_page: tuple[Page, PageProblems], admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    """Issue 12 item 11: the header shows the organisation and who is signed in, also on a
    phone, inside the window and without scrolling sideways."""
    page, _ = admin_page
    await open_licenses(page, viewport)
    header = page.locator(".shell-header")
    for text in ["E2E Org", "Erika Admin"]:
        shown = header.get_by_text(text, exact=True)
        await expect(shown).to_be_visible()
        box = await shown.bounding_box()
        assert box is not None and box["width"] > 0
        assert box["x"] >= 0 and box["x"] + box["width"] <= size(viewport), (text, box)
    await expect(header.get_by_role("button", name="Sign out")).to_be_in_viewport(ratio=1)
    assert await page.evaluate("document.documentElement.scrollWidth") <= size(viewport)
    await screenshot(page, f"issue12-header-{size(viewport)}.png")
