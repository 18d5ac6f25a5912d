"""Issue 10 item 11f: the periodic job purges what has run out — sessions past their end,
sign-in back-off counts past their window and wait, idempotency keys past their 48 hours
(R13) — and keeps everything still in use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.accounts.models import Session, SignInThrottle
from server.idempotency import IdempotencyKey
from server.jobs import run_due
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
