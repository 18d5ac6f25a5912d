"""API tokens for integrations (R11): shown once, stored as a SHA-256 hash, scoped."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from server import events
from server.accounts import lookups, rules
from server.accounts.models import ApiToken, Scope
from server.errors import InvalidInput, NotFound

PREFIX = "seats_"
# Writing `last_used_at` on every request would turn reads into writes; once a minute is
# precise enough for people deciding whether a token is still in use.
TOUCH_EVERY = timedelta(minutes=1)
MAX_NAME = 100


def token_hash(token: str) -> str:
    """How every secret a client holds is stored: API tokens and session tokens alike (256
    random bits each, so a plain SHA-256 is enough; there is nothing to guess)."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_api_token(
    organization_id: int,
    name: str,
    scopes: list[Scope],
    *,
    created_by_id: int | None,
    now: datetime | None = None,
) -> tuple[str, ApiToken]:
    """A new token with 256 random bits. Returns the token itself, which is never stored."""
    cleaned = rules.clean_name(name, max_length=MAX_NAME)
    if not scopes:
        raise InvalidInput("A token needs at least one scope.", field="scopes")
    token = PREFIX + secrets.token_urlsafe(32)
    record = await ApiToken.create(
        organization_id=organization_id,
        name=cleaned,
        prefix=token[: len(PREFIX) + 4],
        token_hash=token_hash(token),
        scopes=" ".join(sorted({scope.value for scope in scopes})),
        created_by_id=created_by_id,
        created_at=now or datetime.now(UTC),
    )
    return token, record


async def api_tokens(organization_id: int) -> list[ApiToken]:
    return await ApiToken.filter(organization_id=organization_id).order_by("-created_at", "-id")


async def revoke_api_token(
    organization_id: int, token_id: int, now: datetime | None = None
) -> ApiToken:
    """Stops the token at once: HTTP requests check it every time, and websockets opened with
    it, in any server process, are closed when the revocation commits (R11)."""
    async with events.transaction() as (conn, news):
        token = (
            await ApiToken.filter(id=token_id, organization_id=organization_id)
            .select_for_update()
            .using_db(conn)
            .get_or_none()
        )
        if token is None:
            raise NotFound("No API token with this id.", field="id")
        if token.revoked_at is None:
            token.revoked_at = now or datetime.now(UTC)
            await token.save(using_db=conn, update_fields=["revoked_at"])
            news.add(events.CredentialEnded("token", str(token.id)))
    return token


async def token_for(bearer: str, now: datetime | None = None) -> ApiToken | None:
    """The live token a bearer string stands for, if any."""
    if not bearer.startswith(PREFIX):
        return None
    token = await lookups.live_token(token_hash(bearer))
    if token is None:
        return None
    now = now or datetime.now(UTC)
    if rules.time_to_note_use(token.last_used_at, now, TOUCH_EVERY):
        token.last_used_at = now
        await ApiToken.filter(id=token.id).update(last_used_at=now)
    return token
