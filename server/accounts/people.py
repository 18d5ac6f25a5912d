"""Changing who a person is: their name and e-mail address (R6's rules for both)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from server import events
from server.accounts import rules
from server.accounts.models import Resource, Role
from server.errors import EmailTaken, Forbidden, InvalidInput, NotFound

EMAIL_OF_SIGN_IN_REFUSED = (
    "Only an administrator, signed in, can change the address of someone who signs in with a "
    "password or has a role above member."
)


@dataclass(frozen=True)
class ResourceUpdated:
    resource: Resource
    message: str


@dataclass(frozen=True)
class ResourceUpdateRefused:
    """Nothing was saved: `field` of the input broke a rule; `code` is the error's stable code."""

    code: str
    field: str
    message: str


async def update_resource(
    organization_id: int,
    resource_id: int,
    *,
    name: str | None,
    email: str | None,
    actor_role: Role | None,
    by_token: bool,
) -> ResourceUpdated | ResourceUpdateRefused:
    """Rename a person or change their e-mail address (left as they are when None). A name
    follows `rules.clean_name` (no invisible or bidirectional characters); an address
    `rules.clean_email`, and no one else in the organisation may use it (EMAIL_TAKEN). A
    person of another organisation is reported like a missing one (R12).

    R11: an address is what a person signs in with. Changing it for someone who can sign in
    with a password, or whose role is above member, is for an administrator signed in as a
    person (as changing roles is): otherwise a resource manager or a token could lock an
    administrator out. Refused with FORBIDDEN, nothing saved."""
    try:
        cleaned_name = rules.clean_name(name) if name is not None else None
        cleaned_email = rules.clean_email(email) if email is not None else None
    except InvalidInput as refused:
        return ResourceUpdateRefused(refused.code, refused.extensions["field"], refused.message)
    try:
        async with events.transaction() as (conn, news):
            resource = (
                await Resource.filter(id=resource_id, organization_id=organization_id)
                .select_for_update()
                .using_db(conn)
                .get_or_none()
            )
            if resource is None:
                raise NotFound("No resource with this id.", field="resourceId")
            try:
                changed = await apply_identity(
                    conn,
                    resource,
                    name=cleaned_name,
                    email=cleaned_email,
                    actor_role=actor_role,
                    by_token=by_token,
                )
            except EmailTaken:
                return _taken(cleaned_email or "")
            if not changed:
                return ResourceUpdated(resource, f"Nothing to change for {resource.name}.")
            await resource.save(using_db=conn, update_fields=changed)
            news.add(events.SeatsChanged(organization_id))
    except IntegrityError:
        # Someone else took the address between the check and the save.
        return _taken(cleaned_email or "")
    return ResourceUpdated(resource, f"{resource.name} is saved.")


async def apply_identity(
    conn: BaseDBAsyncClient,
    resource: Resource,
    *,
    name: str | None,
    email: str | None,
    actor_role: Role | None,
    by_token: bool,
) -> list[str]:
    """Set a locked person's cleaned name and address (left as they are when None) without
    saving; the fields changed. R11: the address of someone who signs in with a password or
    has a role above member is changed only by an administrator signed in (FORBIDDEN); an
    address someone else in the organisation uses raises EMAIL_TAKEN."""
    if email is not None and email != resource.email:
        signs_in = resource.password_hash is not None or resource.role is not Role.MEMBER
        if signs_in and not rules.may_change_roles(actor_role=actor_role, by_token=by_token):
            raise Forbidden(EMAIL_OF_SIGN_IN_REFUSED)
        taken = (
            await Resource.filter(organization_id=resource.organization_id, email=email)
            .exclude(id=resource.id)
            .using_db(conn)
            .exists()
        )
        if taken:
            raise EmailTaken(f"Someone in this organisation already uses {email}.", field="email")
    changed = []
    if name is not None and name != resource.name:
        resource.name = name
        changed.append("name")
    if email is not None and email != resource.email:
        resource.email = email
        changed.append("email")
    return changed


def _taken(email: str) -> ResourceUpdateRefused:
    message = f"Someone in this organisation already uses {email}."
    return ResourceUpdateRefused(EmailTaken.code, "email", message)
