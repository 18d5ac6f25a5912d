"""Organisations, signing in and out, and the sessions behind the cookie."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.transactions import in_transaction

from server import events
from server.accounts import activity, lookups, rules, throttle, tokens
from server.accounts.models import (
    COUNT_FIELDS,
    PEOPLE_COUNTS,
    ApiToken,
    Deactivation,
    Organization,
    Resource,
    ResourceKind,
    Role,
    Session,
)
from server.accounts.passwords import hash_password, verify_password
from server.accounts.tokens import token_hash
from server.billing import services as billing
from server.billing.models import Plan
from server.billing.proration import local_day
from server.errors import InvalidInput
from server.licensing.history import record_change, record_usage
from server.licensing.models import ChangeReason
from server.settings import get_settings
from server.text import check_text

log = logging.getLogger("seats.accounts")


@dataclass(frozen=True)
class Viewer:
    """Who is behind a request: a signed-in person, or an integration's API token."""

    organization: Organization
    resource: Resource | None = None
    token: ApiToken | None = None
    # When the credential ends by itself (a session's expiry); None for a token.
    expires_at: datetime | None = None

    @property
    def organization_id(self) -> int:
        return self.organization.id

    @property
    def role(self) -> Role | None:
        return self.resource.role if self.resource else None


@dataclass(frozen=True)
class SignedIn:
    token: str
    resource: Resource


@dataclass(frozen=True)
class WrongCredentials:
    pass


@dataclass(frozen=True)
class SignInThrottled:
    retry_after_seconds: int


def check_time_zone(time_zone: str) -> str:
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"'{time_zone}' is not a time zone.", field="timeZone") from None
    return time_zone


async def create_organization(
    name: str,
    *,
    admin_name: str,
    admin_email: str,
    admin_password: str,
    time_zone: str = "UTC",
    plan: Plan | None = None,
    now: datetime | None = None,
) -> tuple[Organization, Resource]:
    """A new organisation with its first administrator, who holds its first license. That
    license is a change of the count like any other (R8, R9). It subscribes to `plan`, or to
    the configured default plan."""
    now = now or datetime.now(UTC)
    org_name = rules.clean_name(name)
    admin_name = rules.clean_name(admin_name)
    email = rules.clean_email(admin_email)
    rules.check_password(admin_password)
    check_time_zone(time_zone)
    today = local_day(now, time_zone)
    if plan is None:
        settings = get_settings()
        plan = await billing.plan_for(
            settings.default_plan, settings.default_price, settings.currency
        )
    async with in_transaction() as conn:
        org = await Organization.create(
            using_db=conn,
            name=org_name,
            time_zone=time_zone,
            license_count=0,
            used=0,
            created_at=now,
        )
        await billing.subscribe(conn, org, plan, today)
        admin = await Resource.create(
            using_db=conn,
            organization_id=org.id,
            name=admin_name,
            email=email,
            kind=ResourceKind.EMPLOYEE,
            role=Role.ADMIN,
            active=True,
            login_access=True,
            start_date=today,
            password_hash=hash_password(admin_password),
        )
        await record_change(
            conn, org, 1, ChangeReason.INITIAL, None, now=now, effective_on=today, resource=admin
        )
        org.used = 1
        org.count_person(admin.kind, active=True, by=1)
        await org.save(using_db=conn, update_fields=[*COUNT_FIELDS, *PEOPLE_COUNTS.values()])
        await record_usage(conn, org, now)
    return org, admin


async def login(
    email: str,
    password: str,
    *,
    session_hours: int,
    address: str = "unknown",
    now: datetime | None = None,
) -> SignedIn | WrongCredentials | SignInThrottled:
    """Check the password of someone who may sign in; on success open a session whose token
    goes into the cookie. Failures slow further tries down, per account and per address: the
    attempt is claimed before the password is checked, so parallel guesses cannot outrun the
    count. Each wrong password is logged ("sign-in failed", with the client address)."""
    check_text(email, "email")
    check_text(password, "password")
    now = now or datetime.now(UTC)
    # The attempt is counted before any password is checked (see server/accounts/throttle.py).
    wait = await throttle.claim_attempt(email, address, now)
    if wait:
        return SignInThrottled(retry_after_seconds=wait)
    candidates = await Resource.filter(
        email=email.strip().lower(), active=True, login_access=True, password_hash__isnull=False
    )
    match = next((r for r in candidates if verify_password(r.password_hash, password)), None)
    if not candidates:
        verify_password(None, password)
    if match is None:
        log.warning("sign-in failed from %s", address)
        return WrongCredentials()
    await throttle.record_success(email, address)
    token = secrets.token_urlsafe(32)
    await Session.create(
        token_hash=token_hash(token),
        resource_id=match.id,
        expires_at=now + timedelta(hours=session_hours),
    )
    await activity.signed_in(match, now)
    return SignedIn(token=token, resource=match)


async def logout(token: str) -> None:
    """Ends the session, and, with the commit, the websockets opened with it in any server
    process (R11)."""
    hashed = token_hash(token)
    async with events.transaction() as (conn, news):
        if await Session.filter(token_hash=hashed).using_db(conn).delete():
            news.add(events.CredentialEnded("session", hashed))


async def viewer_for_session(
    token: str, now: datetime | None = None, *, active: bool = True
) -> Viewer | None:
    """The person a session cookie belongs to, if the session is live and they may still sign
    in (removing access or terminating deletes sessions too; this is the second lock).

    The request is the person's activity (R19): their `last_active_at` came with the session,
    and is written only when it is older than an hour (server/accounts/activity.py). `active`
    False: the server checks the session on its own (a websocket's credential looked up again
    after a reconnection to the database), which is nobody's activity."""
    found = await lookups.session_person(token_hash(token))
    if found is None:
        return None
    session, resource = found
    now = now or datetime.now(UTC)
    if session.expires_at <= now:
        return None
    if active:
        await activity.seen(resource, now)
    return Viewer(
        organization=resource.organization, resource=resource, expires_at=session.expires_at
    )


async def forget_expired_sessions(now: datetime) -> int:
    """Sessions past their end let nobody in any more (`viewer_for_session`): delete them."""
    return await Session.filter(expires_at__lte=now).delete()


async def viewer_for_bearer(bearer: str) -> Viewer | None:
    """The API token a bearer string stands for. Its requests are the token's activity
    (`ApiToken.last_used_at`), never a person's: no person's `last_active_at` changes."""
    token = await tokens.token_for(bearer)
    return Viewer(organization=token.organization, token=token) if token else None


async def set_deactivation(organization_id: int, deactivation: Deactivation) -> Deactivation:
    """R17: what an identity provider's deactivation does in this organisation from now on."""
    await Organization.filter(id=organization_id).update(deactivation=deactivation)
    return deactivation
