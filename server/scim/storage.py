"""SCIM users as the domain's people: reads from the database, every change through the
domain (server/licensing/services.py), one transaction each, with the organisation locked.

The identity provider behind the request (its token, as the actor the history names) is set
by the application for the request (`acting`); the storage serves only its organisation, and
a person of another organisation, or one the identity provider deleted, does not exist (R12,
R17)."""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from scim2_models import (
    Email,
    InvalidFilterException,
    Meta,
    NotFoundException,
    Resource,
    ResourceType,
    ResponseParameters,
    SearchRequest,
)
from scim2_server.storage import AsyncScimStorage, SearchPage

from server.accounts.models import Resource as Person
from server.accounts.models import ResourceKind
from server.api import ids
from server.licensing import services
from server.licensing.outcomes import Actor
from server.scim import filters
from server.scim.schema import MAX_FILTER_LENGTH, Name, SeatsUser, UserResource


@dataclass(frozen=True)
class Provider:
    """The identity provider behind a request: its token as the actor."""

    actor: Actor

    @property
    def organization_id(self) -> int:
        return self.actor.organization_id


acting: ContextVar[Provider] = ContextVar("scim_provider")


def user_of(person: Person) -> Any:
    """A person as a SCIM user. `active` is login access: active, and allowed to sign in."""
    consultant = person.kind is ResourceKind.EXTERNAL_CONSULTANT
    active = person.active and person.login_access
    state = "\x1f".join(
        str(v)
        for v in (
            person.name,
            person.email,
            person.external_id,
            person.display_name,
            person.given_name,
            person.family_name,
            active,
            consultant,
        )
    )
    version = 'W/"' + hashlib.sha256(state.encode()).hexdigest()[:16] + '"'
    name = None
    if person.given_name or person.family_name:
        name = Name(given_name=person.given_name, family_name=person.family_name)
    user = UserResource(
        id=ids.encode(ids.RESOURCE, person.id),
        external_id=person.external_id,
        user_name=person.email,
        name=name,
        display_name=person.display_name,
        active=active,
        emails=[Email(value=person.email, type=Email.Type.work, primary=True)],
        # No lastModified: Seats keeps no time of a person's last change, and RFC 7643 §3.1
        # would read `created` there as "never changed". The version tells a change.
        meta=Meta(
            resource_type="User",
            created=person.created_at,
            version=version,
        ),
    )
    if consultant or person.stated_consultant is not None:
        # An employee is the default: told only if the identity provider said so.
        user.SeatsUser = SeatsUser(consultant=consultant)
    return user


def provisioned(user: Any) -> services.Provisioned:
    """What a SCIM user states of a person. The name Seats shows is `displayName`, else the
    given and family names, else the address; an employee unless the extension says
    consultant."""
    given = user.name.given_name if user.name else None
    family = user.name.family_name if user.name else None
    parts = " ".join(part for part in (given, family) if part)
    name = user.display_name or parts or user.user_name or ""
    return services.Provisioned(
        name=name,
        email=user.user_name or "",
        access=bool(user.active),
        kind=ResourceKind.EXTERNAL_CONSULTANT if consultant_of(user) else ResourceKind.EMPLOYEE,
        kind_stated=consultant_of(user) is not None,
        external_id=user.external_id,
        display_name=user.display_name,
        given_name=given,
        family_name=family,
    )


def consultant_of(user: Any) -> bool | None:
    extension = getattr(user, "SeatsUser", None)
    return extension.consultant if extension is not None else None


class SeatsStorage(AsyncScimStorage):
    def __init__(self, maximum: int) -> None:
        self.maximum = maximum

    @staticmethod
    def _people() -> Any:
        provider = acting.get()
        return Person.filter(organization_id=provider.organization_id, deprovisioned_at=None)

    async def _person(self, resource_id: str) -> Person:
        key = ids.key_of(resource_id, ids.RESOURCE)
        person = await self._people().get_or_none(id=key) if key is not None else None
        if person is None:
            raise NotFoundException(detail=f"No user with the id {resource_id[:100]!r}.")
        return person

    async def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        return user_of(await self._person(resource_id))

    async def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        query = self._people()
        if search_request.filter is not None:
            if len(str(search_request.filter)) > MAX_FILTER_LENGTH:
                raise InvalidFilterException(
                    detail=f"A filter can be at most {MAX_FILTER_LENGTH} characters."
                )
            query = query.filter(filters.condition(search_request.filter.ast))
        total = await query.count()
        count = search_request.count if search_request.count is not None else 0
        start = max(search_request.start_index or 1, 1)
        people = await query.order_by("id").offset(start - 1).limit(count) if count else []
        return SearchPage(total=total, resources=[user_of(person) for person in people])

    async def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        outcome = await services.provision_new(
            acting.get().actor, provisioned(resource), maximum=self.maximum
        )
        return user_of(outcome.resource)

    async def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        person = await self._person(resource.id or "")
        outcome = await services.provision(
            acting.get().actor, person.id, provisioned(resource), maximum=self.maximum
        )
        return user_of(outcome.resource)

    async def delete(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        expected_version: str | None = None,
    ) -> None:
        person = await self._person(resource_id)
        await services.deprovision(acting.get().actor, person.id)
