"""Who may do what (R11). Pure: no I/O."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from server.accounts.models import Role, Scope
from server.errors import Forbidden, InvalidInput
from server.text import check_text, shown


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


ROLE_NAMES = {
    Role.ADMIN: "an administrator",
    Role.RESOURCE_MANAGER: "a resource manager",
    Role.MEMBER: "a member",
}


def role_name(role: Role) -> str:
    """A role as a sentence says it: "an administrator"."""
    return ROLE_NAMES[role]


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


_ASCII_CONTROL = re.compile("[\x00-\x1f\x7f]")
# Unicode's "Other" categories a name has no use for: control characters (Cc), invisible
# format characters (Cf: zero-width spaces and joiners U+200B-U+200F, bidirectional
# overrides and isolates U+202A-U+202E and U+2066-U+2069, the byte order mark U+FEFF...)
# and surrogates (Cs).
_HIDDEN_CATEGORIES = frozenset(("Cc", "Cf", "Cs"))


def hidden_character(text: str) -> str | None:
    """The first control, invisible-format or surrogate character of `text`, if any. One
    pass over the text (a regular expression for ASCII, the Unicode database else)."""
    if text.isascii():
        found = _ASCII_CONTROL.search(text)
        return found.group() if found else None
    return next((c for c in text if unicodedata.category(c) in _HIDDEN_CATEGORIES), None)


def clean_name(name: str, *, field: str = "name", max_length: int = MAX_NAME) -> str:
    """A name as people see it: runs of white space (tabs and line breaks included) become one
    space, and none is left at either end.

    A name with a control character, an invisible format character (Unicode category Cf:
    zero-width spaces and joiners, bidirectional overrides and isolates, the byte order
    mark...) or a lone surrogate is refused with BAD_USER_INPUT (`field`), not stripped. Such
    characters make two different names look alike on screen ("Anna" and "An\u200bna") or a
    name show in another order than it is stored (U+202E), which is how one person passes for
    another in a list or a history; stripping them silently would store something else than
    what was typed, and the caller would not know. Refusing says which character it is, and
    the caller can send the name again without it. (Scripts that need a zero-width joiner or
    non-joiner inside words are refused too: names here are for lists and histories, where
    telling people apart matters more.)"""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("A name is required.", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"A name can be at most {max_length} characters.", field=field)
    hidden = hidden_character(cleaned)
    if hidden is not None:
        raise InvalidInput(
            f"A name cannot contain the invisible or control character U+{ord(hidden):04X}.",
            field=field,
        )
    return cleaned


def clean_email(email: str, field: str = "email") -> str:
    """An e-mail address, trimmed and in lower case; one with white space, a control or
    invisible character (see clean_name) or a lone surrogate inside is refused."""
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(cleaned) > MAX_EMAIL
        or cleaned.split() != [cleaned]
        or hidden_character(cleaned) is not None
    ):
        raise InvalidInput(f"'{shown(email)}' is not an e-mail address.", field=field)
    return cleaned


def check_password(password: str) -> None:
    check_text(password, "password")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD} characters.", field="password"
        )


def may(scope: Scope, *, role: Role | None, token_scopes: frozenset[Scope] | None) -> bool:
    """R11 in one place: a token may what its scopes say; a person what the role allows.
    Provisioning (`scim`, R17) is for identity providers' tokens only: no person reaches it."""
    if token_scopes is not None:
        return scope in token_scopes
    if scope is Scope.SCIM:
        return False
    person_rule = may_administer if scope is Scope.BILLING_READ else may_manage_licenses
    return role is not None and person_rule(role)


def time_to_note_use(last: datetime | None, now: datetime, every: timedelta) -> bool:
    """Whether a use at `now` is written down (a token's last use, a person's last activity):
    never written, written `every` or more ago, or, clocks being what they are, in the future.
    Writing it on every request would turn reads into writes."""
    return last is None or not timedelta(0) <= now - last < every
