"""Unused licenses (R19, issue 15): the license holders not active for the organisation's
number of days, with what each license costs a month; and setting that number."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from server.accounts import activity
from server.api.arguments import After, First
from server.api.context import Info
from server.api.permissions import ADMINISTER, READ_SEATS
from server.api.types import PageInfo, Resource


@strawberry.type(description="A license whose holder has not been active for a while (R19).")
class UnusedLicense:
    resource: Resource = strawberry.field(
        description="The person holding the license: `lastActiveAt` says since when it is "
        "unused (null: never active)."
    )
    monthly_cost: int = strawberry.field(
        description="What the license costs a month, in minor units: the plan's price of one "
        "license."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amount.")


@strawberry.type(description="One unused license, with the cursor to continue after it.")
class UnusedLicenseEdge:
    node: UnusedLicense = strawberry.field(description="The unused license.")
    cursor: str = strawberry.field(description="Pass as `after` to continue after it.")


@strawberry.type(
    description="The licenses whose holders have not been active for `unusedAfterDays` days: "
    "never active first, then by last activity, oldest first (R19)."
)
class UnusedLicenseConnection:
    edges: list[UnusedLicenseEdge] = strawberry.field(description="The licenses on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    unused_after_days: int = strawberry.field(
        description="The organisation's number of days without activity after which a "
        "license counts as unused (set with setUnusedAfterDays; 30 unless chosen)."
    )
    inactive_since: datetime = strawberry.field(
        description="Now less `unusedAfterDays`: holders last active before this moment are "
        "listed, and those never active who were registered and started before it."
    )
    monthly_cost: int = strawberry.field(
        description="What one license costs a month, in minor units (the plan's price)."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")
    page: strawberry.Private[activity.UnusedPage]

    @strawberry.field(description="How many licenses are unused, on all pages.")
    async def total_count(self) -> int:
        return await self.page.total_count()

    @strawberry.field(
        description="What all the unused licenses cost a month, in minor units: `totalCount` "
        "times `monthlyCost`."
    )
    async def total_monthly_cost(self) -> int:
        return await self.page.total_count() * self.page.monthly_cost


@strawberry.type(description="Saved: licenses count as unused after this many days from now on.")
class SetUnusedAfterDaysSuccess:
    unused_after_days: int = strawberry.field(
        description="Days without activity after which a license counts as unused."
    )


SetUnusedAfterDaysResult = Annotated[
    SetUnusedAfterDaysSuccess,
    strawberry.union("SetUnusedAfterDaysResult", description="The outcome of setUnusedAfterDays."),
]


@strawberry.type
class UnusedQuery:
    @strawberry.field(
        description="The licenses nobody uses (R19): people who hold one (active employees "
        "with login access, R1) and have not been active for the organisation's "
        "`unusedAfterDays`. Activity is a person's own, with a session; an API token's "
        "requests are not anyone's activity.",
        permission_classes=READ_SEATS,
    )
    async def unused_licenses(
        self, info: Info, first: First = None, after: After = None
    ) -> UnusedLicenseConnection:
        page = await activity.unused_licenses_page(
            info.context.viewer.organization, first=first, after=after
        )
        info.context.loaders.prime_people(page.people)
        return UnusedLicenseConnection(
            edges=[
                UnusedLicenseEdge(
                    node=UnusedLicense(
                        resource=Resource.of(person),
                        monthly_cost=page.monthly_cost,
                        currency=page.currency,
                    ),
                    cursor=page.cursor_of(person),
                )
                for person in page.people
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            unused_after_days=page.unused_after_days,
            inactive_since=page.inactive_since,
            monthly_cost=page.monthly_cost,
            currency=page.currency,
            page=page,
        )


@strawberry.type
class UnusedMutation:
    @strawberry.mutation(
        description="Choose after how many days without activity a license counts as unused "
        f"(R19): {activity.MIN_UNUSED_AFTER_DAYS} to {activity.MAX_UNUSED_AFTER_DAYS}, else "
        "BAD_USER_INPUT and nothing changes. Signed-in administrators only.",
        permission_classes=ADMINISTER,
    )
    async def set_unused_after_days(
        self,
        info: Info,
        days: Annotated[
            int,
            strawberry.argument(
                description="Days without activity after which a license counts as unused."
            ),
        ],
    ) -> SetUnusedAfterDaysResult:
        saved = await activity.set_unused_after_days(info.context.viewer.organization, days)
        return SetUnusedAfterDaysSuccess(unused_after_days=saved)
