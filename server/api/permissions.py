"""Who may read and call what (R11), as strawberry permissions. A signed-in person is judged by
role (the rules live in `server.accounts.rules`); an API token by its scopes."""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from server.accounts import rules
from server.accounts.models import Scope
from server.api.context import Info


class IsAuthenticated(BasePermission):
    message = "Sign in first, or send an API token as `Authorization: Bearer …`."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer is not None


class _Access(BasePermission):
    """A person with a role the rule allows, or a token with the scope."""

    error_extensions = {"code": "FORBIDDEN"}
    scope: ClassVar[Scope]

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        return viewer is not None and rules.may(
            self.scope,
            role=viewer.role,
            token_scopes=viewer.token.scope_set if viewer.token else None,
        )


class SeatsRead(_Access):
    message = (
        "The licenses page is for administrators and users with access to resources "
        "(API tokens: scope seats:read)."
    )
    scope = Scope.SEATS_READ


class SeatsWrite(_Access):
    message = (
        "The licenses page is for administrators and users with access to resources "
        "(API tokens: scope seats:write)."
    )
    scope = Scope.SEATS_WRITE


class BillingRead(_Access):
    message = "The plan and invoices are for administrators (API tokens: scope billing:read)."
    scope = Scope.BILLING_READ


class Administers(BasePermission):
    """An administrator signed in as a person: the organisation's settings (R11)."""

    message = "Only an administrator, signed in, changes the organisation's settings."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        return viewer is not None and viewer.token is None and rules.may_administer(viewer.role)


class DecidesLicenses(Administers):
    """R16: the license policy and license requests are decided by administrators signed in
    as a person (the service checks again)."""

    message = "The license policy and license requests are decided by signed-in administrators."


class ManagesWebhooks(Administers):
    """Webhook endpoints send the organisation's changes (names, e-mail addresses, invoices)
    to a URL of the caller's choosing, with a secret shown once: like API tokens, they are
    managed by administrators signed in as a person, never by a token (a leaked token must
    not be able to open a lasting channel out)."""

    message = "Webhook endpoints are managed by signed-in administrators."


class ManagesTokens(Administers):
    message = "API tokens are managed by signed-in administrators."


class ChangesRoles(BasePermission):
    """Refused before any argument is looked at (the service checks again)."""

    message = rules.CHANGE_ROLES_REFUSED
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        return viewer is not None and rules.may_change_roles(
            actor_role=viewer.role, by_token=viewer.token is not None
        )


READ_SEATS = [IsAuthenticated, SeatsRead]
WRITE_SEATS = [IsAuthenticated, SeatsWrite]
READ_BILLING = [IsAuthenticated, BillingRead]
MANAGE_TOKENS = [IsAuthenticated, ManagesTokens]
CHANGE_ROLES = [IsAuthenticated, ChangesRoles]
ADMINISTER = [IsAuthenticated, Administers]
DECIDE_LICENSES = [IsAuthenticated, DecidesLicenses]
MANAGE_WEBHOOKS = [IsAuthenticated, ManagesWebhooks]
