"""GraphQL types shared by several areas of the API."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from datetime import date, datetime

import strawberry

from server.api import ids, loaders
from server.api.context import Info
from server.api.enums import ChangeReason, ResourceKind, Role
from server.api.loaders import PersonRow
from server.licensing import rules
from server.licensing import services as licensing
from server.licensing.history import ShownChange


@strawberry.type(description="The licenses of the organisation and how many are in use.")
class Seats:
    license_count: int = strawberry.field(description="Licenses paid for.")
    used: int = strawberry.field(
        description="Active employees with login access: each uses one license."
    )
    available: int = strawberry.field(description="Licenses paid for and not in use.")
    reducible_by: int = strawberry.field(
        description="How far the license count can go down without removing anyone's access."
    )

    @classmethod
    def of(cls, seats: licensing.Seats) -> Seats:
        return cls(
            license_count=seats.license_count,
            used=seats.used,
            available=seats.available,
            reducible_by=seats.reducible_by,
        )


@strawberry.type(description="A person registered in the organisation.")
class Resource:
    id: strawberry.ID = strawberry.field(
        description="The person's id: opaque and stable, the one every `resourceId` and "
        "`resource(id:)` takes."
    )
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="E-mail address, also used to sign in.")
    kind: ResourceKind = strawberry.field(description="Employee or external consultant.")
    role: Role = strawberry.field(description="What the person may do in the organisation.")
    active: bool = strawberry.field(description="False once the person is terminated.")
    login_access: bool = strawberry.field(description="Whether the person can sign in.")
    uses_license: bool = strawberry.field(
        description="Whether the person uses one of the organisation's licenses."
    )
    start_date: date = strawberry.field(description="First work day.")
    last_work_day: date | None = strawberry.field(
        description="Last work day of a terminated person, else null."
    )
    scheduled_termination: date | None = strawberry.field(
        description="For an active person, the future last work day a termination is "
        "scheduled for (R7); null when none is."
    )
    last_signed_in_at: datetime | None = strawberry.field(
        description="When the person last signed in with their password (R19); null if never."
    )
    last_active_at: datetime | None = strawberry.field(
        description="When the person was last active: signed in, or made a request with their "
        "session, kept to the hour (R19); null if never. Requests with an API token are the "
        "token's activity (`ApiToken.lastUsedAt`), not a person's."
    )

    @classmethod
    def of(cls, resource: PersonRow) -> Resource:
        return cls(
            id=ids.encode(ids.RESOURCE, resource.id),
            name=resource.name,
            email=resource.email,
            kind=resource.kind,
            role=resource.role,
            active=resource.active,
            login_access=resource.login_access,
            uses_license=rules.uses_license(resource.kind, resource.active, resource.login_access),
            start_date=resource.start_date,
            last_work_day=None if resource.active else resource.last_work_day,
            scheduled_termination=resource.last_work_day if resource.active else None,
            last_signed_in_at=resource.last_signed_in_at,
            last_active_at=resource.last_active_at,
        )

    @classmethod
    def maybe(cls, resource: PersonRow | None) -> Resource | None:
        return cls.of(resource) if resource is not None else None


def named_person(
    info: Info, resource_id: int | None
) -> Resource | Awaitable[Resource | None] | None:
    """The person a row names, through the request's loader: one statement for all the rows
    of a page, none when the person was read already (a page of people, the signed-in person,
    a mutation's outcome, or the list the row is in: see `people_named`)."""
    if resource_id is None:
        return None
    request = info.context.loaders
    return loaders.shown(request.person, resource_id, Resource.maybe, request.people_shown)


def people_named(changes: Iterable[ShownChange], info: Info, *at: str) -> set[int | None]:
    """The ids of the people these history rows name that the selection shows, the rows
    being at `at` in it: their persons for `resource`, their actors for `actor.resource`."""
    changes = list(changes)
    wanted: set[int | None] = set()
    if loaders.selects(info, *at, "resource"):
        wanted.update(change.resource_id for change in changes)
    if loaders.selects(info, *at, "actor", "resource"):
        wanted.update(change.actor_id for change in changes)
    return wanted


@strawberry.type(description="Where a page of a list ends.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more rows follow this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )


@strawberry.type(description="The API token that made a change.")
class ChangeToken:
    id: strawberry.ID = strawberry.field(
        description="The token's id: opaque, the same as `ApiToken.id`."
    )


@strawberry.type(
    description="Who made a change: a person, an integration's API token, or the system itself."
)
class ChangeActor:
    name: str = strawberry.field(description="The name at the time of the change.")
    api_token: ChangeToken | None = strawberry.field(
        description="The API token, if an integration made the change."
    )
    resource_id: strawberry.Private[int | None]

    @strawberry.field(description="The person, if a person made the change.")
    def resource(self, info: Info) -> Resource | None:
        return named_person(info, self.resource_id)


@strawberry.type(description="One change of the license count, as kept in the history.")
class LicenseChange:
    id: strawberry.ID = strawberry.field(
        description="The change's id: opaque and stable; the same in the history and on invoice "
        "lines. Order changes by `occurredAt` or the history's order, not by id."
    )
    occurred_at: datetime = strawberry.field(description="When the change was made.")
    from_count: int = strawberry.field(description="The license count before the change.")
    to_count: int = strawberry.field(description="The license count after the change.")
    reason: ChangeReason = strawberry.field(description="Why the count changed.")
    effective_on: date = strawberry.field(
        description="The day from which the change counts for billing."
    )
    actor: ChangeActor = strawberry.field(description="Who made the change.")
    resource_id: strawberry.Private[int | None]

    @strawberry.field(description="The person the change concerns, if any.")
    def resource(self, info: Info) -> Resource | None:
        return named_person(info, self.resource_id)

    @classmethod
    def of(cls, change: ShownChange) -> LicenseChange:
        return cls(
            id=ids.encode(ids.LICENSE_CHANGE, change.id),
            occurred_at=change.occurred_at,
            from_count=change.from_count,
            to_count=change.to_count,
            reason=change.reason,
            effective_on=change.effective_on,
            actor=ChangeActor(
                name=change.actor_name,
                api_token=ChangeToken(id=ids.encode(ids.API_TOKEN, change.actor_token_id))
                if change.actor_token_id
                else None,
                resource_id=change.actor_id,
            ),
            resource_id=change.resource_id,
        )

    @classmethod
    def maybe(cls, change: ShownChange | None) -> LicenseChange | None:
        return cls.of(change) if change is not None else None


@strawberry.type(
    description="Nothing was changed: all licenses are in use, and giving login access needs "
    "the license count to grow by one. Repeat with `acceptLicenseIncrease: true` to go ahead."
)
class LicenseIncreaseRequired:
    current_count: int = strawberry.field(description="The license count now.")
    new_count: int = strawberry.field(description="The license count after the increase.")
    message: str = strawberry.field(description="What to tell the person, ready to show.")
    prorated_cost: int = strawberry.field(
        description="What the extra licenses cost for the rest of the current period, in minor "
        "units: the adjustment it adds to the next invoice (R9)."
    )
    adds_to_next_invoice: int = strawberry.field(
        description="How much the next invoice grows in all, in minor units: the prorated cost "
        "plus the added licenses in its base line."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")
    needs_approval: bool = strawberry.field(
        description="True when the license policy lets the caller only ask (R16): accepting "
        "makes a license request for an administrator (LICENSE_REQUEST_PENDING) instead of "
        "the increase; a bulk change is then refused (FORBIDDEN)."
    )

    @classmethod
    def of(cls, outcome: licensing.LicenseIncreaseRequired) -> LicenseIncreaseRequired:
        return cls(
            current_count=outcome.current_count,
            new_count=outcome.new_count,
            message=outcome.message,
            prorated_cost=outcome.prorated_cost,
            adds_to_next_invoice=outcome.adds_to_next_invoice,
            currency=outcome.currency,
            needs_approval=outcome.needs_approval,
        )
