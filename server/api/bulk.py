"""Bulk changes (issue 15): give or remove login access, or terminate, for many people at
once, in one change (server/licensing/bulk.py), and the preview of one."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from server.api import ids
from server.api.arguments import AcceptIncrease, ExpectedLicenseCount, IdempotencyKey
from server.api.context import Info
from server.api.enums import BulkAction
from server.api.permissions import WRITE_SEATS
from server.api.types import LicenseChange, LicenseIncreaseRequired, Resource, Seats
from server.licensing import bulk
from server.licensing.outcomes import BulkChanged, PersonChanged
from server.licensing.outcomes import LicenseIncreaseRequired as IncreaseQuestion

ResourceIds = Annotated[
    list[strawberry.ID],
    strawberry.argument(
        description=f"The people (`Resource.id`), 1 to {bulk.MAX_PEOPLE:,}; an id given twice "
        "counts once. An id of no person of the organisation refuses the whole change "
        "(NOT_FOUND)."
    ),
]

ReduceCount = Annotated[
    bool,
    strawberry.argument(
        description="With access removed: take the licenses it frees off the count in the same "
        "step (R3, one history row). Only for removing access."
    ),
]


@strawberry.type(description="One person of a bulk change: changed, or skipped and why.")
class BulkPersonChange:
    resource: Resource = strawberry.field(description="The person, as the change left them.")
    changed: bool = strawberry.field(description="False: the person was skipped (see `code`).")
    code: str | None = strawberry.field(
        description="Why the person was skipped, null when changed: UNCHANGED (already so), "
        "RESOURCE_INACTIVE (terminated), LAST_ADMIN, or BAD_USER_INPUT (a last work day "
        "before their start)."
    )
    message: str = strawberry.field(description="What happened to the person, ready to show.")
    change: LicenseChange | None = strawberry.field(
        description="The person's history row: an auto-increase (R4) or a termination (R7)."
    )


def _people(info: Info, people: list[PersonChanged]) -> list[BulkPersonChange]:
    # Later fields of the request that name these people show them as the change left them.
    info.context.loaders.prime_people([p.resource for p in people], fresh=True)
    return [
        BulkPersonChange(
            resource=Resource.of(p.resource),
            changed=p.changed,
            code=p.code,
            message=p.message,
            change=LicenseChange.maybe(p.change),
        )
        for p in people
    ]


@strawberry.type(description="The bulk change was made, in one transaction.")
class BulkChangeSuccess:
    people: list[BulkPersonChange] = strawberry.field(
        description="Each person, in the order given."
    )
    changed_count: int = strawberry.field(description="How many people were changed.")
    seats: Seats = strawberry.field(description="The licenses after the change.")
    changes: list[LicenseChange] = strawberry.field(
        description="Every history row the change wrote, in order (R4, R7, and R3 for a "
        "reduction of the count)."
    )
    message: str = strawberry.field(description="What happened, ready to show.")


@strawberry.type(
    description="What a bulk change would do now; nothing was changed. Amounts are in minor "
    "units: positive a charge, negative a credit."
)
class BulkChangePreview:
    people: list[BulkPersonChange] = strawberry.field(
        description="Each person, in the order given, as the change would leave them."
    )
    changed_count: int = strawberry.field(description="How many people would change.")
    current_count: int = strawberry.field(description="The license count now.")
    new_count: int = strawberry.field(description="The license count after the change.")
    used_before: int = strawberry.field(description="Licenses in use now.")
    used_after: int = strawberry.field(description="Licenses in use after the change.")
    licenses_freed: int = strawberry.field(
        description="Licenses no longer in use after the change."
    )
    next_invoice_change: int = strawberry.field(
        description="How the total of the next invoice changes (R9)."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amount.")
    needs_increase: bool = strawberry.field(
        description="Giving access needs more licenses: send `acceptLicenseIncrease`."
    )
    needs_approval: bool = strawberry.field(
        description="The license policy lets only an administrator add those licenses (R16): "
        "the bulk change would be FORBIDDEN; give access one person at a time to ask one."
    )
    message: str = strawberry.field(description="What the change would do, ready to show.")


BulkSetAccessResult = Annotated[
    BulkChangeSuccess | LicenseIncreaseRequired,
    strawberry.union("BulkSetAccessResult", description="The outcome of bulkSetAccess."),
]
BulkTerminateResult = Annotated[
    BulkChangeSuccess,
    strawberry.union("BulkTerminateResult", description="The outcome of bulkTerminate."),
]


def _decoded(resource_ids: list[strawberry.ID]) -> list[int]:
    return [ids.decode(value, ids.RESOURCE, "resourceIds") for value in resource_ids]


def _success(info: Info, outcome: BulkChanged) -> BulkChangeSuccess:
    info.context.loaders.prime_changes(outcome.changes)
    return BulkChangeSuccess(
        people=_people(info, outcome.people),
        changed_count=outcome.changed_count,
        seats=Seats.of(outcome.seats),
        changes=[LicenseChange.of(row) for row in outcome.changes],
        message=outcome.message,
    )


@strawberry.type
class BulkQuery:
    @strawberry.field(
        description="What a bulk change would do, person by person, with its effect on the "
        "license count and the next invoice: the change is made and undone, so nothing is "
        "kept. Refused as the change itself would be.",
        permission_classes=WRITE_SEATS,
    )
    async def bulk_change_preview(
        self,
        info: Info,
        action: Annotated[BulkAction, strawberry.argument(description="What to do.")],
        resource_ids: ResourceIds,
        last_work_day: Annotated[
            date | None, strawberry.argument(description="For TERMINATE: the last work day.")
        ] = None,
        reduce_license_count: ReduceCount = False,
    ) -> BulkChangePreview:
        request = bulk.BulkRequest.of(
            action,
            _decoded(resource_ids),
            last_work_day=last_work_day,
            reduce_count=reduce_license_count,
        )
        preview = await bulk.preview_bulk_change(
            info.context.actor, request, maximum=info.context.settings.max_license_count
        )
        return BulkChangePreview(
            people=_people(info, preview.people),
            changed_count=preview.changed_count,
            current_count=preview.current_count,
            new_count=preview.new_count,
            used_before=preview.used_before,
            used_after=preview.used_after,
            licenses_freed=preview.licenses_freed,
            next_invoice_change=preview.next_invoice_change,
            currency=preview.currency,
            needs_increase=preview.needs_increase,
            needs_approval=preview.needs_approval,
            message=preview.message,
        )


@strawberry.type
class BulkMutation:
    @strawberry.mutation(
        description="Give or remove login access for many people in one change (R4, R5). "
        "People already so, or terminated, are skipped and say why. Giving access that needs "
        "more licenses answers LicenseIncreaseRequired (for all of them) until accepted.",
        permission_classes=WRITE_SEATS,
    )
    async def bulk_set_access(
        self,
        info: Info,
        resource_ids: ResourceIds,
        enabled: Annotated[bool, strawberry.argument(description="Give (true) or remove.")],
        accept_license_increase: AcceptIncrease = False,
        reduce_license_count: ReduceCount = False,
        idempotency_key: IdempotencyKey = None,
        expected_license_count: ExpectedLicenseCount = None,
    ) -> BulkSetAccessResult:
        action = bulk.BulkAction.GIVE_ACCESS if enabled else bulk.BulkAction.REMOVE_ACCESS
        request = bulk.BulkRequest.of(
            action,
            _decoded(resource_ids),
            reduce_count=reduce_license_count,
            accept_increase=accept_license_increase,
        )
        outcome = await bulk.bulk_change(
            info.context.actor,
            request,
            maximum=info.context.settings.max_license_count,
            idempotency=request.idempotency(idempotency_key, "bulkSetAccess"),
            expected_count=expected_license_count,
        )
        if isinstance(outcome, IncreaseQuestion):
            return LicenseIncreaseRequired.of(outcome)
        return _success(info, outcome)

    @strawberry.mutation(
        description="Terminate many people in one change (R7), each with its own history row: "
        "now, or at the end of a later last work day. People already terminated, and the last "
        "administrator, are skipped and say why.",
        permission_classes=WRITE_SEATS,
    )
    async def bulk_terminate(
        self,
        info: Info,
        resource_ids: ResourceIds,
        last_work_day: Annotated[
            date,
            strawberry.argument(
                description="The last work day of them all: today or earlier terminates now, "
                "a later day schedules each termination for the end of that day."
            ),
        ],
        idempotency_key: IdempotencyKey = None,
        expected_license_count: ExpectedLicenseCount = None,
    ) -> BulkTerminateResult:
        request = bulk.BulkRequest.of(
            bulk.BulkAction.TERMINATE, _decoded(resource_ids), last_work_day=last_work_day
        )
        outcome = await bulk.bulk_change(
            info.context.actor,
            request,
            maximum=info.context.settings.max_license_count,
            idempotency=request.idempotency(idempotency_key, "bulkTerminate"),
            expected_count=expected_license_count,
        )
        assert isinstance(outcome, BulkChanged)
        return _success(info, outcome)
