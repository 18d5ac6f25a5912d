"""Who may read and call what (R11), as strawberry permissions; the rules themselves live in
`server.accounts.rules`."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from server.accounts import rules
from server.api.context import Info


class IsAuthenticated(BasePermission):
    message = "Sign in first."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer is not None


class CanManageLicenses(BasePermission):
    message = "The licences page is for administrators and users with access to resources."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        return viewer is not None and rules.may_manage_licenses(viewer.role)


LICENSE_MANAGERS = [IsAuthenticated, CanManageLicenses]


class CanAdminister(BasePermission):
    message = "The plan and invoices are for administrators."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        return viewer is not None and rules.may_administer(viewer.role)


ADMINISTRATORS = [IsAuthenticated, CanAdminister]
