"""The license count: `seats` and `setLicenseCount`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from server.api.arguments import ExpectedLicenseCount, IdempotencyKey
from server.api.context import Info
from server.api.permissions import READ_SEATS, WRITE_SEATS
from server.api.types import LicenseChange, Seats
from server.idempotency import Idempotency
from server.licensing import services


@strawberry.type(description="The license count was set (or was already that number).")
class SetLicenseCountSuccess:
    seats: Seats = strawberry.field(description="The licenses after the change.")
    change: LicenseChange | None = strawberry.field(
        description="The history row written, or null when the count was already that number."
    )


@strawberry.type(
    description="Nothing was changed: the requested count is below the number of licenses in "
    "use. Remove login access from someone first."
)
class LicenseBelowUsage:
    used: int = strawberry.field(description="Licenses in use now.")
    requested: int = strawberry.field(description="The count that was asked for.")
    message: str = strawberry.field(description="What to tell the person, ready to show.")


SetLicenseCountResult = Annotated[
    SetLicenseCountSuccess | LicenseBelowUsage,
    strawberry.union("SetLicenseCountResult", description="The outcome of setLicenseCount."),
]


@strawberry.type(
    description="What setting the license count would do, shown before saving (R3, R9). "
    "Nothing was changed. Amounts are in minor units: positive a charge, negative a credit."
)
class LicenseCountPreview:
    current_count: int = strawberry.field(description="The license count now.")
    new_count: int = strawberry.field(description="The license count asked about.")
    effective_on: date = strawberry.field(
        description="The day the change would take effect for billing: today in the "
        "organisation's time zone."
    )
    prorated_amount: int = strawberry.field(
        description="The adjustment line the change adds to the next invoice: the difference "
        "times the price for the days left in the current period (R9). Negative: a credit."
    )
    next_invoice_change: int = strawberry.field(
        description="How much the next invoice changes in all: the prorated amount plus the "
        "change of its base line. Negative: the next invoice is smaller."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")


LicenseCountPreviewResult = Annotated[
    LicenseCountPreview | LicenseBelowUsage,
    strawberry.union(
        "LicenseCountPreviewResult", description="The outcome of licenseCountPreview."
    ),
]


@strawberry.type
class SeatsQuery:
    @strawberry.field(
        description="The organisation's licenses: paid for, used, available.",
        permission_classes=READ_SEATS,
    )
    def seats(self, info: Info) -> Seats:
        # Read with the viewer, in the request's first query (R1: `used` is kept in the row).
        # Nothing to wait for, so a plain function: no awaitable for the executor to track.
        return Seats.of(services.Seats.of(info.context.viewer.organization))

    @strawberry.field(
        description="What setLicenseCount(count) would cost or credit if saved now, computed "
        "as the next invoice will compute it (R9); LicenseBelowUsage when it would be refused "
        "(R3). Changes nothing.",
        permission_classes=WRITE_SEATS,
    )
    async def license_count_preview(
        self,
        info: Info,
        count: Annotated[int, strawberry.argument(description="The license count to price.")],
    ) -> LicenseCountPreviewResult:
        outcome = await services.preview_license_count(
            info.context.actor, count, maximum=info.context.settings.max_license_count
        )
        if isinstance(outcome, services.LicenseBelowUsage):
            return LicenseBelowUsage(
                used=outcome.used, requested=outcome.requested, message=outcome.message
            )
        return LicenseCountPreview(
            current_count=outcome.current_count,
            new_count=outcome.new_count,
            effective_on=outcome.effective_on,
            prorated_amount=outcome.prorated_amount,
            next_invoice_change=outcome.next_invoice_change,
            currency=outcome.currency,
        )


@strawberry.type
class SeatsMutation:
    @strawberry.mutation(
        description="Set the number of licenses paid for (R3). Refused with LicenseBelowUsage "
        "when fewer than are in use; the same number changes nothing.",
        permission_classes=WRITE_SEATS,
    )
    async def set_license_count(
        self,
        info: Info,
        count: Annotated[int, strawberry.argument(description="The new number of licenses.")],
        idempotency_key: IdempotencyKey = None,
        expected_license_count: ExpectedLicenseCount = None,
    ) -> SetLicenseCountResult:
        outcome = await services.set_license_count(
            info.context.actor,
            count,
            maximum=info.context.settings.max_license_count,
            idempotency=Idempotency.of(idempotency_key, "setLicenseCount", count=count),
            expected_count=expected_license_count,
        )
        if isinstance(outcome, services.LicenseBelowUsage):
            return LicenseBelowUsage(
                used=outcome.used, requested=outcome.requested, message=outcome.message
            )
        return SetLicenseCountSuccess(
            seats=Seats.of(outcome.seats), change=LicenseChange.maybe(outcome.change)
        )
