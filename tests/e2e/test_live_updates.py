"""Live updates on the licences page in real Chromium: two administrators of one organisation
see each other's changes without reloading (the panel and the list of people), the page
reconnects after the connection drops and catches up on what it missed, and when the session
ends the page asks to sign in again instead of reconnecting. The WebSocket goes to the page's
own origin under the strict Content-Security-Policy (`connect-src 'self'`): any violation
would be a console error, which fails every browser test."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from playwright.async_api import Browser, BrowserContext, Page, WebSocketRoute, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    WIDE,
    AdminApi,
    PageProblems,
    new_page,
    sign_in_context,
)

SECOND_ADMIN_EMAIL = "lars.live@e2e.example"
SECOND_ADMIN_PASSWORD = "second-admin-password"
# How long another administrator's change may take to show.
LIVE_MS = 3000
# Recorded in the page from its very start: violations of the Content-Security-Policy.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="session")
async def second_admin(admin_api: AdminApi) -> str:
    """Another administrator of the same organisation, who can sign in (one more licence)."""
    await admin_api.add_person(
        "Lars Live",
        email=SECOND_ADMIN_EMAIL,
        role="ADMIN",
        login_access=True,
        password=SECOND_ADMIN_PASSWORD,
    )
    return SECOND_ADMIN_EMAIL


@dataclass
class Admin:
    """One administrator's browser: its context, page, problems and the sockets it opened."""

    context: BrowserContext
    page: Page
    problems: PageProblems
    sockets: list[str] = field(default_factory=list)

    @property
    def panel(self):
        return self.page.locator("seat-summary")

    @property
    def indicator(self):
        return self.page.get_by_test_id("live-indicator")

    async def expect_numbers(self, *, count: int, used: int, available: int) -> None:
        await expect(self.page.get_by_test_id("license-count")).to_have_text(
            str(count), timeout=LIVE_MS
        )
        await expect(self.page.get_by_test_id("licenses-used")).to_have_text(
            str(used), timeout=LIVE_MS
        )
        await expect(self.page.get_by_test_id("licenses-available")).to_have_text(
            str(available), timeout=LIVE_MS
        )

    async def finish(self) -> None:
        """Closes the browser context; nothing may have gone wrong in the page."""
        violations = await self.page.evaluate("window.cspViolations")
        await self.context.close()
        assert violations == []
        assert self.problems.errors == []
        assert self.problems.dialogs == []


async def open_as(
    browser: Browser,
    base_url: str,
    email: str,
    password: str,
    *,
    viewport: dict[str, int] = WIDE,
    prepare: Callable[[Page], Awaitable[None]] | None = None,
) -> Admin:
    """Signs in and opens the licences page; `prepare` runs before it loads."""
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    await context.add_init_script(WATCH_CSP)
    admin = Admin(context, page, problems)
    page.on("websocket", lambda socket: admin.sockets.append(socket.url))
    await sign_in_context(context, email, password)
    if prepare:
        await prepare(page)
    await page.goto("/#/licenses")
    await expect(page.get_by_role("heading", name="Licenses", level=1)).to_be_visible()
    await expect(page.get_by_test_id("license-count")).to_have_text(re.compile(r"^\d+$"))
    await expect(page.locator("resource-list li.resource-row").first).to_be_visible()
    await expect(admin.indicator).to_have_attribute("data-state", "live")
    await expect(admin.indicator).to_contain_text("Live")
    return admin


