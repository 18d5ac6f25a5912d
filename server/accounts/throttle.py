"""Back-off after failed sign-ins, per e-mail address and per client address, kept in the
database so that every server process sees the same counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from server.accounts.models import SignInThrottle

WINDOW = timedelta(minutes=15)
LONGEST_WAIT = timedelta(minutes=15)


@dataclass(frozen=True)
class Limit:
    """Failures allowed within the window before each further one doubles the wait."""

    prefix: str
    free_failures: int


PER_ACCOUNT = Limit("email:", 5)
# Offices share an address: more room before it slows down.
PER_ADDRESS = Limit("address:", 20)


def _keys(email: str, address: str) -> list[tuple[str, Limit]]:
    return [
        (PER_ACCOUNT.prefix + email.strip().lower(), PER_ACCOUNT),
        (PER_ADDRESS.prefix + address, PER_ADDRESS),
    ]


async def seconds_to_wait(email: str, address: str, now: datetime) -> int:
    """How long until a sign-in may be tried again; 0 when it may now."""
    keys = [key for key, _ in _keys(email, address)]
    waits = [
        (row.blocked_until - now).total_seconds()
        for row in await SignInThrottle.filter(key__in=keys, blocked_until__gt=now)
    ]
    return int(max(waits, default=0) + 0.999)


async def record_failure(email: str, address: str, now: datetime) -> None:
    for key, limit in _keys(email, address):
        row = await SignInThrottle.get_or_none(key=key)
        fresh = row is None or now - row.last_failure_at > WINDOW
        failures = 1 if fresh else row.failures + 1
        blocked_until = None
        over = failures - limit.free_failures
        if over >= 0:
            blocked_until = now + min(timedelta(seconds=2**over), LONGEST_WAIT)
        await SignInThrottle.update_or_create(
            key=key,
            defaults={
                "failures": failures,
                "last_failure_at": now,
                "blocked_until": blocked_until,
            },
        )


async def record_success(email: str) -> None:
    await SignInThrottle.filter(key=PER_ACCOUNT.prefix + email.strip().lower()).delete()
