"""Every page passes axe-core without serious or critical violations, at 1280 px and 390 px:
the sign-in form, the licenses page with its dialogs open (the bulk change's among them), the
plan, the history, the settings, the API tokens, a person's page and the unused licenses
(tests/e2e/a11y.py)."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    SCREENSHOTS,
    VIEWPORTS,
    WIDE,
    AdminApi,
    new_page,
    sign_in_context,
)
from tests.e2e.test_unused_page import age


def size(viewport: dict[str, int]) -> str:
    return "wide" if viewport is WIDE else "phone"


async def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"a11y-{name}.png")


@VIEWPORTS
async def test_sign_in_form_is_accessible(browser: Browser, base_url: str, viewport):
    context, page, _ = await new_page(browser, base_url, viewport=viewport)
    try:
        await page.goto("/")
        await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        await assert_accessible(page, f"sign-in form, {size(viewport)}")
        await page.get_by_label("E-mail address").fill(ADMIN_EMAIL)
        await page.get_by_label("Password").fill("not the password")
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("alert")).to_be_visible()
        await assert_accessible(page, f"sign-in form with its error, {size(viewport)}")
    finally:
        await context.close()


@VIEWPORTS
async def test_licenses_page_and_its_dialogs_are_accessible(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport
):
    name = f"Axel Access {size(viewport).title()}"
    await admin_api.add_person(name, login_access=False)
    await admin_api.set_license_count((await admin_api.seats())["used"])
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    try:
        await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
        await page.goto("/#/licenses")
        await expect(page.get_by_role("heading", name="Licenses", level=1)).to_be_visible()
        await expect(page.locator("resource-list li.resource-row").first).to_be_visible()
        await assert_accessible(page, f"licenses page, {size(viewport)}")

        await page.get_by_role("button", name="Edit the number of licenses").click()
        await assert_accessible(page, f"licenses page editing the count, {size(viewport)}")
        await page.get_by_role("button", name="Cancel").click()

        await page.get_by_role("button", name="Add co-worker").click()
        form = page.get_by_role("dialog", name="Add co-worker")
        await expect(form).to_be_visible()
        await assert_accessible(page, f"add co-worker dialog, {size(viewport)}")
        await shot(page, f"add-coworker-{size(viewport)}")
        await page.keyboard.press("Escape")
        await expect(form).to_be_hidden()

        await page.get_by_label(
            f"Login access for {name}"
        ).click()  # the box changes only once the question is answered
        question = page.get_by_role("dialog", name="Add a license?")
        await expect(question).to_be_visible()
        await assert_accessible(page, f"add a license? dialog, {size(viewport)}")
        await question.get_by_role("button", name="Cancel").click()
        await expect(question).to_be_hidden()

        await page.get_by_role("button", name=f"Terminate {name}").click()
        terminate = page.get_by_role("dialog", name="Terminate user account")
        await expect(terminate).to_be_visible()
        await assert_accessible(page, f"terminate dialog, {size(viewport)}")
        await shot(page, f"terminate-{size(viewport)}")
        await page.keyboard.press("Escape")
        await expect(terminate).to_be_hidden()

        # issue 15: people selected for a bulk change, the bar, and the dialog with the
        # server's preview (a license to add, someone skipped) open.
        await page.get_by_label(f"Select {name}").check()
        await page.get_by_label("Select Astrid Lindqvist").check()
        bar = page.get_by_role("region", name="Selected people")
        await expect(bar).to_be_visible()
        await assert_accessible(page, f"licenses page with people selected, {size(viewport)}")
        await bar.get_by_role("button", name="Give access").click()
        bulk = page.get_by_role("dialog", name="Give login access to 2 people")
        await expect(bulk.get_by_test_id("bulk-skipped")).to_be_visible()
        await assert_accessible(page, f"bulk change dialog, {size(viewport)}")
        await shot(page, f"bulk-change-{size(viewport)}")
        await page.keyboard.press("Escape")
        await expect(bulk).to_be_hidden()
        assert problems.errors == []
    finally:
        await context.close()


@VIEWPORTS
@pytest.mark.parametrize("where", ["plan", "history", "settings", "api-tokens", "person", "unused"])
async def test_the_other_pages_are_accessible(
    browser: Browser, base_url: str, admin_api: AdminApi, server_env, viewport, where: str
):
    """issue 15: unused licences among them, with an unused license listed."""
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    try:
        await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
        if where == "person":
            person = await admin_api.add_person(f"Petra Page {size(viewport).title()}")
            await page.goto(f"/#/person/{person}")
        elif where == "unused":
            idle = await admin_api.add_person(f"Uno Unused {size(viewport)}", login_access=True)
            age(server_env, idle, created_days=100, active_days=50)
            await page.goto("/#/unused")
            listed = page.get_by_role("link", name=f"Uno Unused {size(viewport)}")
            await expect(listed).to_be_visible()
        else:
            await page.goto(f"/#/{where}")
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        await page.wait_for_load_state("networkidle")
        await assert_accessible(page, f"{where} page, {size(viewport)}")
        await shot(page, f"{where}-{size(viewport)}")
        assert problems.errors == []
    finally:
        await context.close()


@VIEWPORTS
async def test_r16_pending_license_requests_and_the_policy_are_accessible(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport
):
    """The licenses page with a pending license request shown, the settings page's license
    policy with a cap saved, and the API tokens page with a provisioning event."""
    person = await admin_api.add_person(f"Rex Request {size(viewport).title()}")
    await admin_api.set_license_count((await admin_api.seats())["used"])
    token = await admin_api.query(
        """mutation($name: String!) { createApiToken(name: $name, scopes: [SEATS_WRITE])
        { ... on CreateApiTokenSuccess { token } } }""",
        name=f"A11y sync {size(viewport)}",
    )
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        body = (
            await http.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true,"
                    " acceptLicenseIncrease: true) { __typename } }",
                    "variables": {"id": person},
                },
                headers={"Authorization": f"Bearer {token['createApiToken']['token']}"},
            )
        ).json()
    assert body["errors"][0]["extensions"]["code"] == "LICENSE_REQUEST_PENDING"
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    try:
        await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
        await page.goto("/#/licenses")
        await expect(page.get_by_role("heading", name="Pending license requests")).to_be_visible()
        await assert_accessible(page, f"licenses page with a license request, {size(viewport)}")
        await shot(page, f"license-requests-{size(viewport)}")
        await page.goto("/#/settings")
        await page.get_by_role("radio", name="Add it, up to the caps").check()
        await page.get_by_test_id("policy-max-count").fill("500")
        await page.get_by_role("button", name="Save policy").click()
        await expect(page.get_by_text("Saved: increases happen")).to_be_visible()
        await assert_accessible(page, f"settings page with the policy saved, {size(viewport)}")
        await page.goto("/#/api-tokens")
        await expect(page.get_by_role("heading", name="Last provisioning events")).to_be_visible()
        await assert_accessible(page, f"API tokens page with its events, {size(viewport)}")
        assert problems.errors == []
    finally:
        # The organisation is shared by the browser tests: no request is left pending.
        await admin_api.query("mutation { setLicensePolicy(mode: NEVER) { __typename } }")
        for request in (await admin_api.query("{ licenseRequests { id } }"))["licenseRequests"]:
            await admin_api.query(
                "mutation($id: ID!) { declineLicenseRequest(id: $id) { __typename } }",
                id=request["id"],
            )
        await context.close()


async def test_the_check_reports_serious_violations(browser: Browser, base_url: str):
    """The check itself: a field without a label and grey-on-white text fail it, named."""
    context, page, _ = await new_page(browser, base_url)
    try:
        await page.goto("/")
        await page.evaluate(
            """() => {
                const input = document.createElement("input");
                input.id = "unlabelled";
                const faint = document.createElement("p");
                faint.id = "faint";
                faint.textContent = "Hard to read";
                faint.style.color = "#ddd";
                faint.style.background = "#fff";
                document.querySelector("main, body").append(input, faint);
            }"""
        )
        with pytest.raises(AssertionError) as failure:
            await assert_accessible(page, "a broken page")
        message = str(failure.value)
        assert "a broken page" in message
        assert "label (critical)" in message and "#unlabelled" in message
        assert "color-contrast (serious)" in message and "#faint" in message
    finally:
        await context.close()