async def test_two_administrators_see_each_others_changes_without_reloading(
    browser: Browser, base_url: str, admin_api: AdminApi, second_admin: str
) -> None:
    await admin_api.add_person("Mira Mover")
    seats = await admin_api.seats()
    a = await open_as(browser, base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    b = await open_as(browser, base_url, second_admin, SECOND_ADMIN_PASSWORD)
    origin = base_url.replace("http://", "ws://")
    assert b.sockets == [f"{origin}/graphql"], "one WebSocket, to the page's own origin"
    await b.page.evaluate("window.notReloaded = true")
    panel_box = await b.panel.bounding_box()
    # B has focus in the list of people; a live refresh must leave it there.
    terminate_bo = b.page.get_by_role("button", name="Terminate Bo Ek")
    await terminate_bo.focus()

    # A adds a licence through the Edit link.
    count = seats["licenseCount"] + 1
    await a.page.get_by_role("button", name="Edit the number of licenses").click()
    await a.page.get_by_label("Number of licenses").fill(str(count))
    await a.page.get_by_role("button", name="Save").click()
    await a.expect_numbers(count=count, used=seats["used"], available=count - seats["used"])

    # B sees it without reloading: the same page, the panel where it was, focus kept.
    await b.expect_numbers(count=count, used=seats["used"], available=count - seats["used"])
    assert await b.page.evaluate("window.notReloaded") is True
    assert await b.panel.bounding_box() == panel_box, "the panel did not move or resize"
    latest = b.page.locator("history-table .history-compact-counts").first
    await expect(latest).to_have_text(f"{seats['licenseCount']} → {count}", timeout=LIVE_MS)

    # A gives Mira login access (a licence is free); B's "used" follows, and so does the box.
    await a.page.get_by_label("Login access for Mira Mover").check()
    await a.expect_numbers(count=count, used=seats["used"] + 1, available=count - seats["used"] - 1)
    await b.expect_numbers(count=count, used=seats["used"] + 1, available=count - seats["used"] - 1)
    await expect(b.page.get_by_label("Login access for Mira Mover")).to_be_checked(timeout=LIVE_MS)
    await expect(terminate_bo).to_be_focused()
    assert await b.page.evaluate("window.notReloaded") is True
    assert len(b.sockets) == 1, "no reconnection was needed"

    await a.finish()
    await b.finish()


async def test_the_list_refreshes_in_place_and_waits_while_a_dialog_is_open(
    browser: Browser, base_url: str, admin_api: AdminApi, second_admin: str
) -> None:
    await admin_api.add_person("Kai Keeper", kind="EXTERNAL_CONSULTANT")
    dora = await admin_api.add_person("Dora Dialog", login_access=True)
    b = await open_as(
        browser, base_url, second_admin, SECOND_ADMIN_PASSWORD, viewport={**WIDE, "height": 600}
    )
    page = b.page

    # B has scrolled down to a consultant and has focus on that row.
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    keep_kai = page.get_by_role("button", name="Terminate Kai Keeper")
    await keep_kai.focus()
    assert await page.evaluate("window.scrollY") > 0
    kai_row = page.locator("li.resource-row", has=keep_kai)
    before = await kai_row.bounding_box()

    # Someone adds an employee: a row more above Kai's, yet Kai's row stays where B sees it.
    await admin_api.add_person("Aaron Above")
    await expect(page.get_by_text("Aaron Above", exact=True)).to_have_count(1, timeout=LIVE_MS)
    after = await kai_row.bounding_box()
    assert before and after and abs(after["y"] - before["y"]) < 1
    await expect(keep_kai).to_be_focused()

    # While B has a dialog open, the panel follows but the list waits until it closes.
    seats = await admin_api.seats()
    await page.get_by_role("button", name="Terminate Dora Dialog").click()
    dialog = page.get_by_role("dialog", name="Terminate user account")
    await expect(dialog).to_be_visible()
    await admin_api.query(
        """mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: false) {
            __typename } }""",
        id=dora,
    )
    await expect(page.get_by_test_id("licenses-used")).to_have_text(
        str(seats["used"] - 1), timeout=LIVE_MS
    )
    dora_box = page.get_by_label("Login access for Dora Dialog")
    await page.wait_for_timeout(500)
    await expect(dora_box).to_be_checked()
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dora_box).not_to_be_checked(timeout=LIVE_MS)
    await expect(page.get_by_role("button", name="Terminate Dora Dialog")).to_be_focused()
    await b.finish()


async def test_reconnects_after_the_connection_drops_and_catches_up(
    browser: Browser, base_url: str, admin_api: AdminApi, second_admin: str
) -> None:
    routes: list[WebSocketRoute] = []

    async def through(route: WebSocketRoute) -> None:
        # Every connection goes through to the server; the test may cut one.
        route.connect_to_server()
        routes.append(route)

    async def prepare(page: Page) -> None:
        await page.route_web_socket(re.compile(r"/graphql$"), through)

    b = await open_as(browser, base_url, second_admin, SECOND_ADMIN_PASSWORD, prepare=prepare)
    page = b.page
    await page.evaluate("window.notReloaded = true")

    # The connection drops (a server restarting); meanwhile someone changes the count.
    await routes[0].close(code=1012, reason="Service restart")
    await expect(b.indicator).to_have_attribute("data-state", "reconnecting")
    await expect(b.indicator).to_contain_text("Reconnecting…")
    seats = await admin_api.seats()
    count = seats["licenseCount"] + 1
    await admin_api.set_license_count(count)

    # About a second later it is back, subscribed again, with the change it missed.
    await expect(b.indicator).to_have_attribute("data-state", "live", timeout=LIVE_MS)
    await b.expect_numbers(count=count, used=seats["used"], available=count - seats["used"])
    assert len(routes) == 2
    assert await page.evaluate("window.notReloaded") is True
    await b.finish()


async def test_a_session_ended_elsewhere_asks_to_sign_in_instead_of_reconnecting(
    browser: Browser, base_url: str, admin_api: AdminApi, second_admin: str
) -> None:
    b = await open_as(browser, base_url, second_admin, SECOND_ADMIN_PASSWORD)
    assert len(b.sockets) == 1
    await b.page.evaluate("window.notReloaded = true")

    # Signed out in another tab: the session is gone. The next change makes the server end
    # the subscription, and the page asks to sign in again.
    response = await b.context.request.post(
        "/graphql", data={"query": "mutation { logout { __typename } }"}
    )
    assert response.ok
    seats = await admin_api.seats()
    await admin_api.set_license_count(seats["licenseCount"] + 1)
    await expect(b.page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible(
        timeout=LIVE_MS
    )
    await expect(b.page.get_by_role("button", name="Sign in")).to_be_visible()
    assert await b.page.evaluate("window.notReloaded") is True
    # No new connection after the end (a retry would come within about a second).
    await asyncio.sleep(1.5)
    assert len(b.sockets) == 1
    await admin_api.set_license_count(seats["licenseCount"])
    await b.finish()
