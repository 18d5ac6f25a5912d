"""Errors the domain raises for bad input. Each has a stable `code`, documented in the README,
which the API passes to clients in `extensions.code`; the message is written for people."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = {"code": self.code, **details}


class InvalidInput(DomainError):
    code = "BAD_USER_INPUT"


class BadRequest(DomainError):
    """A request the transport cannot serve (e.g. signing in over a websocket)."""

    code = "BAD_REQUEST"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class ResourceInactive(DomainError):
    code = "RESOURCE_INACTIVE"


class ResourceAlreadyActive(DomainError):
    code = "RESOURCE_ALREADY_ACTIVE"


class LastAdministrator(DomainError):
    code = "LAST_ADMIN"


class EmailTaken(DomainError):
    code = "EMAIL_TAKEN"


class LicenseLimitReached(DomainError):
    code = "LICENSE_LIMIT_REACHED"


class LicenseCountChanged(DomainError):
    code = "LICENSE_COUNT_CHANGED"


class LicenseRequestPending(DomainError):
    """R16: the license policy stopped the increase that giving access takes; nothing changed,
    and a license request waits for an administrator (made now, or already pending)."""

    code = "LICENSE_REQUEST_PENDING"


class LicenseRequestDeclined(DomainError):
    """R16: an administrator declined the license request for this person lately; nothing
    changed, and no new request is made while the decline stands."""

    code = "LICENSE_REQUEST_DECLINED"
