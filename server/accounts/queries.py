"""Reading the people of an organisation (R15)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from tortoise.filters import escape_like

from server import sql
from server.accounts import search as people_search
from server.accounts.models import Organization, Resource, ResourceKind, Role
from server.errors import NotFound
from server.pagination import decode_cursor, encode_cursor, page_size
from server.text import check_text


class ResourceStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    ALL = "ALL"


class Person(NamedTuple):
    """A person as a list shows them: the columns a page needs, read without building the
    ORM's model (which cost more than the rest of a page of 100 together). A named tuple:
    as unchangeable as a frozen dataclass, made in a third of its time (1.6 → 0.5 µs; a
    page of 100 people spent about a tenth of its CPU making them before)."""

    id: int
    name: str
    email: str
    kind: ResourceKind
    role: Role
    active: bool
    login_access: bool
    start_date: date
    last_work_day: date | None
    last_signed_in_at: datetime | None
    last_active_at: datetime | None


PERSON_COLUMNS = (
    '"id","name","email","kind","role","active","login_access","start_date","last_work_day",'
    '"last_signed_in_at","last_active_at"'
)
_KINDS = {kind.value: kind for kind in ResourceKind}
_ROLES = {role.value: role for role in Role}


def person_of(row: dict) -> Person:
    return Person(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        kind=_KINDS[row["kind"]],
        role=_ROLES[row["role"]],
        active=bool(row["active"]),
        login_access=bool(row["login_access"]),
        start_date=sql.day(row["start_date"]),
        last_work_day=sql.day(row["last_work_day"]),
        last_signed_in_at=sql.moment(row["last_signed_in_at"]),
        last_active_at=sql.moment(row["last_active_at"]),
    )


# A searched list is counted up to this many; past it, its total is "at least" this many.
COUNT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Count:
    """How many people a list holds on all its pages: exactly, or at least `value` (a search
    counted no further than COUNT_LIMIT)."""

    value: int
    exact: bool


@dataclass
class ResourcePage:
    resources: list[Person]
    has_next_page: bool
    # What the list counts: the organisation's kept counts by status and kind, or, for a
    # search, its filter without the cursor.
    organization: Organization
    status: ResourceStatus
    kind: ResourceKind | None
    where: str | None
    params: list[object]
    _counted: asyncio.Future[Count] | None = None

    async def total_count(self) -> Count:
        """How many match on all pages, read once however many fields ask. Without a search,
        from the organisation's row (read with the viewer); a search is counted, at most up
        to COUNT_LIMIT, so that no count grows with the organisation."""
        if self._counted is None:
            self._counted = asyncio.ensure_future(self._count())
        return await asyncio.shield(self._counted)

    async def _count(self) -> Count:
        if self.where is None:
            active = (
                None if self.status is ResourceStatus.ALL else self.status is ResourceStatus.ACTIVE
            )
            return Count(self.organization.people(active=active, kind=self.kind), exact=True)
        limit = f"${len(self.params) + 1}"
        rows = await sql.fetch_planned(
            f'SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "resource" WHERE {self.where} '
            f"LIMIT {limit}) AS matching",
            [*self.params, COUNT_LIMIT + 1],
        )
        found = rows[0]["n"]
        return Count(min(found, COUNT_LIMIT), exact=found <= COUNT_LIMIT)

    @staticmethod
    def cursor_of(resource: Person) -> str:
        return encode_cursor(resource.name, resource.id)

    @property
    def end_cursor(self) -> str | None:
        return self.cursor_of(self.resources[-1]) if self.resources else None


async def resources_page(
    organization: Organization,
    *,
    status: ResourceStatus = ResourceStatus.ACTIVE,
    kind: ResourceKind | None = None,
    search: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> ResourcePage:
    """People by name, then id; active ones only unless asked otherwise.

    Written as SQL (server/sql.py): this runs on every look at the licenses page. Each
    condition matches an index of migration 4: (organization, active, name, id) for the
    lists, the trigram indexes on UPPER(name) and UPPER(email) for the search on PostgreSQL.
    On SQLite a search of three characters or more that few people match reads the full-text
    index of migration 8 first (server/accounts/search.py); any other reads the organisation's
    people in name order, as without a search. On PostgreSQL a search reads the people in
    name order for a bounded stretch, then, if need be, the matches through the trigram
    indexes (`_searched_rows`), deciding by the kept counts of `organization`, which must be
    read in this request (the viewer's).
    """
    size = page_size(first)
    params: list[object] = [organization.id]
    conditions = ['"organization_id"=$1']

    def param(value: object) -> str:
        params.append(value)
        return f"${len(params)}"

    if status is not ResourceStatus.ALL:
        conditions.append(f'"active"={param(status is ResourceStatus.ACTIVE)}')
    if kind is not None:
        conditions.append(f'"kind"={param(kind.value)}')
    searched = bool(search and check_text(search, "search").strip())
    like = ""
    if searched:
        text = search.strip()
        sqlite = sql.on_sqlite()
        if sqlite and people_search.indexed(text):
            candidates = await people_search.matches(people_search.match_query(text))
            if candidates is not None:
                # The full-text index of migration 8 proposed the people; the LIKE decides.
                # They are looked up by id: `+` keeps the organisation's own index out of
                # the planner's choice, which (knowing no more of the list than of the
                # organisation) could otherwise read all of its people instead.
                conditions[0] = '+"organization_id"=$1'
                conditions.append(f'"id" IN (SELECT "value" FROM json_each({param(candidates)}))')
        pattern = f"%{escape_like(text)}%"
        if sqlite and text.isascii():
            name, email = (people_search.ascii_capitals(c, text) for c in ('"name"', '"email"'))
            like = (
                f"({name} LIKE {param(pattern)} ESCAPE '\\' "
                f"OR {email} LIKE {param(pattern)} ESCAPE '\\')"
            )
        else:
            like = (
                f"(UPPER(CAST(\"name\" AS VARCHAR)) LIKE UPPER({param(pattern)}) ESCAPE '\\' "
                f"OR UPPER(CAST(\"email\" AS VARCHAR)) LIKE UPPER({param(pattern)}) ESCAPE '\\')"
            )
        conditions.append(like)
    where, matching = " AND ".join(conditions), list(params)
    if after is not None:
        last_name, last_id = decode_cursor(after, str, int)
        # `name >= last` adds nothing logically, but lets the database seek the index to the
        # cursor instead of filtering every row before it (SQLite's planner needs it).
        where += (
            f' AND "name">={param(last_name)} AND ("name">{param(last_name)} '
            f'OR ("name"={param(last_name)} AND "id">{param(last_id)}))'
        )
    limit = param(size + 1)
    if searched and not sql.on_sqlite():
        rows = await _searched_rows(organization, status, kind, where, like, limit, size, params)
    else:
        rows = await sql.fetch(
            f'SELECT {PERSON_COLUMNS} FROM "resource" WHERE {where} '
            f'ORDER BY "name","id" LIMIT {limit}',
            params,
        )
    found = [person_of(row) for row in rows]
    return ResourcePage(
        resources=found[:size],
        has_next_page=len(found) > size,
        organization=organization,
        status=status,
        kind=kind,
        where=" AND ".join(conditions) if searched else None,
        params=matching,
    )


# A search on PostgreSQL first looks this many people into the list, in its order (a constant
# cost, whatever the organisation's size), for a page of matches.
WALK_ROWS = 5000


async def _searched_rows(
    organization: Organization,
    status: ResourceStatus,
    kind: ResourceKind | None,
    where: str,
    like: str,
    limit: str,
    size: int,
    params: list[object],
) -> list[dict]:
    """A page of a search on PostgreSQL, read one of two ways, each bounded. First the list's
    next WALK_ROWS people in name order, the text looked for in each: where the text is common,
    a page of matches is among them (or they are the whole list). Otherwise the text is rare
    for this list, or its matches come late in it (a first name: every "Quentin" sorts among
    the Q's): the trigram indexes find every match, and those are sorted — a cost that grows
    with the matches, not with the people. Without the first way, a common text would read
    and sort nearly everyone; without the second, a clustered one would walk most of the
    organisation (1.2 s at 1 000 000 people, bench/profiles/README.md)."""
    # `where` holds the text's condition too: taken out, it is the list and its cursor.
    listed = where.replace(f" AND {like}", "", 1)
    rows = await sql.fetch(
        f'SELECT * FROM (SELECT {PERSON_COLUMNS} FROM "resource" WHERE {listed} '
        f'ORDER BY "name","id" LIMIT {WALK_ROWS}) AS "walked" WHERE {like} '
        f'ORDER BY "name","id" LIMIT {limit}',
        params,
    )
    active = None if status is ResourceStatus.ALL else status is ResourceStatus.ACTIVE
    if len(rows) > size or organization.people(active=active, kind=kind) <= WALK_ROWS:
        return rows
    return await sql.fetch(
        f'WITH "matched" AS MATERIALIZED (SELECT "id" FROM "resource" '
        f'WHERE "organization_id"=$1 AND {like}) '
        f'SELECT {PERSON_COLUMNS} FROM "resource" WHERE "id" IN (SELECT "id" FROM "matched") '
        f'AND {where} ORDER BY "name","id" LIMIT {limit}',
        params,
    )


_PEOPLE_BY_IDS = f'SELECT {PERSON_COLUMNS} FROM "resource" WHERE "id" IN ({{ids}})'


async def people_by_ids(ids: Sequence[int]) -> list[Person | None]:
    """The people with these ids, in the order asked, None for an id nobody has: the people
    the rows of a page name (history rows, invoice lines), read for the whole page at once.
    The ids come from the organisation's own rows, so there is no organisation to check."""
    rows = await sql.fetch_by_ids(_PEOPLE_BY_IDS, ids)
    found = {row["id"]: person_of(row) for row in rows}
    return [found.get(i) for i in ids]


async def get_resource(organization_id: int, resource_id: int) -> Resource:
    """A resource of the organisation; one of another organisation is just as missing (R12)."""
    resource = await Resource.get_or_none(id=resource_id, organization_id=organization_id)
    if resource is None:
        raise NotFound("No resource with this id.", field="id")
    return resource
