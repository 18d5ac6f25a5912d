"""Writing and reading the license history (R8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from server import sql
from server.accounts.models import Organization, Resource
from server.errors import InvalidInput
from server.licensing.models import ChangeReason, LicenseChange, SeatUsage
from server.licensing.outcomes import Actor
from server.pagination import decode_cursor, encode_cursor, page_size


async def record_change(
    conn: BaseDBAsyncClient,
    org: Organization,
    to_count: int,
    reason: ChangeReason,
    actor: Actor | None,
    *,
    now: datetime,
    effective_on: date,
    resource: Resource | None = None,
) -> LicenseChange:
    """Write the history row of a count change and apply it to `org`: its count, and its
    billing version (the next invoice changes). The change saves both as it ends
    (`seat_change`), in the same transaction, with the organisation row locked."""
    change = await LicenseChange.create(
        using_db=conn,
        organization_id=org.id,
        occurred_at=now,
        from_count=org.license_count,
        to_count=to_count,
        reason=reason,
        actor_id=actor.resource_id if actor else None,
        actor_token_id=actor.token_id if actor else None,
        actor_name=actor.name if actor else "System",
        resource_id=resource.id if resource else None,
        effective_on=effective_on,
    )
    org.license_count = to_count
    org.billing_version += 1
    return change


async def record_usage(conn: BaseDBAsyncClient, org: Organization, now: datetime) -> None:
    """A point of the usage series: the count and the licenses in use as they now stand."""
    await SeatUsage.create(
        using_db=conn,
        organization_id=org.id,
        occurred_at=now,
        license_count=org.license_count,
        used=org.used,
    )


MAX_USAGE_POINTS = 2000


async def usage_series(
    org: Organization, *, since: date | None = None, until: date | None = None
) -> list[SeatUsage]:
    """The usage series in a range of the organisation's days, oldest first: the latest
    points when the range holds more than a chart can show."""
    query = _in_range(SeatUsage.filter(organization_id=org.id), since, until, org.time_zone)
    newest = await query.order_by("-occurred_at", "-id").limit(MAX_USAGE_POINTS)
    return newest[::-1]


class ChangeRow(NamedTuple):
    """A history row as the API shows it (history pages, invoice lines), read without building
    the ORM's model: the next invoice names one row per change since the last invoice, and at
    10 000 changes their models cost more than everything else its page shows. It has the
    model's attributes of the same names, so either is shown the same way
    (server/api/types.py)."""

    id: int
    occurred_at: datetime
    from_count: int
    to_count: int
    reason: ChangeReason
    effective_on: date
    actor_id: int | None
    actor_token_id: int | None
    actor_name: str
    resource_id: int | None


# A history row as a change has just written it (the model) or as a list reads it.
ShownChange = LicenseChange | ChangeRow
_REASONS = {reason.value: reason for reason in ChangeReason}
_CHANGE_COLUMNS = (
    '"id","occurred_at","from_count","to_count","reason","effective_on","actor_id",'
    '"actor_token_id","actor_name","resource_id"'
)


def _change_of(row: Mapping) -> ChangeRow:
    """The ChangeRow of a row read with `_CHANGE_COLUMNS` (a dict or the driver's row)."""
    return ChangeRow(
        id=row["id"],
        occurred_at=sql.moment(row["occurred_at"]),
        from_count=row["from_count"],
        to_count=row["to_count"],
        reason=_REASONS[row["reason"]],
        effective_on=sql.day(row["effective_on"]),
        actor_id=row["actor_id"],
        actor_token_id=row["actor_token_id"],
        actor_name=row["actor_name"],
        resource_id=row["resource_id"],
    )


@dataclass(frozen=True)
class HistoryPage:
    changes: list[ChangeRow]
    has_next_page: bool

    @staticmethod
    def cursor_of(change: ChangeRow) -> str:
        return encode_cursor(change.id)

    @property
    def end_cursor(self) -> str | None:
        return self.cursor_of(self.changes[-1]) if self.changes else None


# Beyond these the arithmetic of time zones and days runs off the calendar's ends.
EARLIEST = date(1900, 1, 1)
LATEST = date(9998, 12, 31)


def _history_query(organization_id: int, since: date | None, until: date | None, tz: str):
    return _in_range(LicenseChange.filter(organization_id=organization_id), since, until, tz)


def _bounds(since: date | None, until: date | None, tz: str) -> tuple[datetime | None, ...]:
    """The moments a range of the organisation's days runs from (included) and to (not
    included), in UTC; refused when the days are off the calendar or the wrong way round."""
    zone = ZoneInfo(tz)
    for day, name in ((since, "from"), (until, "to")):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise InvalidInput(
                f"A date in the range must be from {EARLIEST} to {LATEST}.", field=name
            )
    if since is not None and until is not None and since > until:
        raise InvalidInput("The start of the date range is after its end.", field="from")
    # The range is in the organisation's days, both ends included.
    start = None if since is None else datetime.combine(since, time(), zone)
    end = None if until is None else datetime.combine(until + timedelta(days=1), time(), zone)
    return (None if start is None else sql.utc(start), None if end is None else sql.utc(end))


def _in_range(query, since: date | None, until: date | None, tz: str):
    start, end = _bounds(since, until, tz)
    if start is not None:
        query = query.filter(occurred_at__gte=start)
    if end is not None:
        query = query.filter(occurred_at__lt=end)
    return query


async def history_page(
    org: Organization,
    *,
    first: int | None = None,
    after: str | None = None,
    since: date | None = None,
    until: date | None = None,
    resource_id: int | None = None,
) -> HistoryPage:
    """Newest first (R15), by keyset on the id, which grows with time; with `resource_id`,
    only the changes that concern that person. Written as SQL (server/sql.py), read as
    ChangeRows: the ORM's query builder and models cost more than the rest of a page."""
    size = page_size(first)
    start, end = _bounds(since, until, org.time_zone)
    params: list[object] = [org.id]
    conditions = ['"organization_id"=$1']
    for condition, value in (
        ('"occurred_at">=', start),
        ('"occurred_at"<', end),
        ('"resource_id"=', resource_id),
        ('"id"<', decode_cursor(after, int)[0] if after is not None else None),
    ):
        if value is not None:
            params.append(value)
            conditions.append(f"{condition}${len(params)}")
    params.append(size + 1)
    rows = await sql.fetch_rows(
        f'SELECT {_CHANGE_COLUMNS} FROM "license_change" WHERE {" AND ".join(conditions)} '
        f'ORDER BY "id" DESC LIMIT ${len(params)}',
        params,
    )
    changes = [_change_of(row) for row in rows]
    return HistoryPage(changes=changes[:size], has_next_page=len(changes) > size)


_CHANGES_BY_IDS = f'SELECT {_CHANGE_COLUMNS} FROM "license_change" WHERE "id" IN ({{ids}})'
_CHANGES_BETWEEN = (
    f'SELECT {_CHANGE_COLUMNS} FROM "license_change" '
    'WHERE "organization_id"=$1 AND "id">$2 AND "id"<=$3 ORDER BY "id"'
)


async def changes_between(organization_id: int, after_id: int, up_to_id: int) -> list[ChangeRow]:
    """The organisation's history rows with ids after `after_id` up to `up_to_id`, oldest
    first, in one statement: the rows of a draft invoice's adjustment lines (ids are given
    in order), read for the page in one range of the index on (organization_id, id) rather
    than by id."""
    rows = await sql.fetch_rows(_CHANGES_BETWEEN, [organization_id, after_id, up_to_id])
    return [_change_of(row) for row in rows]


async def changes_by_ids(ids: Sequence[int]) -> list[ChangeRow | None]:
    """The history rows with these ids, in the order asked, None for an id no row has: the
    rows that invoice lines name, read for all the lines of a page at once. The ids come from
    the organisation's own rows, so there is no organisation to check."""
    rows = await sql.fetch_by_ids(_CHANGES_BY_IDS, ids)
    found = {row["id"]: _change_of(row) for row in rows}
    return [found.get(i) for i in ids]


async def history_rows(
    org: Organization, *, since: date | None = None, until: date | None = None
) -> list[LicenseChange]:
    """Every row in the range, newest first, with the people named: for the CSV export."""
    query = _history_query(org.id, since, until, org.time_zone)
    return await query.order_by("-id").select_related("resource")
