"""Work done on a clock rather than on a request: scheduled terminations (R7) and expiring
idempotency keys (R13). Every server process runs it; running it in several at once is safe."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from server.idempotency import forget_expired
from server.licensing.services import apply_due_terminations

log = logging.getLogger("seats.jobs")


async def run_due(now: datetime | None = None) -> int:
    """Apply what is due at `now`; returns how many terminations took effect."""
    now = now or datetime.now(UTC)
    applied = await apply_due_terminations(now)
    await forget_expired(now)
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
