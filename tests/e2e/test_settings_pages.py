"""The settings overview and the API tokens page in real Chromium (R11): the licence count
with its way into the licences page, the plan with its subscriptions, and tokens created
(shown once, copied), used against /graphql and revoked, by keyboard, at 1280 px and 390 px.
Screenshots go to var/screenshots/ (not committed)."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, Route, expect

from tests.e2e.conftest import (
    PHONE,
    VIEWPORTS,
    WIDE,
    AdminApi,
    PageProblems,
    new_page,
    screenshot,
    sign_in_context,
)


async def graphql_with(base_url: str, token: str, query: str) -> dict:
    """`query` sent as an integration would: no cookie, the token as a bearer."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        response = await http.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
        )
        return response.json()


def codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def new_token(admin_api: AdminApi, name: str, *scopes: str) -> dict:
    data = await admin_api.query(
        """mutation($name: String!, $scopes: [Scope!]!) { createApiToken(name: $name,
        scopes: $scopes) { ... on CreateApiTokenSuccess { token apiToken { id prefix } } } }""",
        name=name,
        scopes=list(scopes),
    )
    return data["createApiToken"]


def token_row(page: Page, name: str) -> Locator:
    return page.get_by_test_id("api-token-row").filter(
        has=page.get_by_role("rowheader", name=name, exact=True)
    )


async def open_tokens(page: Page) -> None:
    await page.goto("/#/api-tokens")
    await expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    await expect(page.get_by_role("button", name="Create token")).to_be_visible()


