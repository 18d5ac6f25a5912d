"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from server.accounts import tokens
from server.accounts.services import Viewer, viewer_for_session
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
    # The payload of a websocket's connection_init message.
    connection_params: dict | None = None

    async def still_signed_in(self) -> bool:
        """For long-lived subscriptions: is the viewer's session or token still valid?"""
        viewer = self.viewer
        if viewer is None:
            return False
        if viewer.token is not None:
            return await tokens.token_for_id(viewer.token.id) is not None
        return self.session_token is not None and (
            await viewer_for_session(self.session_token) is not None
        )

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
