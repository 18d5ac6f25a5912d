"""Back-off after failed sign-ins, per e-mail address and per client address, kept in the
database so that every server process sees the same counts.

A sign-in claims its attempt before the password is checked: in one transaction, with both
counters' rows locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite runs one transaction at a
time), the attempt is refused if either key is blocked, or else counted on both, and a key
that reaches its free attempts is blocked at once. However many guesses arrive together, in
however many processes, at most `free_failures` passwords per account are checked before the
first wait. A success gives its attempt back: the account's count starts again, and the
address's count loses the attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

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


def _account_key(email: str) -> str:
    return PER_ACCOUNT.prefix + email.strip().lower()


def _keys(email: str, address: str) -> list[tuple[str, Limit]]:
    # Always in this order (the keys sort so too): two sign-ins lock the rows alike.
    return [(PER_ADDRESS.prefix + address, PER_ADDRESS), (_account_key(email), PER_ACCOUNT)]


async def _locked(conn: BaseDBAsyncClient, key: str, now: datetime) -> SignInThrottle:
    """The key's row, created if new, locked until the transaction ends."""
    await SignInThrottle.bulk_create(
        [SignInThrottle(key=key, failures=0, last_failure_at=now)],
        ignore_conflicts=True,
        using_db=conn,
    )
    return await SignInThrottle.filter(key=key).select_for_update().using_db(conn).get()


def _wait_after(failures: int, limit: Limit) -> timedelta | None:
    over = failures - limit.free_failures
    return min(timedelta(seconds=2**over), LONGEST_WAIT) if over >= 0 else None


async def claim_attempt(email: str, address: str, now: datetime) -> int:
    """Count a sign-in attempt before its password is checked. Returns 0 when it may go
    ahead, else the seconds to wait (and nothing is counted)."""
    async with in_transaction() as conn:
        rows = [(await _locked(conn, key, now), limit) for key, limit in _keys(email, address)]
        waits = [
            (row.blocked_until - now).total_seconds()
            for row, _ in rows
            if row.blocked_until is not None and row.blocked_until > now
        ]
        if waits:
            return int(max(waits) + 0.999)
        for row, limit in rows:
            row.failures = 1 if now - row.last_failure_at > WINDOW else row.failures + 1
            row.last_failure_at = now
            wait = _wait_after(row.failures, limit)
            row.blocked_until = now + wait if wait else None
            await row.save(
                using_db=conn, update_fields=["failures", "last_failure_at", "blocked_until"]
            )
    return 0


async def record_success(email: str, address: str) -> None:
    """The attempt claimed was right: the account starts again, the address gets it back."""
    async with in_transaction() as conn:
        address_key = PER_ADDRESS.prefix + address
        row = (
            await SignInThrottle.filter(key=address_key)
            .select_for_update()
            .using_db(conn)
            .get_or_none()
        )
        if row is not None and row.failures > 0:
            row.failures -= 1
            if _wait_after(row.failures, PER_ADDRESS) is None:
                row.blocked_until = None
            await row.save(using_db=conn, update_fields=["failures", "blocked_until"])
        await SignInThrottle.filter(key=_account_key(email)).using_db(conn).delete()


async def forget_expired(now: datetime) -> int:
    """Rows whose window and wait are both over count for nothing any more."""
    return await SignInThrottle.filter(
        Q(blocked_until__isnull=True) | Q(blocked_until__lte=now),
        last_failure_at__lt=now - WINDOW,
    ).delete()