@VIEWPORTS
async def test_the_settings_page_shows_the_licenses_and_plan_and_change_opens_the_licenses(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    admin_api: AdminApi,
    viewport: dict[str, int],
) -> None:
    """R3, R10: the count, used and available as the API has them; the plan and its active
    subscription; "Change" (by keyboard) leads to the licences page, which keeps its URL."""
    _, page, _ = admin_at
    seats = await admin_api.seats()
    plan = await admin_api.plan()
    await page.goto("/#/settings")
    await expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Settings")
    await expect(nav.get_by_role("link", name="Settings", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    await expect(page.get_by_test_id("settings-license-count")).to_have_text(
        str(seats["licenseCount"])
    )
    await expect(page.get_by_test_id("settings-used")).to_have_text(str(seats["used"]))
    await expect(page.get_by_test_id("settings-available")).to_have_text(str(seats["available"]))
    await expect(page.get_by_test_id("settings-plan-name")).to_have_text(plan["name"])
    subscription = page.get_by_test_id("settings-subscription")
    await expect(subscription).to_have_count(1)
    await expect(subscription).to_contain_text(plan["name"])
    await screenshot(page, f"settings-{viewport['width']}.png")

    change = page.get_by_role("link", name="Change licenses")
    await change.focus()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{page.url.split('#')[0]}#/licenses")
    await expect(page.get_by_role("heading", name="Licenses", level=1)).to_be_focused()
    await expect(page.get_by_test_id("license-count")).to_have_text(str(seats["licenseCount"]))


@VIEWPORTS
async def test_r11_a_token_created_by_keyboard_is_shown_once_copied_and_works(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    base_url: str,
    viewport: dict[str, int],
) -> None:
    """R11: created with the scopes chosen, the secret copied with the button, and then it
    reads what its scopes allow through /graphql and nothing else."""
    _, page, _ = admin_at
    name = f"Payroll export {viewport['width']}"
    await page.goto("/#/settings")
    nav = page.get_by_role("navigation", name="Settings")
    await nav.get_by_role("link", name="API tokens").click()
    await expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_focused()
    # The navigation scrolls sideways on a phone: the current page's link stays in view.
    await page.reload()
    await expect(nav.get_by_role("link", name="API tokens")).to_be_in_viewport(ratio=0.95)

    await page.get_by_role("button", name="Create token").focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Create API token")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("Name")).to_be_focused()
    await page.keyboard.type(name)
    await page.keyboard.press("Tab")  # seats:read, ticked already
    await page.keyboard.press("Tab")  # seats:write
    await page.keyboard.press("Tab")  # billing:read
    await page.keyboard.press("Space")
    await page.keyboard.press("Tab")  # scim
    await page.keyboard.press("Tab")  # Cancel
    await page.keyboard.press("Tab")  # Create token
    await expect(dialog.get_by_role("button", name="Create token")).to_be_focused()
    await page.keyboard.press("Enter")

    shown = page.get_by_role("dialog", name=f"Copy the token “{name}”")
    await expect(shown).to_be_visible()
    secret = shown.get_by_label("Token")
    token = await secret.input_value()
    assert token.startswith("seats_") and len(token) > 40
    await expect(shown.get_by_role("button", name="Copy")).to_be_focused()
    await screenshot(page, f"api-token-created-{viewport['width']}.png")
    await page.keyboard.press("Enter")
    await expect(shown.get_by_role("status")).to_have_text("Copied to the clipboard.")
    assert await page.evaluate("navigator.clipboard.readText()") == token
    await page.keyboard.press("Tab")
    await expect(shown.get_by_role("button", name="Done")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(shown).to_be_hidden()
    await expect(page.get_by_role("button", name="Create token")).to_be_focused()

    row = token_row(page, name)
    await expect(row).to_contain_text(token[:10])
    await expect(row).to_contain_text("seats:read")
    await expect(row).to_contain_text("billing:read")
    await expect(row).not_to_contain_text("seats:write")
    await expect(row).not_to_contain_text("scim")
    await expect(row).to_contain_text("Never")
    await expect(page.get_by_text(token)).to_have_count(0)

    body = await graphql_with(base_url, token, "{ seats { licenseCount } plan { name } }")
    assert "errors" not in body, body
    assert body["data"]["seats"]["licenseCount"] >= 0
    refused = await graphql_with(
        base_url, token, "mutation { setLicenseCount(count: 99) { __typename } }"
    )
    assert codes(refused) == ["FORBIDDEN"], refused

    # Used now: the list says when, once read again.
    await page.reload()
    await expect(token_row(page, name)).not_to_contain_text("Never")
    await screenshot(page, f"api-tokens-{viewport['width']}.png")


@VIEWPORTS
async def test_r11_revoking_asks_first_by_keyboard_and_the_token_is_refused_after(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    admin_api: AdminApi,
    base_url: str,
    viewport: dict[str, int],
) -> None:
    """R11: Escape keeps the token; confirming revokes it, and /graphql refuses it at once."""
    _, page, _ = admin_at
    name = f"Old connector {viewport['width']}"
    created = await new_token(admin_api, name, "SEATS_READ")
    token = created["token"]
    assert "errors" not in await graphql_with(base_url, token, "{ seats { used } }")
    await open_tokens(page)

    revoke = token_row(page, name).get_by_role("button", name=f"Revoke {name}")
    await revoke.focus()
    await page.keyboard.press("Enter")
    confirm = page.get_by_role("dialog", name=f"Revoke the token “{name}”?")
    await expect(confirm).to_be_visible()
    await expect(confirm).to_contain_text(created["apiToken"]["prefix"])
    await expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(confirm).to_be_hidden()
    await expect(revoke).to_be_focused()
    assert "errors" not in await graphql_with(base_url, token, "{ seats { used } }")

    await page.keyboard.press("Enter")
    await expect(confirm).to_be_visible()
    await screenshot(page, f"api-token-revoke-{viewport['width']}.png")
    await page.keyboard.press("Tab")
    await expect(confirm.get_by_role("button", name="Revoke token")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(confirm).to_be_hidden()
    state = token_row(page, name).get_by_text("Revoked")
    await expect(state).to_be_visible()
    await expect(state).to_be_focused()
    await expect(token_row(page, name).get_by_role("button")).to_have_count(0)

    refused = await graphql_with(base_url, token, "{ seats { used } }")
    assert codes(refused) == ["UNAUTHENTICATED"], refused


@pytest.mark.parametrize("viewport", [WIDE], ids=["1280"])
async def test_the_servers_refusal_is_shown_in_the_dialog_and_nothing_is_created(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    admin_api: AdminApi,
    viewport: dict[str, int],
) -> None:
    """R14: a token with no scope is refused by the server; its message shows in the dialog."""
    _, page, _ = admin_at
    before = await admin_api.query("{ apiTokens { id } }")
    await open_tokens(page)
    await page.get_by_role("button", name="Create token").click()
    dialog = page.get_by_role("dialog", name="Create API token")
    await dialog.get_by_label("Name").fill("No scopes")
    await dialog.get_by_role("checkbox", name="seats:read").uncheck()
    await dialog.get_by_role("button", name="Create token").click()
    await expect(dialog.get_by_role("alert")).to_have_text("A token needs at least one scope.")
    await expect(dialog.get_by_role("checkbox", name="seats:read")).to_be_focused()
    assert await admin_api.query("{ apiTokens { id } }") == before


@pytest.mark.parametrize("viewport", [PHONE], ids=["390"])
async def test_without_a_clipboard_the_copy_button_selects_the_token(
    admin_at: tuple[BrowserContext, Page, PageProblems], viewport: dict[str, int]
) -> None:
    """Where the page may not write to the clipboard, the token is selected to copy by hand."""
    context, page, _ = admin_at
    await context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined })"
    )
    await open_tokens(page)
    await page.get_by_role("button", name="Create token").click()
    dialog = page.get_by_role("dialog", name="Create API token")
    await dialog.get_by_label("Name").fill("Copied by hand")
    await dialog.get_by_role("button", name="Create token").click()
    shown = page.get_by_role("dialog", name="Copy the token “Copied by hand”")
    await shown.get_by_role("button", name="Copy").click()
    await expect(shown.get_by_role("status")).to_contain_text("The token is selected")
    secret = shown.get_by_label("Token")
    await expect(secret).to_be_focused()
    selected = await secret.evaluate("i => i.value.slice(i.selectionStart, i.selectionEnd)")
    assert selected == await secret.input_value()
    await page.keyboard.press("Escape")
    await expect(token_row(page, "Copied by hand")).to_be_visible()


async def test_r11_a_resource_manager_sees_the_licenses_but_no_plan_and_no_api_tokens(
    browser: Browser, base_url: str, admin_api: AdminApi
) -> None:
    """R11: no "API tokens" link, no plan in the overview, and the tokens page itself only
    says who it is for, without asking the API for tokens."""
    await admin_api.add_person(
        "Sara Settings",
        email="sara.settings@e2e.example",
        kind="EXTERNAL_CONSULTANT",
        role="RESOURCE_MANAGER",
        login_access=True,
        password="manager-password",
    )
    seats = await admin_api.seats()
    context, page, problems = await new_page(browser, base_url)
    await sign_in_context(context, "sara.settings@e2e.example", "manager-password")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.post_data or "") if "/graphql" in r.url else None)
    await page.goto("/#/settings")
    await expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    await expect(page.get_by_test_id("settings-license-count")).to_have_text(
        str(seats["licenseCount"])
    )
    nav = page.get_by_role("navigation", name="Settings")
    await expect(nav.get_by_role("link", name="Licenses")).to_be_visible()
    await expect(nav.get_by_role("link", name="API tokens")).to_have_count(0)
    await expect(page.get_by_test_id("settings-plan-name")).to_have_count(0)
    await expect(page.get_by_role("heading", name="API tokens")).to_have_count(0)

    await page.goto("/#/api-tokens")
    await expect(
        page.get_by_role("heading", name="API tokens are for administrators")
    ).to_be_visible()
    await expect(page.get_by_role("button", name="Create token")).to_have_count(0)
    assert not [body for body in asked if "apiTokens" in body], asked
    await context.close()
    assert problems.errors == []


