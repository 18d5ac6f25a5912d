"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from server.accounts.services import Viewer
from server.api.loaders import Loaders
from server.errors import Unauthenticated
from server.licensing.services import Actor
from server.settings import Settings


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings
    viewer: Viewer | None
    session_token: str | None
    loaders: Loaders = field(default_factory=Loaders)

    @property
    def actor(self) -> Actor:
        if self.viewer is None:
            raise Unauthenticated("Sign in first.")
        if (token := self.viewer.token) is not None:
            return Actor(
                organization_id=token.organization_id,
                resource_id=None,
                name=f"API token “{token.name}”",
                role=None,
                token_id=token.id,
            )
        resource = self.viewer.resource
        return Actor(
            organization_id=resource.organization_id,
            resource_id=resource.id,
            name=resource.name,
            role=resource.role,
        )

    @property
    def organization_id(self) -> int:
        if self.viewer is None:
            raise Unauthenticated("Sign in first.")
        return self.viewer.organization_id


Info = strawberry.Info[Context, None]
