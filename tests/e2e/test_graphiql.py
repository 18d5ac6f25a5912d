"""GraphiQL at /graphql works without internet: every file it needs comes from this server
(server/graphiql, vendor/), and its Content-Security-Policy allows this server only."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PHONE,
    SCREENSHOTS,
    WIDE,
    AdminApi,
    new_page,
    sign_in_context,
)

QUERY = "{ seats { licenseCount } }"


async def cut_off_from_internet(context: BrowserContext, base_url: str) -> list[str]:
    """Aborts every request of the context that is not for the test server; returns them."""
    own = urlsplit(base_url).netloc
    refused: list[str] = []

    async def only_own(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own:
            await route.continue_()
        else:
            refused.append(route.request.url)
            await route.abort("internetdisconnected")

    await context.route("**/*", only_own)
    return refused


async def open_empty_editor(page: Page, timeout: float) -> None:
    """GraphiQL opened, its query editor focused and emptied, ready to type into."""
    await page.goto("/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    await expect(editor).to_be_visible(timeout=timeout)
    await editor.click()
    await page.keyboard.press("Control+A")
    await page.keyboard.press("Delete")


async def graphiql_page(base_url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url) as http:
        return await http.get("/graphql", headers={"accept": "text/html"})


async def test_graphiql_html_refers_to_no_other_site(base_url: str):
    """GraphiQL's page names no http(s) address of another site, and allows scripts, styles
    and connections from this server only (no inline script)."""
    response = await graphiql_page(base_url)
    assert response.status_code == 200
    addresses = re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", response.text)
    assert addresses == []
    policy = response.headers["content-security-policy"]
    csp = dict(part.partition(" ")[::2] for part in policy.split("; "))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["connect-src"] == "'self'"


async def test_graphiql_files_are_served_here_and_cached_long(base_url: str):
    """Every script and stylesheet of the page comes from this server, with a year's cache
    (its address holds a digest of its content); an unknown name is not found."""
    page = (await graphiql_page(base_url)).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assets = [s for s in sources if s.startswith("/graphiql-assets/")]
    assert len(assets) == 9
    async with httpx.AsyncClient(base_url=base_url) as http:
        for asset in assets:
            response = await http.get(asset)
            assert response.status_code == 200, asset
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
            kind = "text/css" if asset.endswith(".css") else "text/javascript"
            assert response.headers["content-type"].startswith(kind), asset
            assert len(response.content) > 100, asset
        stale = assets[0].replace("/graphiql-assets/", "/graphiql-assets/0000", 1)
        moved = await http.get(stale)
        assert (moved.status_code, moved.headers["location"]) == (307, assets[0])
        assert (await http.get("/graphiql-assets/abc/package.json")).status_code == 404


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
async def test_graphiql_runs_a_query_without_internet(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
):
    """Signed in as the administrator, with every other site unreachable: GraphiQL loads,
    a query typed into its editor runs (Ctrl+Enter) and its answer shows (R1 seats)."""
    expected = (await admin_api.seats())["licenseCount"]
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    try:
        refused = await cut_off_from_internet(context, base_url)
        await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
        await open_empty_editor(page, timeout=15_000)
        await page.keyboard.type(QUERY)
        await page.keyboard.press("Control+Enter")
        result = page.locator(".graphiql-response .CodeMirror").first
        await expect(result).to_contain_text('"licenseCount"', timeout=15_000)
        text = await result.inner_text()
        answer = json.loads(text.replace("\xa0", " "))
        assert answer == {"data": {"seats": {"licenseCount": expected}}}
        name = "wide" if viewport is WIDE else "phone"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=SCREENSHOTS / f"graphiql-offline-{name}.png")
        assert refused == []
        assert problems.errors == []
    finally:
        await context.close()


async def test_graphiql_keeps_every_keystroke_on_a_slow_device(browser: Browser, base_url: str):
    """On a device twelve times slower, a query typed key by key right after the editor was
    cleared, with pauses about as long as the one after which GraphiQL reports an edit, stays
    exactly as typed: the page never puts an older text back into the editor. The address
    then carries the query, so a reload or a shared link shows it."""
    context, page, problems = await new_page(browser, base_url)
    try:
        await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
        cdp = await context.new_cdp_session(page)
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": 12})
        await open_empty_editor(page, timeout=30_000)
        await page.wait_for_timeout(150)
        for i, key in enumerate(QUERY):
            await page.keyboard.type(key)
            await page.wait_for_timeout(90 + 10 * (i % 5))
        await page.wait_for_timeout(500)
        typed = await page.evaluate(
            "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
        )
        assert typed == QUERY
        await page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == [QUERY])
        assert problems.errors == []
    finally:
        await context.close()
