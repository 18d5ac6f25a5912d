"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from server.accounts.services import Viewer
from server.api.loaders import Loaders
from server.errors import Unauthenticated
from server.licensing.outcomes import Actor
from server.settings import Settings

if TYPE_CHECKING:
    from server.api.sockets import SocketCredential


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings
    viewer: Viewer | None
    session_token: str | None
    loaders: Loaders = field(default_factory=Loaders)
    # Over a websocket (server/api/sockets.py): no HTTP response to set a cookie on, and one
    # context per operation, each with the viewer looked up afresh.
    websocket: bool = False
    # The payload of a websocket's connection_init message.
    connection_params: dict | None = None
    # What the websocket signed in with, once it has.
    credential: SocketCredential | None = None

    def __post_init__(self) -> None:
        if self.viewer is not None:
            self.loaders.signed_in = self.viewer.resource

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