@pytest.mark.parametrize("viewport", [WIDE], ids=["1280"])
async def test_a_revocation_the_server_refuses_is_said_on_the_page(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    admin_api: AdminApi,
    viewport: dict[str, int],
) -> None:
    """The server's message is shown, the token stays listed as working, focus stays put."""
    _, page, _ = admin_at
    name = "Refused revocation"
    await new_token(admin_api, name, "SEATS_READ")
    refusal = {"errors": [{"message": "No API token with this id.",
                           "extensions": {"code": "NOT_FOUND", "field": "id"}}]}  # fmt: skip

    async def refuse(route: Route) -> None:
        if "RevokeApiToken" in (route.request.post_data or ""):
            await route.fulfill(json=refusal)
        else:
            await route.continue_()

    await page.route("**/graphql", refuse)
    await open_tokens(page)
    revoke = token_row(page, name).get_by_role("button", name=f"Revoke {name}")
    await revoke.click()
    await page.get_by_role("dialog").get_by_role("button", name="Revoke token").click()
    await expect(page.get_by_role("alert")).to_have_text(
        f"The token “{name}” was not revoked. No API token with this id."
    )
    await expect(revoke).to_be_focused()


@VIEWPORTS
async def test_r17_the_tokens_page_shows_scim_and_saves_what_a_deactivation_does(
    admin_at: tuple[BrowserContext, Page, PageProblems],
    admin_api: AdminApi,
    base_url: str,
    viewport: dict[str, int],
) -> None:
    """R17: the SCIM base URL to give an identity provider, and the organisation's choice of
    what its deactivations do, changed by keyboard and saved at once."""
    _, page, _ = admin_at
    choose = "mutation { setProvisioningDeactivation(deactivation: TERMINATE) { __typename } }"
    await admin_api.query(choose)
    await open_tokens(page)
    card = page.get_by_role("region", name="Provisioning from an identity provider")
    await expect(card.get_by_test_id("scim-base-url")).to_have_text(
        f"{base_url.rstrip('/')}/scim/v2"
    )
    group = card.get_by_role("group", name="When the identity provider deactivates someone")
    terminate = group.get_by_role("radio", name="Terminate them today")
    remove = group.get_by_role("radio", name="Remove their login access")
    await expect(terminate).to_be_checked()
    await terminate.focus()
    await page.keyboard.press("ArrowDown")
    await expect(remove).to_be_checked()
    await expect(card.get_by_role("status")).to_have_text(
        "Saved: deactivated people lose their login access."
    )
    saved = await admin_api.query("{ provisioning { deactivation } }")
    assert saved == {"provisioning": {"deactivation": "REMOVE_ACCESS"}}
    await screenshot(page, f"api-tokens-provisioning-{viewport['width']}.png")
    await page.reload()
    await expect(remove).to_be_checked()
    await admin_api.query(choose)
