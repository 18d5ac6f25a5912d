"""API tokens for integrations, created and revoked by signed-in administrators (R11), and
how identity providers provision people with them over SCIM (R17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from server.accounts import models, services, tokens
from server.api import ids
from server.api.arguments import IdempotencyKey
from server.api.context import Info
from server.api.enums import Deactivation, Scope
from server.api.permissions import MANAGE_TOKENS
from server.api.types import LicenseChange
from server.licensing import services as licensing


@strawberry.type(description="An API token, as kept: never the token itself.")
class ApiToken:
    id: strawberry.ID = strawberry.field(
        description="The token's id: opaque and stable, the one `revokeApiToken` takes."
    )
    name: str = strawberry.field(description="What the token is for.")
    prefix: str = strawberry.field(description="The token's first characters, to recognise it.")
    scopes: list[Scope] = strawberry.field(description="What the token may do.")
    created_at: datetime = strawberry.field(description="When it was created.")
    last_used_at: datetime | None = strawberry.field(
        description="When it was last used (to the minute), or null if never."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked, or null while it works."
    )

    @classmethod
    def of(cls, token: models.ApiToken) -> ApiToken:
        return cls(
            id=ids.encode(ids.API_TOKEN, token.id),
            name=token.name,
            prefix=token.prefix,
            scopes=sorted(token.scope_set),
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


@strawberry.type(description="The token was created. It is shown here once and never again.")
class CreateApiTokenSuccess:
    token: str = strawberry.field(
        description="The token, for `Authorization: Bearer …`. Store it now: only its hash is kept."
    )
    api_token: ApiToken = strawberry.field(description="The token as it is kept.")


@strawberry.type(description="The token was revoked (or already was); it no longer works.")
class RevokeApiTokenSuccess:
    api_token: ApiToken = strawberry.field(description="The revoked token.")


@strawberry.type(
    description="How identity providers provision people over SCIM 2.0 at /scim/v2 (R17), "
    "with an API token of scope SCIM."
)
class Provisioning:
    deactivation: Deactivation = strawberry.field(
        description="What a deactivation by the identity provider does."
    )

    @strawberry.field(
        description="The last provisioning events: the latest history rows identity "
        "providers caused (R8, R17), newest first, at most 10 — when, which token, and what "
        "each did to the license count."
    )
    async def recent_changes(self, info: Info) -> list[LicenseChange]:
        rows = await licensing.provisioning_events(info.context.organization_id)
        return [LicenseChange.of(row) for row in rows]


@strawberry.type(description="Saved: deactivations do this from now on.")
class SetProvisioningDeactivationSuccess:
    provisioning: Provisioning = strawberry.field(description="The provisioning settings.")


SetProvisioningDeactivationResult = Annotated[
    SetProvisioningDeactivationSuccess,
    strawberry.union(
        "SetProvisioningDeactivationResult",
        description="The outcome of setProvisioningDeactivation.",
    ),
]
CreateApiTokenResult = Annotated[
    CreateApiTokenSuccess,
    strawberry.union("CreateApiTokenResult", description="The outcome of createApiToken."),
]
RevokeApiTokenResult = Annotated[
    RevokeApiTokenSuccess,
    strawberry.union("RevokeApiTokenResult", description="The outcome of revokeApiToken."),
]


@strawberry.type
class TokensQuery:
    @strawberry.field(
        description="The organisation's API tokens, newest first.",
        permission_classes=MANAGE_TOKENS,
    )
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        return [ApiToken.of(t) for t in await tokens.api_tokens(info.context.organization_id)]

    @strawberry.field(
        description="How identity providers provision people over SCIM (R17).",
        permission_classes=MANAGE_TOKENS,
    )
    async def provisioning(self, info: Info) -> Provisioning:
        return Provisioning(deactivation=info.context.viewer.organization.deactivation)


@strawberry.type
class TokensMutation:
    @strawberry.mutation(
        description="Choose what an identity provider's deactivation over SCIM does: "
        "terminate today (R7, the default) or remove login access (R5). Signed-in "
        "administrators only.",
        permission_classes=MANAGE_TOKENS,
    )
    async def set_provisioning_deactivation(
        self,
        info: Info,
        deactivation: Annotated[
            Deactivation, strawberry.argument(description="What deactivations do from now on.")
        ],
    ) -> SetProvisioningDeactivationResult:
        saved = await services.set_deactivation(info.context.organization_id, deactivation)
        return SetProvisioningDeactivationSuccess(provisioning=Provisioning(deactivation=saved))

    @strawberry.mutation(
        description="Create an API token for an integration; the answer holds it, once.",
        permission_classes=MANAGE_TOKENS,
    )
    async def create_api_token(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="What the token is for.")],
        scopes: Annotated[list[Scope], strawberry.argument(description="What it may do.")],
    ) -> CreateApiTokenResult:
        viewer = info.context.viewer
        token, record = await tokens.create_api_token(
            viewer.organization_id,
            name,
            scopes,
            created_by_id=viewer.resource.id,
        )
        return CreateApiTokenSuccess(token=token, api_token=ApiToken.of(record))

    @strawberry.mutation(
        description="Revoke an API token: it stops working at once.",
        permission_classes=MANAGE_TOKENS,
    )
    async def revoke_api_token(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The token's id (`ApiToken.id`), as given. An id of anything "
                "else, or of no token of the organisation, is NOT_FOUND."
            ),
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> RevokeApiTokenResult:
        # Revoking is idempotent by nature: a retry finds it revoked and answers the same.
        revoked = await tokens.revoke_api_token(
            info.context.organization_id, ids.decode(id, ids.API_TOKEN, "id")
        )
        return RevokeApiTokenSuccess(api_token=ApiToken.of(revoked))
