"""One person's page in real Chromium (issue 12), at 1280 px and 390 px: reached from a name
in the licences list; name and e-mail edited, with the server's refusals shown at the field
(R6); the role changed, and the last administrator's demotion refused (R11); login access
given with the "Add a license?" question (R4); the account terminated with the keyboard only,
a scheduled termination cancelled, an inactive person reactivated (R7); and the person's own
licence history (R8). Screenshots go to var/screenshots/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    AdminApi,
    run_cli,
    screenshot,
    sign_in_context,
)


async def open_person(page: Page, resource_id: str, name: str) -> None:
    await page.goto(f"/#/person/{resource_id}")
    await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


async def fits(page: Page, width: int) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


async def test_issue_12_r6_the_page_is_reached_from_the_list_and_edits_name_and_email(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    page, width = admin_at_width
    name = f"Ines Isaksson {width}"
    await admin_api.add_person(name, email=f"ines.{width}@e2e.example")
    await page.goto("/#/licenses")
    await page.get_by_label("Search people").fill(name)
    await page.get_by_role("link", name=name).click()
    await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    await expect(page).to_have_url(re.compile(r"#/person/"))

    renamed = f"Ines Lind {width}"
    await page.get_by_label("Full name").fill(renamed)
    await page.get_by_label("E-mail address").fill(f"  Ines.Lind.{width}@E2E.example ")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_contain_text(f"{renamed} is saved")
    await expect(page.get_by_role("heading", name=renamed, level=1)).to_be_visible()
    await expect(page.get_by_label("E-mail address")).to_have_value(
        f"ines.lind.{width}@e2e.example"
    )

    # An address someone else uses: the server's words at the field, nothing saved.
    email = page.get_by_label("E-mail address")
    await email.fill(ADMIN_EMAIL)
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#person-email-error")).to_have_text(
        f"Someone in this organisation already uses {ADMIN_EMAIL}."
    )
    await expect(email).to_have_attribute("aria-invalid", "true")
    await expect(email).to_be_focused()
    await screenshot(page, f"person-email-taken-{width}.png")
    await fits(page, width)

    # A name with an invisible character is refused too (R6).
    await email.fill(f"ines.lind.{width}@e2e.example")
    await page.get_by_label("Full name").fill("Ines\u200bLind")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#person-name-error")).to_contain_text("U+200B")
    await expect(page.locator("#person-email-error")).to_have_text("")
    await page.goto("/#/licenses")
    await page.get_by_label("Search people").fill(f"ines.lind.{width}")
    await expect(page.get_by_role("link", name=renamed)).to_be_visible()


async def test_issue_12_r11_the_role_changes_and_the_last_admin_is_kept(
    admin_at_width: tuple[Page, int], admin_api: AdminApi, server_env: dict[str, str]
) -> None:
    page, width = admin_at_width
    name = f"Rolf Roleson {width}"
    resource_id = await admin_api.add_person(name)
    await open_person(page, resource_id, name)
    await page.get_by_label("Role", exact=True).select_option(label="Resource manager")
    await expect(page.get_by_role("status")).to_contain_text(f"{name} is now a resource manager.")
    await expect(page.get_by_label("Role", exact=True)).to_have_value("RESOURCE_MANAGER")
    await expect(page.get_by_label("Role", exact=True)).to_be_focused()
    data = await admin_api.query("query($id: ID!) { resource(id: $id) { role } }", id=resource_id)
    assert data["resource"]["role"] == "RESOURCE_MANAGER"

    # An organisation of its own, whose only administrator tries to step down.
    email = f"solo.{width}.{datetime.now(UTC).timestamp():.0f}@e2e.example"
    run_cli(
        server_env, "create-admin", "--org", f"Solo {width}", "--email", email,
        "--password", ADMIN_PASSWORD, "--name", "Sole Admin",
    )  # fmt: skip
    await page.context.clear_cookies()
    await sign_in_context(page.context, email, ADMIN_PASSWORD)
    await page.goto("/#/licenses")
    await page.get_by_role("link", name="Sole Admin").click()
    await expect(page.get_by_role("heading", name="Sole Admin", level=1)).to_be_visible()
    await page.get_by_label("Role", exact=True).select_option("MEMBER")
    await expect(page.get_by_role("status")).to_contain_text(
        "Make someone else an administrator first."
    )
    await expect(page.get_by_label("Role", exact=True)).to_have_value("ADMIN")
    await screenshot(page, f"person-last-admin-{width}.png")
    await fits(page, width)


async def test_issue_12_r4_r8_login_access_asks_before_adding_a_license_and_shows_in_history(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    page, width = admin_at_width
    name = f"Alma Access {width}"
    resource_id = await admin_api.add_person(name)
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["used"])
    await open_person(page, resource_id, name)
    await expect(page.locator("person-page history-table")).to_contain_text("No changes")
    await page.get_by_role("switch", name="Login access").check()
    dialog = page.get_by_role("dialog", name="Add a license?")
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name="Add license and give access").click()
    await expect(page.get_by_role("status")).to_contain_text(name)
    await expect(page.get_by_role("switch", name="Login access")).to_be_checked()
    rows = page.locator("person-page history-table tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Automatic increase")
    await expect(rows.first).to_contain_text(str(seats["used"] + 1))
    await screenshot(page, f"person-history-{width}.png")
    await fits(page, width)


async def test_issue_12_r7_terminating_from_the_person_page_with_the_keyboard_only(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    page, width = admin_at_width
    name = f"Kai Keyboard {width}"
    resource_id = await admin_api.add_person(name, login_access=True)
    await open_person(page, resource_id, name)
    button = page.get_by_role("button", name="Terminate user account")
    for _ in range(40):
        if await button.evaluate("b => b === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await expect(button).to_be_focused()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Terminate user account")
    await expect(dialog.get_by_label("Last work day")).to_be_focused()
    await screenshot(page, f"person-terminate-{width}.png")
    await page.keyboard.press("Enter")  # today: the account ends now
    await expect(dialog).not_to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text(f"{name} is terminated")
    await expect(page.get_by_role("button", name="Reactivate")).to_be_focused()
    assert (await admin_api.resource(resource_id))["active"] is False
    await expect(page.locator("person-page history-table tbody tr").first).to_contain_text(
        "Termination"
    )


async def test_issue_12_r7_a_scheduled_termination_is_cancelled_on_the_person_page(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    page, width = admin_at_width
    name = f"Cato Cancel {width}"
    resource_id = await admin_api.add_person(name, login_access=True)
    later = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    assert await admin_api.terminate(resource_id, later) == "TerminationScheduled"
    await open_person(page, resource_id, name)
    await expect(page.get_by_text("Leaves after")).to_be_visible()
    await page.get_by_role("button", name="Cancel termination").click()
    await expect(page.get_by_role("status")).to_contain_text(f"{name} stays on")
    await expect(page.get_by_role("button", name="Terminate user account")).to_be_focused()
    assert (await admin_api.resource(resource_id))["scheduledTermination"] is None


async def test_issue_12_r7_an_inactive_person_is_reactivated_on_the_person_page(
    admin_at_width: tuple[Page, int], admin_api: AdminApi
) -> None:
    page, width = admin_at_width
    name = f"Rita Return {width}"
    resource_id = await admin_api.add_person(name)
    today = datetime.now(UTC).date().isoformat()
    assert await admin_api.terminate(resource_id, today) == "TerminateSuccess"
    await open_person(page, resource_id, name)
    await expect(page.get_by_role("switch", name="Login access")).to_be_disabled()
    await page.get_by_role("button", name="Reactivate").click()
    await expect(page.get_by_role("status")).to_contain_text(f"{name} is active again")
    await expect(page.get_by_role("switch", name="Login access")).to_be_enabled()
    await expect(page.get_by_role("switch", name="Login access")).not_to_be_checked()
    await expect(page.get_by_role("button", name="Terminate user account")).to_be_visible()
    assert (await admin_api.resource(resource_id))["active"] is True
    await screenshot(page, f"person-{width}.png")
