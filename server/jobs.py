"""Work done on a clock rather than on a request: scheduled terminations (R7), and purging
what has run out: idempotency keys past their 48 hours (R13), ended sessions, and sign-in
back-off counts whose window and wait are over, and webhook events settled more than 30 days
ago. Every server process runs it; running it in several at once is safe."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from server.accounts import throttle
from server.accounts.services import forget_expired_sessions
from server.idempotency import forget_expired
from server.licensing.services import apply_due_terminations
from server.webhooks.services import forget_old_events

log = logging.getLogger("seats.jobs")


async def run_due(now: datetime | None = None) -> int:
    """Apply what is due at `now`; returns how many terminations took effect."""
    now = now or datetime.now(UTC)
    applied = await apply_due_terminations(now)
    await forget_expired(now)
    await forget_expired_sessions(now)
    await throttle.forget_expired(now)
    await forget_old_events(now)
    return applied


async def run_periodically(interval: float) -> None:
    while True:
        try:
            applied = await run_due()
            if applied:
                log.info("applied %d scheduled termination(s)", applied)
        except Exception:
            log.exception("the scheduled job failed; it runs again in %s s", interval)
        await asyncio.sleep(interval)
