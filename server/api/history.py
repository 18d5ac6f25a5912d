"""The license history, newest first."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from server.api import ids
from server.api.arguments import After, First
from server.api.context import Info
from server.api.loaders import rows
from server.api.permissions import READ_SEATS
from server.api.types import LicenseChange, PageInfo, people_named
from server.licensing.history import history_page, usage_series


@strawberry.type(description="A page of the license history.")
class LicenseChangeEdge:
    node: LicenseChange = strawberry.field(description="One change of the license count.")
    cursor: str = strawberry.field(description="Pass as `after` to continue after this row.")


@strawberry.type(description="A page of the license history, newest first.")
class LicenseChangeConnection:
    edges: list[LicenseChangeEdge] = strawberry.field(description="The changes on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")


@strawberry.type(description="The license count and the licenses in use from a moment on.")
class SeatUsagePoint:
    occurred_at: datetime = strawberry.field(description="When the figures became these.")
    license_count: int = strawberry.field(description="Licenses paid for.")
    used: int = strawberry.field(description="Licenses in use.")


DateFrom = Annotated[
    date | None,
    strawberry.argument(
        name="from", description="Only changes on or after this day (organisation time)."
    ),
]
DateTo = Annotated[
    date | None,
    strawberry.argument(
        name="to", description="Only changes on or before this day (organisation time)."
    ),
]


@strawberry.type
class HistoryQuery:
    @strawberry.field(
        description="Every change of the license count, newest first (R8, R15).",
        permission_classes=READ_SEATS,
    )
    async def history(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        since: DateFrom = None,
        until: DateTo = None,
        resource_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the changes that concern this person."),
        ] = None,
    ) -> LicenseChangeConnection:
        org = info.context.viewer.organization
        person = (
            ids.decode(resource_id, ids.RESOURCE, "resourceId") if resource_id is not None else None
        )
        page = await history_page(
            org, first=first, after=after, since=since, until=until, resource_id=person
        )
        loaders = info.context.loaders
        loaders.prime_changes(page.changes)
        # The people the rows show, in one statement through the loader (none if no row shows
        # one): each row's `resource` then finds its person ready.
        await rows(loaders.person, people_named(page.changes, info, "edges", "node"))
        edges = [
            LicenseChangeEdge(node=LicenseChange.of(change), cursor=page.cursor_of(change))
            for change in page.changes
        ]
        return LicenseChangeConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )

    @strawberry.field(
        description="The license count and the licenses in use after every change of either, "
        "oldest first: the series the history chart draws (at most the latest 2000 points).",
        permission_classes=READ_SEATS,
    )
    async def seat_usage(
        self, info: Info, since: DateFrom = None, until: DateTo = None
    ) -> list[SeatUsagePoint]:
        org = info.context.viewer.organization
        return [
            SeatUsagePoint(
                occurred_at=point.occurred_at, license_count=point.license_count, used=point.used
            )
            for point in await usage_series(org, since=since, until=until)
        ]
