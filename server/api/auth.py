"""Signing in and out with a session cookie, and `me`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from server.accounts import rules, services
from server.accounts.models import Organization
from server.accounts.models import Resource as ResourceModel
from server.api import ids
from server.api.context import Info
from server.api.enums import Role
from server.errors import BadRequest


@strawberry.type(description="The organisation a person belongs to.")
class OrganizationInfo:
    id: strawberry.ID = strawberry.field(description="The organisation's id: opaque and stable.")
    name: str = strawberry.field(description="The organisation's name.")
    time_zone: str = strawberry.field(
        description="IANA time zone: days (last work days, billing) are counted in it."
    )


@strawberry.type(description="The signed-in person.")
class Me:
    id: strawberry.ID = strawberry.field(
        description="The person's id: opaque, the same as `Resource.id`."
    )
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="E-mail address.")
    role: Role = strawberry.field(description="What the person may do.")
    can_manage_licenses: bool = strawberry.field(
        description="Whether the licenses page is open to this person (ADMIN, RESOURCE_MANAGER)."
    )
    can_manage_api_tokens: bool = strawberry.field(
        description="Whether this person may list, create and revoke the organisation's API "
        "tokens (ADMIN, signed in)."
    )
    organization_id: strawberry.Private[int]

    @strawberry.field(description="The person's organisation.")
    async def organization(self) -> OrganizationInfo:
        org = await Organization.get(id=self.organization_id)
        return OrganizationInfo(
            id=ids.encode(ids.ORGANIZATION, org.id), name=org.name, time_zone=org.time_zone
        )

    @classmethod
    def of(cls, resource: ResourceModel) -> Me:
        return cls(
            id=ids.encode(ids.RESOURCE, resource.id),
            name=resource.name,
            email=resource.email,
            role=resource.role,
            can_manage_licenses=rules.may_manage_licenses(resource.role),
            can_manage_api_tokens=rules.may_administer(resource.role),
            organization_id=resource.organization_id,
        )


@strawberry.type(description="Signed in: the session cookie is set.")
class LoginSuccess:
    me: Me = strawberry.field(description="The person now signed in.")


@strawberry.type(
    description="Not signed in: the e-mail and password do not match anyone who may sign in."
)
class InvalidCredentials:
    message: str = strawberry.field(description="What to tell the person, ready to show.")


@strawberry.type(
    description="Not signed in: too many failed tries for this account or address. Wait, then "
    "try again."
)
class SignInThrottled:
    retry_after_seconds: int = strawberry.field(description="Seconds until the next try.")
    message: str = strawberry.field(description="What to tell the person, ready to show.")


@strawberry.type(description="Signed out: the session is ended and its cookie cleared.")
class LogoutSuccess:
    ok: bool = strawberry.field(description="Always true.")


LoginResult = Annotated[
    LoginSuccess | InvalidCredentials | SignInThrottled,
    strawberry.union("LoginResult", description="The outcome of login."),
]
LogoutResult = Annotated[
    LogoutSuccess, strawberry.union("LogoutResult", description="The outcome of logout.")
]


def _http_only(info: Info) -> None:
    """Signing in and out sets and clears the session cookie: a websocket has no response to
    carry it, so both are refused there before anything is written."""
    if info.context.websocket:
        raise BadRequest("Sign in and out over HTTP (POST /graphql), not over a websocket.")


@strawberry.type
class AuthQuery:
    @strawberry.field(
        description="The signed-in person; null when nobody is signed in, or for an API token."
    )
    def me(self, info: Info) -> Me | None:
        viewer = info.context.viewer
        return Me.of(viewer.resource) if viewer and viewer.resource else None


@strawberry.type
class AuthMutation:
    @strawberry.mutation(
        description="Sign in with e-mail and password; sets an HttpOnly session cookie. HTTP "
        "only: refused with BAD_REQUEST over a websocket."
    )
    async def login(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="E-mail address.")],
        password: Annotated[str, strawberry.argument(description="Password.")],
    ) -> LoginResult:
        _http_only(info)
        settings = info.context.settings
        # Behind a reverse proxy listed in SEATS_FORWARDED_ALLOW_IPS, the server has already
        # put the address from X-Forwarded-For here; from any other peer, the peer itself.
        client = info.context.request.client
        outcome = await services.login(
            email,
            password,
            session_hours=settings.session_hours,
            address=client.host if client else "unknown",
        )
        if isinstance(outcome, services.SignInThrottled):
            wait = outcome.retry_after_seconds
            return SignInThrottled(
                retry_after_seconds=wait,
                message="Too many failed sign-ins. Try again in "
                f"{wait} {'second' if wait == 1 else 'seconds'}.",
            )
        if isinstance(outcome, services.WrongCredentials):
            return InvalidCredentials(message="The e-mail address or the password is wrong.")
        info.context.response.set_cookie(
            settings.session_cookie_name,
            outcome.token,
            max_age=settings.session_hours * 3600,
            httponly=True,
            samesite="lax",
            secure=settings.session_cookie_secure,
            path="/",
        )
        return LoginSuccess(me=Me.of(outcome.resource))

    @strawberry.mutation(
        description="Sign out: ends this session (and closes its websockets). HTTP only: "
        "refused with BAD_REQUEST over a websocket."
    )
    async def logout(self, info: Info) -> LogoutResult:
        _http_only(info)
        if info.context.session_token:
            await services.logout(info.context.session_token)
        info.context.response.delete_cookie(
            info.context.settings.session_cookie_name, path="/", httponly=True, samesite="lax"
        )
        return LogoutSuccess(ok=True)
