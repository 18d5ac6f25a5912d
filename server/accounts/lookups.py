"""Who is behind a request, in one prepared statement (see server/sql.py).

Every request authenticates, so this is the hottest query of the service: a token or session
row joined with the organisation (and the person, for a session), which is all `seats` needs
as well. Through the ORM's query builder it cost about 0.4 ms of CPU a request.
The person comes with their last activity (R19), which `viewer_for_session` writes only when
it is older than an hour.
"""

from __future__ import annotations

from functools import cache

from server import sql
from server.accounts.models import ApiToken, Organization, Resource, Session


@cache
def _token_sql() -> str:
    return (
        f"SELECT {sql.select(ApiToken, 't')},{sql.select(Organization, 'o')} "
        'FROM "api_token" t JOIN "organization" o ON o."id"=t."organization_id" '
        'WHERE t."token_hash"=$1 AND t."revoked_at" IS NULL LIMIT 1'
    )


@cache
def _session_sql() -> str:
    return (
        f"SELECT {sql.select(Session, 's')},{sql.select(Resource, 'r')},"
        f"{sql.select(Organization, 'o')} "
        'FROM "session" s JOIN "resource" r ON r."id"=s."resource_id" '
        'JOIN "organization" o ON o."id"=r."organization_id" '
        'WHERE s."token_hash"=$1 AND r."active" AND r."login_access" LIMIT 1'
    )


async def live_token(token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, its organisation loaded."""
    row = await sql.fetch_one(_token_sql(), [token_hash])
    if row is None:
        return None
    token = sql.model_of(ApiToken, row, "t")
    token.organization = sql.model_of(Organization, row, "o")
    return token


async def session_person(token_hash: str) -> tuple[Session, Resource] | None:
    """The session with this hash and its person, if that person may sign in (active, with
    login access); the person's organisation loaded. Expiry is the caller's to check."""
    row = await sql.fetch_one(_session_sql(), [token_hash])
    if row is None:
        return None
    session = sql.model_of(Session, row, "s")
    resource = sql.model_of(Resource, row, "r")
    resource.organization = sql.model_of(Organization, row, "o")
    return session, resource
