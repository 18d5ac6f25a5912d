"""Issue 15 through the API: administrators register webhook endpoints, see the secret once,
rotate it, read the delivery log and resend."""

from __future__ import annotations

import pytest
from standardwebhooks.webhooks import Webhook

from server.api import ids
from server.licensing import services
from server.webhooks import delivery
from server.webhooks import services as webhooks
from server.webhooks.models import EventType, WebhookEndpoint
from tests.factories import MAXIMUM, error_codes, make_org
from tests.servers import free_port
from tests.test_webhooks import deliver_until_done
from tests.webhook_receiver import Receiver

CREATE = """mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input)
  { ... on CreateWebhookEndpointSuccess { secret endpoint { id url description events enabled
  failingSince disabledReason previousSecretExpiresAt } } } }"""
ENDPOINTS = "{ webhookEndpoints { id url description events enabled } }"
LOG = """query($id: ID!) { webhookDeliveries(endpointId: $id) { id webhookId eventType status
  payload nextAttemptAt deliveredAt attempts { statusCode durationMs responseExcerpt error } } }"""
RESEND = """mutation($id: ID!) { resendWebhookDelivery(id: $id) { ... on
  ResendWebhookDeliverySuccess { delivery { id webhookId status } } } }"""


@pytest.fixture
async def org(client, monkeypatch):
    monkeypatch.setenv("SEATS_WEBHOOKS_ALLOW_PRIVATE", "1")
    made = await make_org(license_count=2)
    await client.login(made.admin.email)
    return made


async def create(client, url: str, events=("LICENSE_COUNT_CHANGED",), **more) -> dict:
    data = await client.data(CREATE, input={"url": url, "events": list(events), **more})
    return data["createWebhookEndpoint"]


async def test_issue_15_the_secret_is_shown_once_and_never_listed(client, org):
    created = await create(client, "https://93.184.216.34/hooks", description=" Payroll ")
    secret = created["secret"]
    assert secret.startswith("whsec_")
    assert created["endpoint"] == {
        "id": created["endpoint"]["id"],
        "url": "https://93.184.216.34/hooks",
        "description": "Payroll",
        "events": ["LICENSE_COUNT_CHANGED"],
        "enabled": True,
        "failingSince": None,
        "disabledReason": None,
        "previousSecretExpiresAt": None,
    }
    listed = await client.data(ENDPOINTS)
    assert len(listed["webhookEndpoints"]) == 1
    assert secret not in str(listed)
    rotated = await client.data(
        "mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapHours: 2) { ... on "
        "RotateWebhookSecretSuccess { secret endpoint { previousSecretExpiresAt } } } }",
        id=created["endpoint"]["id"],
    )
    new = rotated["rotateWebhookSecret"]
    assert new["secret"].startswith("whsec_") and new["secret"] != secret
    assert new["endpoint"]["previousSecretExpiresAt"] is not None
    assert new["secret"] not in str(await client.data(ENDPOINTS))


@pytest.mark.parametrize(
    ("url", "events"),
    [
        ("http://93.184.216.34/", ["LICENSE_COUNT_CHANGED"]),
        ("https://169.254.169.254/latest", ["LICENSE_COUNT_CHANGED"]),
        ("https://10.0.0.1/", ["LICENSE_COUNT_CHANGED"]),
        ("not a url", ["LICENSE_COUNT_CHANGED"]),
        ("https://93.184.216.34/", []),
    ],
)
async def test_issue_15_bad_endpoints_are_refused(client, org, monkeypatch, url, events):
    monkeypatch.delenv("SEATS_WEBHOOKS_ALLOW_PRIVATE")
    body = await client(CREATE, input={"url": url, "events": events})
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert not await WebhookEndpoint.exists()


async def test_issue_15_update_and_delete(client, org):
    created = await create(client, "https://93.184.216.34/a")
    endpoint_id = created["endpoint"]["id"]
    updated = await client.data(
        "mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint("
        "id: $id, input: $input) { ... on UpdateWebhookEndpointSuccess { endpoint { url "
        "events enabled description } } } }",
        id=endpoint_id,
        input={"url": "https://93.184.216.34/b", "events": ["INVOICE_ISSUED"], "enabled": False},
    )
    assert updated["updateWebhookEndpoint"]["endpoint"] == {
        "url": "https://93.184.216.34/b",
        "events": ["INVOICE_ISSUED"],
        "enabled": False,
        "description": "",
    }
    deleted = await client.data(
        "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { ... on "
        "DeleteWebhookEndpointSuccess { id } } }",
        id=endpoint_id,
    )
    assert deleted["deleteWebhookEndpoint"]["id"] == endpoint_id
    assert (await client.data(ENDPOINTS))["webhookEndpoints"] == []


async def test_issue_15_r12_another_organisations_endpoint_is_not_found(client, org):
    other = await make_org("Other")
    _, theirs = await webhooks.create_endpoint(
        other.id, "https://93.184.216.34/x", "", list(EventType), enabled=True
    )
    foreign = ids.encode(ids.WEBHOOK_ENDPOINT, theirs.id)
    assert error_codes(await client(LOG, id=foreign)) == ["NOT_FOUND"]
    body = await client(
        "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }", id=foreign
    )
    assert error_codes(body) == ["NOT_FOUND"]
    assert await WebhookEndpoint.filter(id=theirs.id).exists()


async def test_issue_15_the_log_shows_attempts_and_resend_keeps_the_webhook_id(client, org):
    receiver = Receiver(free_port())
    created = await create(client, receiver.url)
    endpoint_id = created["endpoint"]["id"]
    await services.set_license_count(org.actor, 3, maximum=MAXIMUM)
    settings = delivery.get_settings()
    await receiver.start()
    try:
        async with delivery.new_client() as http:
            await deliver_until_done(http, settings)
            (entry,) = (await client.data(LOG, id=endpoint_id))["webhookDeliveries"]
            assert entry["status"] == "DELIVERED"
            assert entry["eventType"] == "LICENSE_COUNT_CHANGED"
            assert entry["nextAttemptAt"] is None and entry["deliveredAt"] is not None
            (attempt,) = entry["attempts"]
            assert attempt["statusCode"] == 204 and attempt["error"] is None
            assert attempt["durationMs"] >= 0
            resent = (await client.data(RESEND, id=entry["id"]))["resendWebhookDelivery"]
            assert resent["delivery"]["status"] == "PENDING"
            assert resent["delivery"]["webhookId"] == entry["webhookId"]
            await deliver_until_done(http, settings)
    finally:
        await receiver.stop()
    assert [r.message_id for r in receiver.received] == [entry["webhookId"]] * 2
    for arrival in receiver.received:
        Webhook(created["secret"]).verify(arrival.body, arrival.headers)
    (entry,) = (await client.data(LOG, id=endpoint_id))["webhookDeliveries"]
    assert len(entry["attempts"]) == 2
