"""Who may read and call what (R11), as strawberry permissions. A signed-in person is judged by
role (the rules live in `server.accounts.rules`); an API token by its scopes.

Each field has one permission, and so one check per request: a request without a viewer is
refused as `IsAuthenticated` refuses it (its message, UNAUTHENTICATED), a viewer the field's
rule does not allow by the field's own message (FORBIDDEN). Both errors are made by strawberry's
`BasePermission.on_unauthorized`, of `IsAuthenticated` and of the field's permission."""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from server.accounts import rules
from server.accounts.models import Scope
from server.accounts.services import Viewer
from server.api.context import Info


class IsAuthenticated(BasePermission):
    message = "Sign in first, or send an API token as `Authorization: Bearer …`."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer is not None


class _Rule(BasePermission):
    """A viewer (else IsAuthenticated's refusal), whom `allows` lets in (else this class's
    message, FORBIDDEN)."""

    error_extensions = {"code": "FORBIDDEN"}
    unauthenticated: ClassVar[IsAuthenticated] = IsAuthenticated()

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if viewer is None:
            self.unauthenticated.on_unauthorized()  # raises its error
        return viewer is not None and self.allows(viewer)

    def allows(self, viewer: Viewer) -> bool:
        raise NotImplementedError


class _Access(_Rule):
    """A person with a role the rule allows, or a token with the scope."""

    scope: ClassVar[Scope]

    def allows(self, viewer: Viewer) -> bool:
        return rules.may(
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


class Administers(_Rule):
    """An administrator signed in as a person: the organisation's settings (R11)."""

    message = "Only an administrator, signed in, changes the organisation's settings."

    def allows(self, viewer: Viewer) -> bool:
        return viewer.token is None and rules.may_administer(viewer.role)


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


class ChangesRoles(_Rule):
    """Refused before any argument is looked at (the service checks again)."""

    message = rules.CHANGE_ROLES_REFUSED

    def allows(self, viewer: Viewer) -> bool:
        return rules.may_change_roles(actor_role=viewer.role, by_token=viewer.token is not None)


READ_SEATS = [SeatsRead]
WRITE_SEATS = [SeatsWrite]
READ_BILLING = [BillingRead]
MANAGE_TOKENS = [ManagesTokens]
CHANGE_ROLES = [ChangesRoles]
ADMINISTER = [Administers]
DECIDE_LICENSES = [DecidesLicenses]
MANAGE_WEBHOOKS = [ManagesWebhooks]
