"""When people last signed in and were last active, and the licenses nobody uses (R19, issue 15).

Activity is kept coarsely. Signing in writes `last_signed_in_at` (and `last_active_at`). A
request with a session cookie is activity: the session lookup (server/accounts/lookups.py, one
statement) reads `last_active_at` with the person, and only when it is older than TOUCH_EVERY
is one UPDATE written; every other request of the hour writes nothing. A request with an API
token is the token's activity (`ApiToken.last_used_at`), not a person's.

A license is unused when its holder (R1: `rules.LICENSE_HOLDER`) has not been active for the
organisation's `unused_after_days` (30 unless it chooses, 1 to 365): last active before that,
or never active and registered and started before that. The list reads the index of
migration 13, (organisation, R1's columns, last activity, id): never active first, by id, then
by last activity and id, so a page costs what the first one does however many people the
organisation has.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from server import sql
from server.accounts import rules as account_rules
from server.accounts.models import Organization, Resource
from server.accounts.queries import PERSON_COLUMNS, Person, person_of
from server.billing import services as billing
from server.billing.proration import local_day
from server.errors import InvalidInput
from server.licensing import rules
from server.pagination import decode_cursor, encode_cursor, page_size
from server.sql import utc

# Writing `last_active_at` on every request would turn reads into writes; to the hour is
# precise enough for deciding whether a license is used (N is counted in days).
TOUCH_EVERY = timedelta(hours=1)

UNUSED_AFTER_DAYS = 30
MIN_UNUSED_AFTER_DAYS = 1
MAX_UNUSED_AFTER_DAYS = 365


async def seen(resource: Resource, now: datetime) -> None:
    """A request of the person's session at `now`: one UPDATE when the kept activity is older
    than TOUCH_EVERY, none otherwise."""
    if account_rules.time_to_note_use(resource.last_active_at, now, TOUCH_EVERY):
        resource.last_active_at = utc(now)
        await Resource.filter(id=resource.id).update(last_active_at=resource.last_active_at)


async def signed_in(resource: Resource, now: datetime) -> None:
    """The person signed in with their password at `now`: their last sign-in, which is
    activity too (their requests in the next hour write nothing more)."""
    resource.last_signed_in_at = resource.last_active_at = utc(now)
    await Resource.filter(id=resource.id).update(
        last_signed_in_at=resource.last_signed_in_at, last_active_at=resource.last_active_at
    )


def check_unused_after_days(days: int) -> int:
    """R19: N is a whole number of days from 1 to 365."""
    if not MIN_UNUSED_AFTER_DAYS <= days <= MAX_UNUSED_AFTER_DAYS:
        raise InvalidInput(
            f"A license counts as unused after {MIN_UNUSED_AFTER_DAYS} to "
            f"{MAX_UNUSED_AFTER_DAYS} days without activity (got {days}).",
            field="days",
        )
    return days


async def set_unused_after_days(organization: Organization, days: int) -> int:
    """R19: how many days without activity make a license unused in this organisation."""
    check_unused_after_days(days)
    await Organization.filter(id=organization.id).update(unused_after_days=days)
    organization.unused_after_days = days
    return days


# What a cursor holds for a person never active: no moment.
_NEVER = ""


@dataclass
class UnusedPage:
    """A page of the people whose licenses are unused, and what each license costs a month."""

    people: list[Person]
    has_next_page: bool
    unused_after_days: int
    # Last active before this (or never, and registered and started before it): unused.
    inactive_since: datetime
    monthly_cost: int
    currency: str
    # The statement that counts them all, and its parameters.
    count_statement: str
    count_params: list[object]
    _counted: asyncio.Future[int] | None = None

    @staticmethod
    def cursor_of(person: Person) -> str:
        at = person.last_active_at
        return encode_cursor(utc(at).isoformat() if at else _NEVER, person.id)

    @property
    def end_cursor(self) -> str | None:
        return self.cursor_of(self.people[-1]) if self.people else None

    async def total_count(self) -> int:
        """How many licenses are unused, on all pages: one statement that reads the index
        entries of the unused ones only, read once however many fields ask."""
        if self._counted is None:
            self._counted = asyncio.ensure_future(self._count())
        return await asyncio.shield(self._counted)

    async def _count(self) -> int:
        rows = await sql.fetch(self.count_statement, self.count_params)
        return rows[0]["n"]


def _conditions(organization_id: int) -> tuple[list[str], list[object]]:
    """The license holders of the organisation (R1, LICENSE_HOLDER), as conditions the index
    of migration 13 seeks to."""
    params: list[object] = [organization_id]
    conditions = ['"organization_id"=$1']
    for column, value in rules.LICENSE_HOLDER:
        params.append(getattr(value, "value", value))
        conditions.append(f'"{column}"=${len(params)}')
    return conditions, params


def _numbered(text: str, offset: int) -> str:
    """`text` with its placeholders $n renumbered $(n + offset)."""
    return re.sub(r"\$(\d+)", lambda found: f"${int(found[1]) + offset}", text)


async def unused_licenses_page(
    organization: Organization,
    *,
    first: int | None = None,
    after: str | None = None,
    now: datetime | None = None,
) -> UnusedPage:
    """R19: the license holders not active for the organisation's `unused_after_days`, never
    active first (by id), then by last activity, oldest first, and id; with the plan's price
    of one license for a month, the money each unused license costs."""
    size = page_size(first)
    now = utc(now or datetime.now(UTC))
    days = organization.unused_after_days
    cutoff = now - timedelta(days=days)
    # A person never active counts from when they were registered or started, whichever is
    # later: their first work day must have begun before the cutoff, in the organisation's
    # time zone.
    cutoff_day = local_day(cutoff, organization.time_zone)
    holders, base = _conditions(organization.id)
    n = len(base)
    never_where = " AND ".join(
        [*holders, '"last_active_at" IS NULL', f'"created_at"<${n + 1}', f'"start_date"<=${n + 2}']
    )
    since_where = " AND ".join([*holders, f'"last_active_at"<${n + 1}'])
    never_params = [*base, cutoff, cutoff_day]
    since_params = [*base, cutoff]

    after_moment: datetime | None = None
    after_id = 0
    in_since = False
    if after is not None:
        text, after_id = decode_cursor(after, str, int)
        in_since = text != _NEVER
        if in_since:
            after_moment = _cursor_moment(text)

    found: list[Person] = []
    if not in_since:
        params = [*never_params, after_id, size + 1]
        k = len(never_params)
        # By id; said as the index's order (every last activity here is null) so that
        # PostgreSQL reads the index in order too, as it cannot tell from `IS NULL` alone.
        rows = await sql.fetch(
            f'SELECT {PERSON_COLUMNS} FROM "resource" WHERE {never_where} AND "id">${k + 1} '
            f'ORDER BY "last_active_at","id" LIMIT ${k + 2}',
            params,
        )
        found = [person_of(row) for row in rows]
    if len(found) <= size:
        params = list(since_params)
        where = since_where
        if after_moment is not None:
            k = len(params)
            # `>=` adds nothing logically, but lets the database seek the index to the cursor.
            where += (
                f' AND "last_active_at">=${k + 1} AND ("last_active_at">${k + 2} '
                f'OR ("last_active_at"=${k + 3} AND "id">${k + 4}))'
            )
            params += [after_moment, after_moment, after_moment, after_id]
        params.append(size + 1 - len(found))
        rows = await sql.fetch(
            f'SELECT {PERSON_COLUMNS} FROM "resource" WHERE {where} '
            f'ORDER BY "last_active_at","id" LIMIT ${len(params)}',
            params,
        )
        found += [person_of(row) for row in rows]
    plan = await billing.current_plan(organization.id)
    return UnusedPage(
        people=found[:size],
        has_next_page=len(found) > size,
        unused_after_days=days,
        inactive_since=cutoff,
        monthly_cost=billing.monthly_price(plan),
        currency=plan.currency,
        count_statement=(
            f'SELECT (SELECT COUNT(*) FROM "resource" WHERE {never_where})+'
            f'(SELECT COUNT(*) FROM "resource" WHERE '
            f'{_numbered(since_where, len(never_params))}) AS "n"'
        ),
        count_params=[*never_params, *since_params],
    )


def _cursor_moment(text: str) -> datetime:
    try:
        found = sql.moment(text)
    except ValueError:
        found = None
    if found is None or found.tzinfo is None:
        raise InvalidInput("The cursor is not one this API gave out.", field="after")
    return utc(found)
