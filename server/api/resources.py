"""People: listing them, and the changes to them that touch licenses."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated

import strawberry

from server.accounts import people, queries
from server.accounts.models import Resource as ResourceRow
from server.api import ids
from server.api.arguments import (
    AcceptIncrease,
    After,
    ExpectedLicenseCount,
    First,
    IdempotencyKey,
    ResourceId,
)
from server.api.context import Info
from server.api.enums import ResourceKind, ResourceStatus, Role
from server.api.permissions import CHANGE_ROLES, READ_SEATS, WRITE_SEATS
from server.api.types import (
    LicenseChange,
    LicenseIncreaseRequired,
    PageInfo,
    Resource,
    Seats,
)
from server.idempotency import Idempotency
from server.licensing import services


@strawberry.type(description="One person in a list, with the cursor to continue after them.")
class ResourceEdge:
    node: Resource = strawberry.field(description="The person.")
    cursor: str = strawberry.field(description="Pass as `after` to continue after this person.")


@strawberry.type(description="A page of people, by name.")
class ResourceConnection:
    edges: list[ResourceEdge] = strawberry.field(description="The people on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    page: strawberry.Private[queries.ResourcePage]

    @strawberry.field(
        description="How many people match, on all pages. Exact unless `totalCountIsExact` is "
        f"false: a search is counted up to {queries.COUNT_LIMIT}, and past that this is "
        f"{queries.COUNT_LIMIT} (at least)."
    )
    async def total_count(self) -> int:
        return (await self.page.total_count()).value

    @strawberry.field(
        description="False when `totalCount` is a lower bound: a search that matches more than "
        f"{queries.COUNT_LIMIT} people."
    )
    async def total_count_is_exact(self) -> bool:
        return (await self.page.total_count()).exact


@strawberry.input(description="A new co-worker.")
class AddResourceInput:
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="E-mail address, unique in the organisation.")
    kind: ResourceKind = strawberry.field(
        default=ResourceKind.EMPLOYEE, description="Employee or consultant."
    )
    role: Role = strawberry.field(default=Role.MEMBER, description="What the person may do.")
    login_access: bool = strawberry.field(
        default=False,
        description="Whether the person can sign in (and, if an employee, uses a license).",
    )
    start_date: date | None = strawberry.field(
        default=None, description="First work day; today (organisation time) if omitted."
    )
    password: str | None = strawberry.field(
        default=None, description="A password to sign in with, at least 10 characters."
    )


@strawberry.type(description="Login access was given or removed (or already was so).")
class ToggleAccessSuccess:
    resource: Resource = strawberry.field(description="The person after the change.")
    seats: Seats = strawberry.field(description="The licenses after the change.")
    change: LicenseChange | None = strawberry.field(
        description="The history row of the auto-increase, if the count grew."
    )
    message: str = strawberry.field(
        description="What happened, ready to show; says how far the count can now be reduced "
        "when a license became free."
    )


@strawberry.type(description="The co-worker was added.")
class AddResourceSuccess:
    resource: Resource = strawberry.field(description="The new person.")
    seats: Seats = strawberry.field(description="The licenses after the change.")
    change: LicenseChange | None = strawberry.field(
        description="The history row of the auto-increase, if the count grew."
    )


@strawberry.type(description="The person was terminated.")
class TerminateSuccess:
    resource: Resource = strawberry.field(description="The person, now inactive.")
    seats: Seats = strawberry.field(description="The licenses after the change.")
    change: LicenseChange | None = strawberry.field(
        description="The history row of the auto-decrease, if the person used a license."
    )


@strawberry.type(
    description="The last work day is in the future: the person keeps working and signing in "
    "until the end of that day (organisation time), then the termination takes effect (R7)."
)
class TerminationScheduled:
    resource: Resource = strawberry.field(
        description="The person, with `scheduledTermination` set."
    )
    seats: Seats = strawberry.field(description="The licenses, unchanged until then.")


@strawberry.type(description="The scheduled termination is cancelled.")
class CancelTerminationSuccess:
    resource: Resource = strawberry.field(description="The person, staying on.")
    seats: Seats = strawberry.field(description="The licenses, unchanged.")


@strawberry.type(description="The person is active again, without login access.")
class ReactivateSuccess:
    resource: Resource = strawberry.field(description="The person, active again.")
    seats: Seats = strawberry.field(description="The licenses, unchanged.")


ToggleAccessResult = Annotated[
    ToggleAccessSuccess | LicenseIncreaseRequired,
    strawberry.union("ToggleAccessResult", description="The outcome of toggleAccess."),
]
AddResourceResult = Annotated[
    AddResourceSuccess | LicenseIncreaseRequired,
    strawberry.union("AddResourceResult", description="The outcome of addResource."),
]
TerminateResult = Annotated[
    TerminateSuccess | TerminationScheduled,
    strawberry.union("TerminateResult", description="The outcome of terminate."),
]
CancelTerminationResult = Annotated[
    CancelTerminationSuccess,
    strawberry.union("CancelTerminationResult", description="The outcome of cancelTermination."),
]


@strawberry.type(description="The person's role is set (or already was so).")
class SetRoleSuccess:
    resource: Resource = strawberry.field(description="The person after the change.")
    message: str = strawberry.field(description="What happened, ready to show.")


SetRoleResult = Annotated[
    SetRoleSuccess,
    strawberry.union("SetRoleResult", description="The outcome of setRole."),
]
ReactivateResult = Annotated[
    ReactivateSuccess,
    strawberry.union("ReactivateResult", description="The outcome of reactivate."),
]


@strawberry.input(description="What to change about a person; a field left out stays as it is.")
class UpdateResourceInput:
    name: str | None = strawberry.field(
        default=None, description="New full name (no invisible or control characters)."
    )
    email: str | None = strawberry.field(
        default=None, description="New e-mail address, unique in the organisation."
    )


@strawberry.type(description="The person's name and e-mail address are saved.")
class UpdateResourceSuccess:
    resource: Resource = strawberry.field(description="The person after the change.")
    message: str = strawberry.field(description="What happened, ready to show.")


@strawberry.type(
    description="Nothing was saved: a field broke a rule (a name with invisible characters, "
    "an address that is not one, or one someone else in the organisation uses)."
)
class UpdateResourceRefused:
    code: str = strawberry.field(
        description="Stable code: BAD_USER_INPUT, or EMAIL_TAKEN for an address in use."
    )
    field: str = strawberry.field(description="The input field at fault: `name` or `email`.")
    message: str = strawberry.field(description="What is wrong, ready to show.")


UpdateResourceResult = Annotated[
    UpdateResourceSuccess | UpdateResourceRefused,
    strawberry.union("UpdateResourceResult", description="The outcome of updateResource."),
]


@strawberry.type
class ResourcesQuery:
    @strawberry.field(
        description="People by name, active ones unless asked otherwise (R15).",
        permission_classes=READ_SEATS,
    )
    async def resources(
        self,
        info: Info,
        status: Annotated[
            ResourceStatus, strawberry.argument(description="Active, inactive or all.")
        ] = ResourceStatus.ACTIVE,
        kind: Annotated[
            ResourceKind | None,
            strawberry.argument(description="Only employees, or only external consultants."),
        ] = None,
        search: Annotated[
            str | None, strawberry.argument(description="Part of a name or e-mail address.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> ResourceConnection:
        page = await queries.resources_page(
            info.context.viewer.organization,
            status=status,
            kind=kind,
            search=search,
            first=first,
            after=after,
        )
        # Rows of the same request that name these people show them without reading them again.
        info.context.loaders.prime_people(page.resources)
        return ResourceConnection(
            edges=[
                ResourceEdge(node=Resource.of(r), cursor=page.cursor_of(r)) for r in page.resources
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            page=page,
        )

    @strawberry.field(description="One person.", permission_classes=READ_SEATS)
    async def resource(self, info: Info, id: ResourceId) -> Resource:
        found = await queries.get_resource(
            info.context.organization_id, ids.decode(id, ids.RESOURCE, "id")
        )
        info.context.loaders.prime_people([found])
        return Resource.of(found)


def _changed(info: Info, resource: ResourceRow) -> Resource:
    """The person as a mutation has just left them; later fields of the request that name
    them (the change's `resource`, another mutation's rows) show this row, not an older one."""
    info.context.loaders.prime_people([resource], fresh=True)
    return Resource.of(resource)


@strawberry.type
class ResourcesMutation:
    @strawberry.mutation(
        description="Give or remove login access (R4, R5). Giving it to an employee when no "
        "license is free needs `acceptLicenseIncrease`; removing it ends the person's sessions.",
        permission_classes=WRITE_SEATS,
    )
    async def toggle_access(
        self,
        info: Info,
        resource_id: ResourceId,
        enabled: Annotated[bool, strawberry.argument(description="Give (true) or remove.")],
        accept_license_increase: AcceptIncrease = False,
        idempotency_key: IdempotencyKey = None,
        expected_license_count: ExpectedLicenseCount = None,
    ) -> ToggleAccessResult:
        resource = ids.decode(resource_id, ids.RESOURCE, "resourceId")
        outcome = await services.toggle_access(
            info.context.actor,
            resource,
            enabled,
            accept_increase=accept_license_increase,
            maximum=info.context.settings.max_license_count,
            idempotency=Idempotency.of(
                idempotency_key,
                "toggleAccess",
                resource=resource,
                enabled=enabled,
                accept=accept_license_increase,
            ),
            expected_count=expected_license_count,
        )
        if isinstance(outcome, services.LicenseIncreaseRequired):
            return LicenseIncreaseRequired.of(outcome)
        return ToggleAccessSuccess(
            resource=_changed(info, outcome.resource),
            seats=Seats.of(outcome.seats),
            change=LicenseChange.maybe(outcome.change),
            message=outcome.message,
        )

    @strawberry.mutation(
        description="Register a co-worker (R6); with login access, as toggleAccess.",
        permission_classes=WRITE_SEATS,
    )
    async def add_resource(
        self,
        info: Info,
        input: Annotated[AddResourceInput, strawberry.argument(description="The co-worker.")],
        accept_license_increase: AcceptIncrease = False,
        idempotency_key: IdempotencyKey = None,
        expected_license_count: ExpectedLicenseCount = None,
    ) -> AddResourceResult:
        new = services.NewResource(
            name=input.name,
            email=input.email,
            kind=input.kind,
            role=input.role,
            login_access=input.login_access,
            start_date=input.start_date,
            password=input.password,
        )
        # The password stays out of the stored fingerprint.
        fingerprinted = dataclasses.replace(new, password=None)
        outcome = await services.add_resource(
            info.context.actor,
            new,
            accept_increase=accept_license_increase,
            maximum=info.context.settings.max_license_count,
            idempotency=Idempotency.of(
                idempotency_key, "addResource", new=fingerprinted, accept=accept_license_increase
            ),
            expected_count=expected_license_count,
        )
        if isinstance(outcome, services.LicenseIncreaseRequired):
            return LicenseIncreaseRequired.of(outcome)
        return AddResourceSuccess(
            resource=_changed(info, outcome.resource),
            seats=Seats.of(outcome.seats),
            change=LicenseChange.maybe(outcome.change),
        )

    @strawberry.mutation(
        description="Terminate a person's account (R7): they become inactive, lose login "
        "access, and the license they used is taken off the count.",
        permission_classes=WRITE_SEATS,
    )
    async def terminate(
        self,
        info: Info,
        resource_id: ResourceId,
        last_work_day: Annotated[
            date,
            strawberry.argument(
                description="The person's last work day: today or earlier terminates now, a "
                "later day schedules the termination for the end of that day."
            ),
        ],
        idempotency_key: IdempotencyKey = None,
        expected_license_count: ExpectedLicenseCount = None,
    ) -> TerminateResult:
        resource = ids.decode(resource_id, ids.RESOURCE, "resourceId")
        outcome = await services.terminate(
            info.context.actor,
            resource,
            last_work_day,
            idempotency=Idempotency.of(
                idempotency_key, "terminate", resource=resource, last_work_day=last_work_day
            ),
            expected_count=expected_license_count,
        )
        if isinstance(outcome, services.TerminationScheduled):
            return TerminationScheduled(
                resource=_changed(info, outcome.resource), seats=Seats.of(outcome.seats)
            )
        return TerminateSuccess(
            resource=_changed(info, outcome.resource),
            seats=Seats.of(outcome.seats),
            change=LicenseChange.maybe(outcome.change),
        )

    @strawberry.mutation(
        description="Cancel a scheduled termination before it takes effect (R7).",
        permission_classes=WRITE_SEATS,
    )
    async def cancel_termination(
        self, info: Info, resource_id: ResourceId, idempotency_key: IdempotencyKey = None
    ) -> CancelTerminationResult:
        resource = ids.decode(resource_id, ids.RESOURCE, "resourceId")
        outcome = await services.cancel_termination(
            info.context.actor,
            resource,
            idempotency=Idempotency.of(idempotency_key, "cancelTermination", resource=resource),
        )
        return CancelTerminationSuccess(
            resource=_changed(info, outcome.resource), seats=Seats.of(outcome.seats)
        )

    @strawberry.mutation(
        description="Make a terminated person active again, without login access (R7).",
        permission_classes=WRITE_SEATS,
    )
    async def reactivate(
        self, info: Info, resource_id: ResourceId, idempotency_key: IdempotencyKey = None
    ) -> ReactivateResult:
        resource = ids.decode(resource_id, ids.RESOURCE, "resourceId")
        outcome = await services.reactivate(
            info.context.actor,
            resource,
            idempotency=Idempotency.of(idempotency_key, "reactivate", resource=resource),
        )
        return ReactivateSuccess(
            resource=_changed(info, outcome.resource), seats=Seats.of(outcome.seats)
        )

    @strawberry.mutation(
        description="Change a person's role (R11). Only an administrator signed in as a person "
        "may (API tokens may not: FORBIDDEN); demoting the last active administrator who can "
        "sign in is refused (LAST_ADMIN). The new role applies from the person's next request.",
        permission_classes=CHANGE_ROLES,
    )
    async def set_role(
        self,
        info: Info,
        resource_id: ResourceId,
        role: Annotated[Role, strawberry.argument(description="The person's new role.")],
        idempotency_key: IdempotencyKey = None,
    ) -> SetRoleResult:
        resource = ids.decode(resource_id, ids.RESOURCE, "resourceId")
        outcome = await services.set_role(
            info.context.actor,
            resource,
            role,
            idempotency=Idempotency.of(idempotency_key, "setRole", resource=resource, role=role),
        )
        return SetRoleSuccess(resource=_changed(info, outcome.resource), message=outcome.message)

    @strawberry.mutation(
        description="Change a person's name or e-mail address (R6's rules). A rule broken is "
        "answered with UpdateResourceRefused, and nothing is saved.",
        permission_classes=WRITE_SEATS,
    )
    async def update_resource(
        self,
        info: Info,
        resource_id: ResourceId,
        input: Annotated[
            UpdateResourceInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> UpdateResourceResult:
        resource = ids.decode(resource_id, ids.RESOURCE, "resourceId")
        actor = info.context.actor
        outcome = await people.update_resource(
            info.context.organization_id,
            resource,
            name=input.name,
            email=input.email,
            actor_role=actor.role,
            by_token=actor.by_token,
        )
        if isinstance(outcome, people.ResourceUpdateRefused):
            return UpdateResourceRefused(
                code=outcome.code, field=outcome.field, message=outcome.message
            )
        return UpdateResourceSuccess(
            resource=_changed(info, outcome.resource), message=outcome.message
        )
