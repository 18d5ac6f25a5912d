"""R16 in real Chromium (issue 14), at 1280 px and 390 px, by keyboard only: an integration's
increase the license policy stops shows as a pending license request on the licenses page,
with what approving it costs; approved there (the person gets access and the license), or
declined (the integration's retry is refused again); the policy edited on the settings page;
and the last provisioning events on the API tokens page. Screenshots go to var/screenshots/."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    SCREENSHOTS,
    VIEWPORTS,
    WIDE,
    AdminApi,
    PageProblems,
    new_page,
    sign_in_context,
)

TOGGLE = """mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true,
  acceptLicenseIncrease: true) { __typename } }"""


def size(viewport: dict[str, int]) -> str:
    return "wide" if viewport is WIDE else "phone"


async def as_token(base_url: str, token: str, query: str, **variables) -> dict:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.json()


async def token_of(admin_api: AdminApi, name: str, scopes: list[str]) -> str:
    data = await admin_api.query(
        """mutation($name: String!, $scopes: [Scope!]!) { createApiToken(name: $name,
        scopes: $scopes) { ... on CreateApiTokenSuccess { token } } }""",
        name=name,
        scopes=scopes,
    )
    return data["createApiToken"]["token"]


async def requested(base_url: str, admin_api: AdminApi, token: str, name: str) -> str:
    """A person without access, every license in use, and the token asking for their access:
    a license request (the policy is NEVER, the default)."""
    person = await admin_api.add_person(name)
    await admin_api.set_license_count((await admin_api.seats())["used"])
    body = await as_token(base_url, token, TOGGLE, id=person)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["LICENSE_REQUEST_PENDING"]
    return person


@VIEWPORTS
async def test_r16_a_pending_request_is_approved_by_keyboard_with_its_cost_shown(
    base_url: str,
    admin_api: AdminApi,
    admin_at: tuple[BrowserContext, Page, PageProblems],
    viewport: dict[str, int],
):
    _, page, _ = admin_at
    token = await token_of(admin_api, f"HR sync {size(viewport)}", ["SEATS_WRITE"])
    name = f"Paula Pending {size(viewport).title()}"
    person = await requested(base_url, admin_api, token, name)
    before = await admin_api.seats()
    await page.goto("/#/licenses")
    section = page.locator('[data-slot="license-requests"]')
    await expect(section.get_by_role("heading", name="Pending license requests")).to_be_visible()
    request = section.get_by_test_id("license-request").filter(has_text=name)
    await expect(request).to_contain_text(f"Asked by API token “HR sync {size(viewport)}”")
    await expect(section.get_by_test_id("license-request-cost")).to_contain_text(
        "Approving adds one license"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"license-requests-{size(viewport)}.png")
    approve = section.get_by_role("button", name=f"Approve a license for {name}")
    await approve.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status").first).to_contain_text(f"Approved: {name}")
    await expect(request).to_have_count(0)
    after = await admin_api.seats()
    assert (after["licenseCount"], after["used"]) == (
        before["licenseCount"] + 1,
        before["used"] + 1,
    )
    assert (await admin_api.resource(person))["loginAccess"] is True
    # Focus is kept on the page: the next request, or the search when none is left.
    assert await page.evaluate("document.activeElement !== document.body")


@VIEWPORTS
async def test_r16_a_declined_request_refuses_the_integrations_retry(
    base_url: str,
    admin_api: AdminApi,
    admin_at: tuple[BrowserContext, Page, PageProblems],
    viewport: dict[str, int],
):
    _, page, _ = admin_at
    token = await token_of(admin_api, f"Payroll {size(viewport)}", ["SEATS_WRITE"])
    name = f"Dora Declined {size(viewport).title()}"
    person = await requested(base_url, admin_api, token, name)
    before = await admin_api.seats()
    await page.goto("/#/licenses")
    section = page.locator('[data-slot="license-requests"]')
    decline = section.get_by_role("button", name=f"Decline the license request for {name}")
    await expect(decline).to_be_visible()
    await decline.focus()
    await page.keyboard.press("Space")
    await expect(page.get_by_role("status").first).to_contain_text(f"Declined: {name}")
    await expect(section.get_by_test_id("license-request").filter(has_text=name)).to_have_count(0)
    assert await admin_api.seats() == before
    again = await as_token(base_url, token, TOGGLE, id=person)
    assert [e["extensions"]["code"] for e in again["errors"]] == ["LICENSE_REQUEST_DECLINED"]


async def policy(admin_api: AdminApi) -> dict:
    data = await admin_api.query("{ licensePolicy { mode maxLicenseCount maxMonthlyAmount } }")
    return data["licensePolicy"]


@VIEWPORTS
async def test_r16_r17_the_policy_is_set_on_the_settings_page_and_scim_follows_it(
    base_url: str,
    admin_api: AdminApi,
    admin_at: tuple[BrowserContext, Page, PageProblems],
    viewport: dict[str, int],
):
    _, page, _ = admin_at
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["used"])
    cap = seats["used"] + 1
    await page.goto("/#/settings")
    card = page.locator("section", has=page.get_by_role("heading", name="License policy"))
    await expect(card).to_be_visible()
    await card.get_by_role("radio", name="Add it, up to the caps").focus()
    await page.keyboard.press("Space")
    await card.get_by_test_id("policy-max-count").focus()
    await page.keyboard.type(str(cap))
    await page.keyboard.press("Enter")
    await expect(card.get_by_role("status")).to_have_text(
        "Saved: increases happen by themselves up to the caps."
    )
    assert await policy(admin_api) == {
        "mode": "UP_TO_CAP",
        "maxLicenseCount": cap,
        "maxMonthlyAmount": None,
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"license-policy-{size(viewport)}.png")
    try:
        # An identity provider's creation now raises the count by itself, up to the cap.
        okta = await token_of(admin_api, f"Okta {size(viewport)}", ["SCIM"])
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            created = await http.post(
                "/scim/v2/Users",
                json={
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": f"sam.scim.{size(viewport)}@e2e.example",
                    "displayName": f"Sam Scim {size(viewport).title()}",
                    "active": True,
                },
                headers={
                    "Authorization": f"Bearer {okta}",
                    "Content-Type": "application/scim+json",
                },
            )
        assert created.status_code == 201, created.text
        assert (await admin_api.seats())["licenseCount"] == cap
        # The API tokens page lists it among the last provisioning events.
        await page.goto("/#/api-tokens")
        events = page.get_by_test_id("provisioning-event")
        await expect(events.first).to_contain_text(f"Okta {size(viewport)} (SCIM)")
        await expect(events.first).to_contain_text(f"Sam Scim {size(viewport).title()}")
    finally:
        await admin_api.query("mutation { setLicensePolicy(mode: NEVER) { __typename } }")


@VIEWPORTS
async def test_r16_a_resource_managers_confirmation_asks_an_administrator(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport
):
    password = "manager e2e password"
    manager_email = f"rm.{size(viewport)}@e2e.example"
    await admin_api.add_person(
        f"Rafa Manager {size(viewport).title()}",
        email=manager_email,
        role="RESOURCE_MANAGER",
        login_access=True,
        password=password,
    )
    name = f"Quinn Queued {size(viewport).title()}"
    person = await admin_api.add_person(name)
    await admin_api.set_license_count((await admin_api.seats())["used"])
    before = await admin_api.seats()
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    try:
        await sign_in_context(context, manager_email, password)
        await page.goto("/#/licenses")
        await page.get_by_label("Search people").fill(name)
        box = page.get_by_label(f"Login access for {name}")
        await box.focus()
        await page.keyboard.press("Space")
        question = page.get_by_role("dialog", name="Ask for a license?")
        await expect(question).to_be_visible()
        await expect(question).to_contain_text("needs an administrator to approve it")
        await question.get_by_role("button", name="Ask an administrator").focus()
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status").first).to_contain_text(
            "an administrator has been asked"
        )
        await expect(box).not_to_be_checked()
        assert await admin_api.seats() == before
        assert (await admin_api.resource(person))["loginAccess"] is False
        # Resource managers do not decide: no requests section for them.
        await expect(page.locator('[data-slot="license-requests"]')).to_be_hidden()
        assert problems.errors == []
    finally:
        await context.close()
        # Leave no pending request behind for the other tests of the shared organisation.
        data = await admin_api.query("{ licenseRequests { id name } }")
        for request in data["licenseRequests"]:
            if request["name"] == name:
                await admin_api.query(
                    "mutation($id: ID!) { declineLicenseRequest(id: $id) { __typename } }",
                    id=request["id"],
                )
