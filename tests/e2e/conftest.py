"""Fixtures for the browser tests: a real server on a free port with a database of its own,
Debian's Chromium driven by Playwright, and an administrator's GraphQL client for setting up
data. The server and the browser live for the whole run; each test gets a fresh browser
context (its own cookies)."""

from __future__ import annotations

import calendar
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import (
    APIResponse,
    Browser,
    BrowserContext,
    Page,
    Route,
    async_playwright,
)

from tests import servers
from tests.servers import ROOT, running_server

SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ADMIN_EMAIL = "admin@e2e.example"
ADMIN_PASSWORD = "e2e-admin-password"
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Every page is tried at both widths.
VIEWPORTS = pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests run once, in the SQLite run: the page does not see the database."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="the browser tests run once, in the SQLite run")
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(skip)


# How the page writes money and days (en-GB): what a person reads, worked out independently.
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "US$"}
SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]


def money(minor_units: int, currency: str = "EUR") -> str:
    """1320 EUR as "€13.20", -426 as "−€4.26" (a true minus sign)."""
    symbol = CURRENCY_SYMBOLS[currency]
    sign = "\u2212" if minor_units < 0 else ""
    whole, cents = divmod(abs(minor_units), 100)
    return f"{sign}{symbol}{whole:,}.{cents:02d}"


def day_text(day: date) -> str:
    """date(2026, 12, 12) as "12 Dec 2026"."""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def prorated(price: int, effective_on: date) -> int:
    """One more licence from `effective_on` to the end of its month, rounded half-up (R9)."""
    days = calendar.monthrange(effective_on.year, effective_on.month)[1]
    left = days - effective_on.day + 1
    value = Fraction(price * left, days)
    return int((2 * value.numerator + value.denominator) // (2 * value.denominator))


def run_cli(env: dict[str, str], *args: str) -> str:
    """`python -m server ARGS` on the browser tests' database (`env` is `server_env`)."""
    return servers.run_cli(env["DATABASE_URL"], *args)


@pytest.fixture(scope="session")
def e2e_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def server_env(e2e_workdir: Path) -> dict[str, str]:
    """The environment of the server and of the command line on the same database."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite://{e2e_workdir / 'e2e.sqlite3'}",
        # Webhooks (issue 15) go to a receiver on loopback, retried quickly.
        "SEATS_WEBHOOKS_ALLOW_PRIVATE": "1",
        "SEATS_WEBHOOK_RETRY_SECONDS": "0.5",
        "SEATS_WEBHOOK_POLL": "0.2",
    }


@pytest.fixture(scope="session")
async def base_url(e2e_workdir: Path, server_env: dict[str, str]) -> AsyncIterator[str]:
    """`python -m server serve` on a migrated database with one organisation."""
    run_cli(server_env, "migrate")
    run_cli(
        server_env, "create-admin", "--org", "E2E Org", "--email", ADMIN_EMAIL,
        "--password", ADMIN_PASSWORD, "--name", "Erika Admin",
    )  # fmt: skip
    async with running_server(server_env["DATABASE_URL"], e2e_workdir, env=server_env) as server:
        yield server.base_url


@dataclass
class AdminApi:
    """GraphQL as the administrator, for arranging what a test needs."""

    http: httpx.AsyncClient
    emails: set[str] = field(default_factory=set)

    async def query(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def seats(self) -> dict[str, int]:
        data = await self.query("{ seats { licenseCount used available reducibleBy } }")
        return data["seats"]

    async def set_license_count(self, count: int) -> None:
        data = await self.query(
            "mutation($n: Int!) { setLicenseCount(count: $n) { __typename } }", n=count
        )
        assert data["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess"

    async def add_person(
        self,
        name: str,
        *,
        email: str | None = None,
        kind: str = "EMPLOYEE",
        role: str = "MEMBER",
        login_access: bool = False,
        password: str | None = None,
    ) -> str:
        email = email or f"{len(self.emails)}.{name.split()[0].lower()}@e2e.example"
        self.emails.add(email)
        data = await self.query(
            """mutation($input: AddResourceInput!) {
                addResource(input: $input, acceptLicenseIncrease: true) {
                    ... on AddResourceSuccess { resource { id } }
                }
            }""",
            input={
                "name": name,
                "email": email,
                "kind": kind,
                "role": role,
                "loginAccess": login_access,
                "password": password,
                "startDate": "2025-03-01",
            },
        )
        return data["addResource"]["resource"]["id"]

    async def plan(self) -> dict[str, Any]:
        data = await self.query("{ plan { name pricePerLicense currency billingPeriod } }")
        return data["plan"]

    async def next_invoice(self) -> dict[str, Any]:
        data = await self.query(
            """{ nextInvoice { periodStart periodEnd currency total
                lines { kind description quantity amount resource { name } } } }"""
        )
        return data["nextInvoice"]

    async def resource(self, resource_id: str) -> dict[str, Any]:
        data = await self.query(
            """query($id: ID!) { resource(id: $id) {
                name active loginAccess lastWorkDay scheduledTermination } }""",
            id=resource_id,
        )
        return data["resource"]

    async def terminate(self, resource_id: str, last_work_day: str) -> str:
        data = await self.query(
            """mutation($id: ID!, $day: Date!) {
                terminate(resourceId: $id, lastWorkDay: $day) { __typename } }""",
            id=resource_id,
            day=last_work_day,
        )
        return data["terminate"]["__typename"]

    async def history(self, first: int = 5) -> list[dict[str, Any]]:
        data = await self.query(
            """query($n: Int!) { history(first: $n) { edges { node {
                fromCount toCount reason resource { name } } } } }""",
            n=first,
        )
        return [edge["node"] for edge in data["history"]["edges"]]


@pytest.fixture(scope="session")
async def admin_api(base_url: str) -> AsyncIterator[AdminApi]:
    # The server closes a connection idle for 5 s (uvicorn's keep-alive); a request sent on it
    # just then is lost (a read error). The client lets its idle connections go sooner.
    limits = httpx.Limits(keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=base_url, timeout=10, limits=limits) as http:
        api = AdminApi(http)
        data = await api.query(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }",
            e=ADMIN_EMAIL,
            p=ADMIN_PASSWORD,
        )
        assert data["login"]["__typename"] == "LoginSuccess"
        # A few colleagues, so that the pages look like an organisation in use.
        await api.set_license_count(6)
        for name, kind, access in [
            ("Astrid Lindqvist", "EMPLOYEE", True),
            ("Bo Ek", "EMPLOYEE", True),
            ("Cecilia Holm", "EMPLOYEE", False),
            ("David Nyberg", "EMPLOYEE", True),
            ("Hanna Ström", "EXTERNAL_CONSULTANT", True),
        ]:
            await api.add_person(name, kind=kind, login_access=access)
        yield api


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@dataclass
class PageProblems:
    """What a test must not leave behind: script errors, console errors, alert() calls."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )

        async def dismiss(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            await dialog.dismiss()

        page.on("dialog", dismiss)


async def new_page(
    browser: Browser, base_url: str, *, viewport: dict[str, int] = WIDE
) -> tuple[BrowserContext, Page, PageProblems]:
    context = await browser.new_context(base_url=base_url, viewport=viewport, locale="en-GB")
    page = await context.new_page()
    problems = PageProblems()
    problems.watch(page)
    return context, page, problems


async def route_operation(
    page: Page, marker: str, answer: Callable[[Route, dict], Awaitable[None]]
) -> list[dict]:
    """Routes the page's GraphQL requests whose document contains `marker` (e.g.
    `"query HistoryPage("`) through `answer(route, body)`; every other request goes on as it
    is. Returns the variables of each such request sent, in order."""
    sent: list[dict] = []

    async def handle(route: Route) -> None:
        body = route.request.post_data_json
        if marker not in body["query"]:
            await route.continue_()
            return
        sent.append(body["variables"])
        await answer(route, body)

    await page.route("**/graphql", handle)
    return sent


async def route_history_query(
    page: Page, answer: Callable[[Route, dict, APIResponse], Awaitable[None]]
) -> list[dict]:
    """Routes the page's history query through `answer(route, body, response)`, with the
    server's response already fetched."""

    async def fetched(route: Route, body: dict) -> None:
        await answer(route, body, await route.fetch())

    return await route_operation(page, "query HistoryPage(", fetched)


async def lose_the_first_answer(page: Page, marker: str) -> list[dict]:
    """The first request whose document contains `marker` reaches the server, and its answer
    is lost on the way back (the connection resets); the next ones go through (R13: a retry).
    Returns the variables of each such request sent."""
    sent: list[dict] = []

    async def lose(route: Route, body: dict) -> None:
        sent.append(body["variables"])
        if len(sent) == 1:
            await route.fetch()  # the server makes the change...
            await route.abort("connectionreset")  # ...and the answer never arrives
        else:
            await route.continue_()

    await route_operation(page, marker, lose)
    return sent


async def sign_in_context(context: BrowserContext, email: str, password: str) -> None:
    """Signs the context in through the API; the cookie is shared with its pages."""
    response = await context.request.post(
        "/graphql",
        data={
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ __typename } }",
            "variables": {"e": email, "p": password},
        },
    )
    assert (await response.json())["data"]["login"]["__typename"] == "LoginSuccess"


