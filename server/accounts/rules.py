"""Who may do what (R11). Pure: no I/O."""

from __future__ import annotations

from server.accounts.models import Role, Scope
from server.errors import Forbidden, InvalidInput


def may_manage_licenses(role: Role) -> bool:
    """The licenses page is for administrators and users with access to resources."""
    return role in (Role.ADMIN, Role.RESOURCE_MANAGER)


def may_administer(role: Role) -> bool:
    """Plan, invoices, roles and API tokens are for administrators only."""
    return role is Role.ADMIN


def may_give(role: Role, *, sets_password: bool, actor_role: Role | None, by_token: bool) -> bool:
    """R11: only an administrator signed in as a person gives a role above MEMBER, changes a
    role, or sets another person's password. An API token never does, whatever its scopes:
    it cannot create a person who signs in with a password, nor anyone above MEMBER."""
    if role is Role.MEMBER and not sets_password:
        return True
    return not by_token and actor_role is Role.ADMIN


def check_may_give(
    role: Role, *, sets_password: bool, actor_role: Role | None, by_token: bool
) -> None:
    """`may_give`, refusing with FORBIDDEN and a message that says who may."""
    if may_give(role, sets_password=sets_password, actor_role=actor_role, by_token=by_token):
        return
    what = (
        f"Only an administrator, signed in, can make someone {role.value}."
        if role is not Role.MEMBER
        else "Only an administrator, signed in, can set another person's password."
    )
    if by_token:
        what += " API tokens cannot give roles or passwords."
    raise Forbidden(what, field="role" if role is not Role.MEMBER else "password")


def may_change_roles(*, actor_role: Role | None, by_token: bool) -> bool:
    """R11: changing anyone's role is for an administrator signed in as a person."""
    return not by_token and actor_role is Role.ADMIN


CHANGE_ROLES_REFUSED = "Only an administrator, signed in, can change roles (not an API token)."


def check_may_change_role(*, actor_role: Role | None, by_token: bool) -> None:
    if not may_change_roles(actor_role=actor_role, by_token=by_token):
        raise Forbidden(CHANGE_ROLES_REFUSED)


MAX_NAME = 200
MAX_EMAIL = 254
MIN_PASSWORD = 10


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("A name is required.", field="name")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"A name can be at most {MAX_NAME} characters.", field="name")
    return cleaned


def clean_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if not at or not local or "." not in domain or " " in cleaned or len(cleaned) > MAX_EMAIL:
        raise InvalidInput(f"'{email}' is not an e-mail address.", field="email")
    return cleaned


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD} characters.", field="password"
        )


def may(scope: Scope, *, role: Role | None, token_scopes: frozenset[Scope] | None) -> bool:
    """R11 in one place: a token may what its scopes say; a person what the role allows."""
    if token_scopes is not None:
        return scope in token_scopes
    person_rule = may_administer if scope is Scope.BILLING_READ else may_manage_licenses
    return role is not None and person_rule(role)
