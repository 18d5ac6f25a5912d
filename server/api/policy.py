"""The license policy and license requests (R16): reading and setting the policy, listing the
requests it made, approving and declining them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from server.api import ids
from server.api.arguments import IdempotencyKey
from server.api.context import Info
from server.api.enums import LicensePolicy as LicensePolicyMode
from server.api.enums import LicenseRequestStatus
from server.api.permissions import DECIDE_LICENSES, READ_SEATS
from server.api.types import LicenseChange, Resource, Seats, named_person
from server.idempotency import Idempotency
from server.licensing import models as licensing_models
from server.licensing import services


@strawberry.type(
    description="How an increase of the license count may happen without a person confirming "
    "it (R16), and the caps no increase ever passes, an administrator's own included."
)
class LicensePolicy:
    mode: LicensePolicyMode = strawberry.field(
        description="Never (every such increase becomes a license request), or by itself up "
        "to the caps."
    )
    max_license_count: int | None = strawberry.field(
        description="The cap on the license count, or null for none."
    )
    max_monthly_amount: int | None = strawberry.field(
        description="The cap on the monthly amount (license count × the plan's price), in "
        "minor units of `currency`, or null for none."
    )
    monthly_amount: int = strawberry.field(
        description="What the licenses cost a month now, in minor units of `currency`."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amounts (the plan's).")
    changed_at: datetime | None = strawberry.field(
        description="When an administrator last saved the policy; null if never."
    )

    @classmethod
    def of(cls, view: services.PolicyView) -> LicensePolicy:
        return cls(
            mode=view.policy.mode,
            max_license_count=view.policy.max_count,
            max_monthly_amount=view.policy.max_monthly_amount,
            monthly_amount=view.monthly_amount,
            currency=view.currency,
            changed_at=view.changed_at,
        )


@strawberry.type(
    description="An increase the license policy stopped (R16), for an administrator to approve "
    "or decline."
)
class LicenseRequest:
    id: strawberry.ID = strawberry.field(
        description="The request's id: opaque and stable, the one `approveLicenseRequest` and "
        "`declineLicenseRequest` take."
    )
    status: LicenseRequestStatus = strawberry.field(description="Where the request stands.")
    created_at: datetime = strawberry.field(description="When the increase was asked for.")
    name: str = strawberry.field(description="The name of the person it is for.")
    email: str = strawberry.field(description="The address of the person it is for.")
    requested_by: str = strawberry.field(
        description="Who asked: a person's name, an API token (“API token “HR sync””) or an "
        "identity provider (“Okta (SCIM)”)."
    )
    decided_at: datetime | None = strawberry.field(
        description="When an administrator approved or declined it; null while pending."
    )
    decided_by: str | None = strawberry.field(
        description="The administrator who decided it; null while pending."
    )
    resource_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The person it is for, once registered: null for someone an identity "
        "provider or a resource manager wanted to add, until the request is approved."
    )
    def resource(self, info: Info) -> Resource | None:
        return named_person(info, self.resource_id)

    @classmethod
    def of(cls, request: licensing_models.LicenseRequest) -> LicenseRequest:
        return cls(
            id=ids.encode(ids.LICENSE_REQUEST, request.id),
            status=request.status,
            created_at=request.created_at,
            name=request.name,
            email=request.email,
            requested_by=request.requested_by_name,
            decided_at=request.decided_at,
            decided_by=request.decided_by_name,
            resource_id=request.resource_id,
        )


@strawberry.type(
    description="What approving one pending license request adds as things stand (R16, R9): "
    "nothing when a license is free, else one license. Amounts in minor units."
)
class LicenseApprovalCost:
    adds_licenses: int = strawberry.field(
        description="How many licenses approving adds to the count: 0 or 1."
    )
    monthly_amount: int = strawberry.field(
        description="How much the monthly amount grows: the plan's price, or 0."
    )
    prorated_cost: int = strawberry.field(
        description="The adjustment line the license adds to the next invoice (R9)."
    )
    adds_to_next_invoice: int = strawberry.field(
        description="How much the next invoice grows in all: the prorated cost plus one more "
        "license in its base line."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")


@strawberry.type(description="The license policy was saved.")
class SetLicensePolicySuccess:
    policy: LicensePolicy = strawberry.field(description="The policy as saved.")


@strawberry.type(
    description="The license request was approved: the person has login access, with the "
    "license count grown by one if no license was free."
)
class ApproveLicenseRequestSuccess:
    request: LicenseRequest = strawberry.field(description="The request, now approved.")
    seats: Seats = strawberry.field(description="The licenses after the approval.")
    change: LicenseChange | None = strawberry.field(
        description="The history row of the increase, or null when a license was free."
    )
    message: str = strawberry.field(description="What to tell the person, ready to show.")


@strawberry.type(description="The license request was declined: nothing else changed.")
class DeclineLicenseRequestSuccess:
    request: LicenseRequest = strawberry.field(description="The request, now declined.")
    message: str = strawberry.field(description="What to tell the person, ready to show.")


SetLicensePolicyResult = Annotated[
    SetLicensePolicySuccess,
    strawberry.union("SetLicensePolicyResult", description="The outcome of setLicensePolicy."),
]
ApproveLicenseRequestResult = Annotated[
    ApproveLicenseRequestSuccess,
    strawberry.union(
        "ApproveLicenseRequestResult", description="The outcome of approveLicenseRequest."
    ),
]
DeclineLicenseRequestResult = Annotated[
    DeclineLicenseRequestSuccess,
    strawberry.union(
        "DeclineLicenseRequestResult", description="The outcome of declineLicenseRequest."
    ),
]

RequestId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The request's id (`LicenseRequest.id`), as given. An id of anything "
        "else, or of no request of the organisation, is NOT_FOUND."
    ),
]


@strawberry.type
class PolicyQuery:
    @strawberry.field(
        description="The organisation's license policy (R16).", permission_classes=READ_SEATS
    )
    async def license_policy(self, info: Info) -> LicensePolicy:
        return LicensePolicy.of(await services.license_policy(info.context.organization_id))

    @strawberry.field(
        description="The organisation's license requests, newest first: the pending ones "
        "unless `status` says otherwise (at most 100).",
        permission_classes=READ_SEATS,
    )
    async def license_requests(
        self,
        info: Info,
        status: Annotated[
            LicenseRequestStatus | None,
            strawberry.argument(description="Only requests in this state; null: all."),
        ] = LicenseRequestStatus.PENDING,
    ) -> list[LicenseRequest]:
        rows = await services.license_requests(info.context.organization_id, status)
        return [LicenseRequest.of(row) for row in rows]

    @strawberry.field(
        description="What approving one pending license request adds now (R16, R9).",
        permission_classes=DECIDE_LICENSES,
    )
    async def license_approval_cost(self, info: Info) -> LicenseApprovalCost:
        cost = await services.approval_cost(info.context.organization_id)
        return LicenseApprovalCost(
            adds_licenses=cost.adds_licenses,
            monthly_amount=cost.monthly_amount,
            prorated_cost=cost.prorated_cost,
            adds_to_next_invoice=cost.adds_to_next_invoice,
            currency=cost.currency,
        )


@strawberry.type
class PolicyMutation:
    @strawberry.mutation(
        description="Choose how an increase may happen without a person confirming it, and "
        "the caps (R16). Signed-in administrators only. Saving it ends the declines that "
        "stood: a person declined before may be asked for again.",
        permission_classes=DECIDE_LICENSES,
    )
    async def set_license_policy(
        self,
        info: Info,
        mode: Annotated[LicensePolicyMode, strawberry.argument(description="NEVER, or UP_TO_CAP.")],
        max_license_count: Annotated[
            int | None,
            strawberry.argument(description="The cap on the license count; null: none."),
        ] = None,
        max_monthly_amount: Annotated[
            int | None,
            strawberry.argument(
                description="The cap on the monthly amount, in minor units of the plan's "
                "currency; null: none."
            ),
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> SetLicensePolicyResult:
        await services.set_license_policy(
            info.context.actor,
            mode,
            max_license_count,
            max_monthly_amount,
            maximum=info.context.settings.max_license_count,
            idempotency=Idempotency.of(
                idempotency_key,
                "setLicensePolicy",
                mode=mode,
                max_license_count=max_license_count,
                max_monthly_amount=max_monthly_amount,
            ),
        )
        view = await services.license_policy(info.context.organization_id)
        return SetLicensePolicySuccess(policy=LicensePolicy.of(view))

    @strawberry.mutation(
        description="Approve a pending license request (R16): the person gets login access, "
        "registered first if they were not, with the license count grown by one if no license "
        "is free, in one transaction. Past a cap of the policy: LICENSE_LIMIT_REACHED (raise "
        "the cap first). A request no longer pending: BAD_USER_INPUT. Signed-in "
        "administrators only.",
        permission_classes=DECIDE_LICENSES,
    )
    async def approve_license_request(
        self, info: Info, id: RequestId, idempotency_key: IdempotencyKey = None
    ) -> ApproveLicenseRequestResult:
        key = ids.decode(id, ids.LICENSE_REQUEST, "id")
        outcome = await services.approve_license_request(
            info.context.actor,
            key,
            maximum=info.context.settings.max_license_count,
            idempotency=Idempotency.of(idempotency_key, "approveLicenseRequest", id=key),
        )
        return ApproveLicenseRequestSuccess(
            request=LicenseRequest.of(outcome.request),
            seats=Seats.of(outcome.seats),
            change=LicenseChange.maybe(outcome.change),
            message=outcome.message,
        )

    @strawberry.mutation(
        description="Decline a pending license request (R16): nothing else changes. The same "
        "person asked for again is refused (LICENSE_REQUEST_DECLINED) without a new request "
        "for 30 days, or until the policy is saved again. Signed-in administrators only.",
        permission_classes=DECIDE_LICENSES,
    )
    async def decline_license_request(
        self, info: Info, id: RequestId, idempotency_key: IdempotencyKey = None
    ) -> DeclineLicenseRequestResult:
        key = ids.decode(id, ids.LICENSE_REQUEST, "id")
        outcome = await services.decline_license_request(
            info.context.actor,
            key,
            idempotency=Idempotency.of(idempotency_key, "declineLicenseRequest", id=key),
        )
        return DeclineLicenseRequestSuccess(
            request=LicenseRequest.of(outcome.request), message=outcome.message
        )
