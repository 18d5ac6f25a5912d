"""Issue 15 in real Chromium: administrators add a webhook endpoint (its secret shown once),
disable and enable it, rotate its secret and remove it; and read an endpoint's delivery log
and resend from it, at 1280 px and 390 px. Screenshots go to var/screenshots/."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime

from playwright.async_api import Page, expect
from standardwebhooks.webhooks import Webhook

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import (
    VIEWPORTS,
    AdminApi,
    screenshot,
)
from tests.servers import free_port
from tests.webhook_receiver import Receiver


async def remove_every_endpoint(admin_api: AdminApi) -> None:
    """Each test starts with no endpoint (the server and its database serve every test)."""
    data = await admin_api.query("{ webhookEndpoints { id } }")
    for endpoint in data["webhookEndpoints"]:
        await admin_api.query(
            "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }",
            id=endpoint["id"],
        )


async def fits(page: Page, width: int) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


@VIEWPORTS
async def test_issue_15_an_endpoint_is_added_with_its_secret_shown_once_then_managed(
    admin_at, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    _, page, _ = admin_at
    await remove_every_endpoint(admin_api)
    url = f"https://127.0.0.1:9/seats-{viewport['width']}"
    await page.goto("/#/settings")
    await (
        page.get_by_role("navigation", name="Settings").get_by_role("link", name="Webhooks").click()
    )
    await expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()
    await expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()

    await page.get_by_role("button", name="Add endpoint").click()
    dialog = page.get_by_role("dialog", name="Add webhook endpoint")
    await expect(dialog.get_by_label("URL")).to_be_focused()
    # Refused by the server (not https): said in the dialog, nothing added.
    await page.keyboard.type("ftp://hooks.example.com/")
    await dialog.get_by_role("button", name="Add endpoint").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("https://")
    await dialog.get_by_label("URL").fill(url)
    await dialog.get_by_label("Description").fill("Payroll sync")
    await dialog.get_by_role("checkbox", name="invoice.issued").uncheck()
    await screenshot(page, f"webhook-add-{viewport['width']}.png")
    await assert_accessible(page, f"add endpoint dialog, {viewport['width']} px")
    await dialog.get_by_role("button", name="Add endpoint").click()

    shown = page.get_by_role("dialog", name="Copy the signing secret")
    secret = await shown.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    # Copied as an API token is: the button has the focus, and says what it did.
    await expect(shown.get_by_role("button", name="Copy")).to_be_focused()
    await screenshot(page, f"webhook-secret-{viewport['width']}.png")
    await page.keyboard.press("Enter")
    await expect(shown.get_by_role("status")).to_have_text("Copied to the clipboard.")
    assert await page.evaluate("navigator.clipboard.readText()") == secret
    await shown.get_by_role("button", name="Done").click()
    await expect(shown).to_be_hidden()
    row = page.get_by_test_id("webhook-row").filter(has_text=url)
    await expect(row).to_contain_text("Payroll sync")
    await expect(row).to_contain_text("license.count_changed")
    await expect(row).not_to_contain_text("invoice.issued")
    await expect(row).to_contain_text("Enabled")
    await expect(page.get_by_text(secret)).to_have_count(0)
    await fits(page, viewport["width"])

    await row.get_by_role("button", name="Disable").click()
    await expect(row).to_contain_text("Disabled")
    await expect(row.get_by_role("button", name="Enable")).to_be_focused()
    await row.get_by_role("button", name="Enable").click()
    await expect(row).to_contain_text("Enabled")

    await row.get_by_role("button", name="Rotate secret").click()
    confirm = page.get_by_role("dialog", name=f"Rotate the secret of {url}?")
    await confirm.get_by_role("button", name="Rotate secret").click()
    rotated = page.get_by_role("dialog", name="Copy the new secret")
    new_secret = await rotated.get_by_label("Signing secret").input_value()
    assert new_secret.startswith("whsec_") and new_secret != secret
    await rotated.get_by_role("button", name="Done").click()
    await expect(row).to_contain_text("The previous secret signs too until")
    await screenshot(page, f"webhooks-{viewport['width']}.png")
    await fits(page, viewport["width"])

    await row.get_by_role("button", name="Remove").click()
    remove = page.get_by_role("dialog", name=f"Remove the endpoint {url}?")
    await remove.get_by_role("button", name="Remove endpoint").click()
    await expect(page.get_by_test_id("webhook-row")).to_have_count(0)
    await page.reload()
    await expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()


@VIEWPORTS
async def test_issue_15_the_delivery_log_shows_attempts_and_resends_with_the_same_id(
    admin_at, admin_api: AdminApi, viewport: dict[str, int]
) -> None:
    _, page, _ = admin_at
    await remove_every_endpoint(admin_api)
    receiver = Receiver(free_port(), status=500, body=b"receiver says no")
    await receiver.start()
    try:
        created = await admin_api.query(
            """mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(
            input: $input) { ... on CreateWebhookEndpointSuccess { secret endpoint { id } } } }""",
            input={"url": receiver.url, "events": ["LICENSE_COUNT_CHANGED"]},
        )
        secret = created["createWebhookEndpoint"]["secret"]
        count = (await admin_api.seats())["licenseCount"]
        await admin_api.set_license_count(count + 1)
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert receiver.received, "the endpoint got the event"

        await page.goto("/#/webhooks")
        row = page.get_by_test_id("webhook-row").filter(has_text=receiver.url)
        await row.get_by_role("button", name="Delivery log").click()
        log = page.get_by_role("region", name=f"Delivery log of {receiver.url}")
        await expect(log.get_by_role("heading")).to_be_focused()
        delivery = log.get_by_test_id("webhook-delivery").first
        await expect(delivery).to_contain_text("license.count_changed")
        await expect(delivery).to_contain_text("500")
        await expect(delivery).to_contain_text("receiver says no")
        await expect(delivery).to_contain_text(receiver.received[0].message_id)
        await fits(page, viewport["width"])
        await screenshot(page, f"webhook-log-{viewport['width']}.png")
        await assert_accessible(page, f"webhooks page with its log, {viewport['width']} px")
        await row.get_by_role("button", name="Rotate secret").click()
        await assert_accessible(page, f"rotation question, {viewport['width']} px")
        await page.keyboard.press("Escape")

        receiver.status = 204
        before = len(receiver.received)
        await delivery.get_by_role("button", name="Resend").click()
        deadline = time.monotonic() + 20
        while len(receiver.received) == before and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await expect(page.get_by_text("will be sent again")).to_be_visible()
        # The log is read again when asked for: delivered now.
        for _ in range(50):
            await row.get_by_role("button", name="Delivery log").click()
            first = log.get_by_test_id("webhook-delivery").first
            if "Delivered" in await first.inner_text():
                break
            await asyncio.sleep(0.2)
        await expect(log.get_by_test_id("webhook-delivery").first).to_contain_text("Delivered")
    finally:
        await receiver.stop()
    assert len(receiver.ids()) == 1, "every arrival carries the same webhook-id"
    for arrival in receiver.received:
        Webhook(secret).verify(arrival.body, arrival.headers)


@VIEWPORTS
async def test_issue_15_an_endpoint_the_service_disabled_is_called_out_on_the_page(
    admin_at, admin_api: AdminApi, server_env: dict[str, str], viewport: dict[str, int]
) -> None:
    """Failing for three days, an endpoint is disabled by the service (tests/test_webhooks.py
    proves when); the page says so at the top, and enabling it again clears it."""
    _, page, _ = admin_at
    await remove_every_endpoint(admin_api)
    url = f"https://127.0.0.1:9/failing-{viewport['width']}"
    await admin_api.query(
        """mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input)
        { __typename } }""",
        input={"url": url, "events": ["INVOICE_ISSUED"]},
    )
    database = server_env["DATABASE_URL"].removeprefix("sqlite://")
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE webhook_endpoint SET enabled = 0, disabled_at = ?, disabled_reason = ? "
            "WHERE url = ?",
            (datetime.now(UTC).isoformat(), "Every delivery failed for three days.", url),
        )
    await page.goto("/#/webhooks")
    notice = page.get_by_test_id("webhook-disabled-notice")
    await expect(notice).to_contain_text(url)
    await expect(notice).to_contain_text("Every delivery failed for three days.")
    row = page.get_by_test_id("webhook-row").filter(has_text=url)
    await expect(row).to_contain_text("Disabled by Seats")
    await fits(page, viewport["width"])
    await assert_accessible(page, f"a disabled endpoint, {viewport['width']} px")
    await screenshot(page, f"webhook-disabled-{viewport['width']}.png")
    await row.get_by_role("button", name="Enable").click()
    await expect(row).to_contain_text("Enabled")
    await expect(notice).to_have_count(0)
