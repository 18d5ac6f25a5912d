"""R11: one permission per field, so one check per request and field. The roles, scopes and
operations are tested end to end in test_api_tokens.py, test_api_roles.py, test_api_auth.py
and test_api_isolation.py; here, that every field the schema guards has exactly one
permission, and that it refuses as the pair it replaces did: without a viewer, as
`IsAuthenticated` (its message, UNAUTHENTICATED), else by its own message (FORBIDDEN)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from graphql import GraphQLObjectType
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.permission import PermissionExtension

from server.accounts.models import ApiToken, Role
from server.api import permissions
from server.api.schema import schema

GUARDS = {
    name: getattr(permissions, name)
    for name in (
        "READ_SEATS", "WRITE_SEATS", "READ_BILLING", "MANAGE_TOKENS", "CHANGE_ROLES",
        "ADMINISTER", "DECIDE_LICENSES", "MANAGE_WEBHOOKS",
    )
}  # fmt: skip


def _guarded_fields() -> dict[str, list[PermissionExtension]]:
    found = {}
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            definition = field.extensions.get("strawberry-definition")
            extensions = getattr(definition, "extensions", None) or []
            guards = [e for e in extensions if isinstance(e, PermissionExtension)]
            if guards:
                found[f"{type_.name}.{name}"] = guards
    return found


def test_r11_every_guarded_field_has_one_permission():
    guarded = _guarded_fields()
    assert "Query.seats" in guarded and "Mutation.setRole" in guarded
    for field, guards in guarded.items():
        assert len(guards) == 1, field
        (permission,) = guards[0].permissions
        assert isinstance(permission, permissions._Rule), field
    assert all(len(classes) == 1 for classes in GUARDS.values())


def _info(viewer: Any) -> Any:
    return SimpleNamespace(context=SimpleNamespace(viewer=viewer))


def _refusal(permission: Any, viewer: Any) -> tuple[str, dict] | None:
    """The error the field's permission extension raises for `viewer`, or None."""
    extension = PermissionExtension([permission], use_directives=False)
    try:
        extension.resolve(lambda _source, _info: "answer", None, _info(viewer))
    except StrawberryGraphQLError as error:
        return error.message, error.extensions
    return None


@pytest.mark.parametrize("guard", GUARDS)
def test_r11_without_a_viewer_each_permission_refuses_as_is_authenticated(guard):
    (permission_class,) = GUARDS[guard]
    expected = (
        permissions.IsAuthenticated.message,
        permissions.IsAuthenticated.error_extensions,
    )
    assert expected[1] == {"code": "UNAUTHENTICATED"}
    assert _refusal(permission_class(), None) == expected


@pytest.mark.parametrize("guard", GUARDS)
def test_r11_a_viewer_refused_gets_the_permissions_own_message(guard):
    (permission_class,) = GUARDS[guard]
    # A token without any scope: every guarded field refuses it.
    viewer = SimpleNamespace(role=None, token=ApiToken(scopes=""))
    assert _refusal(permission_class(), viewer) == (
        permission_class.message,
        {"code": "FORBIDDEN"},
    )
    admin = SimpleNamespace(role=Role.ADMIN, token=None)
    assert _refusal(permission_class(), admin) is None
