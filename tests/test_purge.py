"""Issue 10 item 11f: the periodic job purges what has run out — sessions past their end,
sign-in back-off counts past their window and wait, idempotency keys past their 48 hours
(R13) — and keeps everything still in use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from server.accounts.models import Session, SignInThrottle
from server.idempotency import IdempotencyKey
from server.jobs import run_due
from server.webhooks import services as webhooks
from server.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.factories import make_org


async def test_issue_10_item_11f_run_due_purges_what_has_run_out(db):
    now = datetime.now(UTC)
    org = await make_org()
    await Session.create(token_hash="e" * 64, resource_id=org.admin.id, expires_at=now)
    await Session.create(
        token_hash="l" * 64, resource_id=org.admin.id, expires_at=now + timedelta(hours=1)
    )
    long_ago = now - timedelta(minutes=16)
    await SignInThrottle.create(key="email:old@example.com", failures=3, last_failure_at=long_ago)
    await SignInThrottle.create(
        key="email:waiting@example.com",
        failures=12,
        last_failure_at=long_ago,
        blocked_until=now + timedelta(minutes=1),
    )
    await SignInThrottle.create(key="address:10.0.0.1", failures=2, last_failure_at=now)
    for key, age in (("old", timedelta(hours=49)), ("fresh", timedelta(hours=47))):
        row = await IdempotencyKey.create(
            organization_id=org.id,
            actor=f"person:{org.admin.id}",
            key=key,
            operation="setLicenseCount",
            fingerprint="f",
            outcome="{}",
        )
        await IdempotencyKey.filter(id=row.id).update(created_at=now - age)

    await run_due(now)

    assert {s.token_hash[0] for s in await Session.all()} == {"l"}
    assert {t.key for t in await SignInThrottle.all()} == {
        "email:waiting@example.com",
        "address:10.0.0.1",
    }
    assert {k.key for k in await IdempotencyKey.all()} == {"fresh"}


async def test_issue_15_run_due_forgets_webhook_events_settled_more_than_30_days_ago(db):
    """Issue 15: the delivery log keeps 30 days. An older event whose deliveries are all settled
    goes, with its deliveries and their attempts; one still pending stays, and so do newer
    ones. Past a batch, the purge goes on until none is left."""
    now = datetime.now(UTC)
    org = await make_org()
    endpoint = await WebhookEndpoint.create(
        organization_id=org.id,
        url="https://receiver.example/hooks",
        events="license.count_changed",
        secret="whsec_" + "C" * 32,
        created_at=now,
    )

    serial = iter(range(100))

    async def event(age: timedelta, status: DeliveryStatus) -> int:
        made = await WebhookEvent.create(
            organization_id=org.id,
            message_id=f"msg_{next(serial)}",
            type="license.count_changed",
            payload="{}",
            created_at=now - age,
        )
        delivery = await WebhookDelivery.create(
            event_id=made.id,
            endpoint_id=endpoint.id,
            status=status,
            next_attempt_at=now - age,
            created_at=now - age,
        )
        await WebhookAttempt.create(
            delivery_id=delivery.id, attempted_at=now - age, status_code=204, duration_ms=3
        )
        return made.id

    old = timedelta(days=31)
    gone = [await event(old, DeliveryStatus.DELIVERED) for _ in range(3)]
    gone.append(await event(old, DeliveryStatus.FAILED))
    pending = await event(old, DeliveryStatus.PENDING)
    recent = await event(timedelta(days=29), DeliveryStatus.DELIVERED)
    with patch.object(webhooks, "PURGE_BATCH", 2):
        await run_due(now)

    left = set(await WebhookEvent.all().values_list("id", flat=True))
    assert left == {pending, recent}
    assert set(await WebhookDelivery.all().values_list("event_id", flat=True)) == left
    assert await WebhookAttempt.all().count() == 2