@asynccontextmanager
async def signed_in_admin(
    browser: Browser,
    base_url: str,
    *,
    viewport: dict[str, int] = WIDE,
    clipboard: bool = False,
) -> AsyncIterator[tuple[BrowserContext, Page, PageProblems]]:
    """A signed-in administrator's page (not yet navigated), closed afterwards; the page must
    have logged no error and opened no browser dialog. `clipboard`: the page may use it."""
    context, page, problems = await new_page(browser, base_url, viewport=viewport)
    if clipboard:
        await context.grant_permissions(["clipboard-read", "clipboard-write"])
    await sign_in_context(context, ADMIN_EMAIL, ADMIN_PASSWORD)
    yield context, page, problems
    await context.close()
    assert problems.errors == []
    assert problems.dialogs == []


@pytest.fixture
async def admin_at(
    browser: Browser, base_url: str, admin_api: AdminApi, viewport: dict[str, int]
) -> AsyncIterator[tuple[BrowserContext, Page, PageProblems]]:
    """A signed-in administrator's page at the test's viewport, allowed to use the clipboard
    (a secret shown once is copied with a button)."""
    async with signed_in_admin(browser, base_url, viewport=viewport, clipboard=True) as opened:
        yield opened


@pytest.fixture(params=[WIDE, PHONE], ids=["1280", "390"])
async def admin_at_width(
    request: pytest.FixtureRequest, browser: Browser, base_url: str, admin_api: AdminApi
) -> AsyncIterator[tuple[Page, int]]:
    """A signed-in administrator's page (not yet navigated) at each width, and the width."""
    async with signed_in_admin(browser, base_url, viewport=request.param) as (_, page, _):
        yield page, request.param["width"]


async def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """A picture of the page, under SCREENSHOTS, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / name, full_page=full_page)


@pytest.fixture
async def admin_page(
    browser: Browser, base_url: str, admin_api: AdminApi
) -> AsyncIterator[tuple[Page, PageProblems]]:
    """A signed-in administrator's page (not yet navigated)."""
    async with signed_in_admin(browser, base_url) as (_, page, problems):
        yield page, problems
