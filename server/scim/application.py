"""The SCIM application mounted at /scim: scim2-server's protocol over `SeatsStorage`, with
the one way in Seats knows for integrations (an API token, here of scope `scim`), and the
domain's refusals told as SCIM errors (RFC 7644 §3.12)."""

from __future__ import annotations

import logging
from http import HTTPStatus

import orjson
from scim2_models import (
    ForbiddenException,
    InvalidFilterException,
    InvalidValueException,
    MutabilityException,
    NotFoundException,
    PatchOp,
    ResourceType,
    SCIMException,
    UnauthorizedException,
    UniquenessException,
)
from scim2_server.applications.asgi import ASGIApplication
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from scim2_server.service import ScimService

from server.accounts import rules
from server.accounts.models import Scope
from server.accounts.services import viewer_for_bearer
from server.db import database_unavailable
from server.errors import (
    DomainError,
    EmailTaken,
    Forbidden,
    LastAdministrator,
    LicenseLimitReached,
    LicenseRequestDeclined,
    LicenseRequestPending,
    NotFound,
)
from server.licensing.outcomes import Actor
from server.middleware import RETRY_AFTER_SECONDS
from server.scim.schema import MAX_FILTER_LENGTH, USER_SCHEMA, provider
from server.scim.storage import Provider, SeatsStorage, acting

log = logging.getLogger("seats.scim")

NEEDS_TOKEN = "Send an API token with the scope scim: `Authorization: Bearer seats_…`."
WRONG_SCOPE = "This API token cannot provision people: it lacks the scope scim."


def scim_error(error: DomainError) -> SCIMException:
    """A refusal of the domain as the SCIM error a client acts on.

    The license policy's refusals (R16: a license request is pending, or was declined) and the
    maximum count reached are 403: the request is understood and valid, and is refused as
    things stand; sending it again changes nothing until an administrator approves the
    request (or frees or adds a license), and clients retry 429 and 5xx, not 403. (409 would
    read as "this user exists" to identity providers, which then try to match and link.)"""
    detail = error.message
    if isinstance(error, EmailTaken):
        return UniquenessException(detail=detail)
    if isinstance(
        error, LicenseRequestPending | LicenseRequestDeclined | LicenseLimitReached | Forbidden
    ):
        return ForbiddenException(detail=detail)
    if isinstance(error, NotFound):
        return NotFoundException(detail=detail)
    if isinstance(error, LastAdministrator):
        return MutabilityException(detail=detail)
    # InvalidInput (a name or address R6 refuses), and any other refusal of a value.
    return InvalidValueException(detail=detail)


def _targets_emails(path: object) -> bool:
    if not isinstance(path, str):
        return False
    name = path.strip().lower().removeprefix(USER_SCHEMA.lower() + ":")
    return name == "emails" or name.startswith(("emails[", "emails."))


def without_emails(body: bytes) -> bytes:
    """A PATCH body without what it writes to `emails`. Seats derives the one address of a
    user from its userName, so `emails` is read only, and RFC 7644 would refuse a write to it
    (mutability); but Entra ID writes its mail attribute there (`emails[type eq "work"].value`)
    on every change of it, and a refusal would fail its whole update. Such a write changes
    nothing here, as for a PUT. A body that is not a PATCH as expected is left as it is, for
    the protocol to refuse."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    operations = data.get("Operations") if isinstance(data, dict) else None
    if not isinstance(operations, list):
        return body
    kept = []
    for operation in operations:
        if not isinstance(operation, dict):
            kept.append(operation)
            continue
        if _targets_emails(operation.get("path")):
            continue
        value = operation.get("value")
        if operation.get("path") is None and isinstance(value, dict):
            operation = {**operation, "value": {k: v for k, v in value.items() if k != "emails"}}
        kept.append(operation)
    if len(kept) == len(operations) and kept == operations:
        return body
    if not kept:
        # Nothing else to do: a PATCH that changes nothing (RFC 7644 needs one operation).
        kept = [{"op": "add", "value": {}}]
    return orjson.dumps({**data, "Operations": kept})


class SeatsScimService(ScimService):
    def read_patch(
        self, resource_type: ResourceType, body: bytes, content_type: str | None
    ) -> PatchOp:
        return super().read_patch(resource_type, without_emails(body), content_type)


class ScimApplication(ASGIApplication):
    def __init__(self, maximum: int) -> None:
        scim_provider = provider()
        super().__init__(SeatsStorage(maximum), scim_provider, SeatsScimService(scim_provider))
        self.log = log

    async def dispatch_request(self, request: ScimRequest) -> ScimResponse:
        """Every endpoint but ServiceProviderConfig needs an identity provider's token (RFC
        7643 §5): a live API token with the scope scim. A session cookie is not looked at;
        a token with other scopes only is refused (403)."""
        filter_text = request.query.get("filter")
        if filter_text is not None and len(filter_text) > MAX_FILTER_LENGTH:
            raise InvalidFilterException(
                detail=f"A filter can be at most {MAX_FILTER_LENGTH} characters."
            )
        if not self.needs_auth(request):
            return await self.handler.handle(request)
        scheme, _, bearer = (request.header("Authorization") or "").partition(" ")
        viewer = await viewer_for_bearer(bearer.strip()) if scheme.lower() == "bearer" else None
        if viewer is None or viewer.token is None:
            raise UnauthorizedException(detail=NEEDS_TOKEN)
        token = viewer.token
        if not rules.may(Scope.SCIM, role=None, token_scopes=token.scope_set):
            raise ForbiddenException(detail=WRONG_SCOPE)
        scope = acting.set(Provider(Actor.provisioning(token)))
        try:
            return await self.handler.handle(request)
        finally:
            acting.reset(scope)

    def handle_exception(self, request: ScimRequest, exception: Exception) -> ScimResponse:
        if isinstance(exception, DomainError):
            exception = scim_error(exception)
        if not isinstance(exception, SCIMException) and database_unavailable(exception):
            log.warning(
                "database unavailable in %s %s: %r", request.method, request.path, exception
            )
            response = ScimResponse(
                HTTPStatus.SERVICE_UNAVAILABLE,
                {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                    "status": "503",
                    "detail": "The database cannot be reached; try again shortly.",
                },
            )
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return super().handle_exception(request, exception)
