"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from server.accounts import rules, tokens
from server.accounts.models import Scope
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

    async def still_signed_in(self, scope: Scope | None = None) -> bool:
        """For long-lived subscriptions: is the viewer's session or token still valid, and,
        given a `scope`, does the person's role (read again: it may have changed) still
        allow it?"""
        viewer = self.viewer
        if viewer is None:
            return False
        if viewer.token is not None:
            return await tokens.token_for_id(viewer.token.id) is not None
        if self.session_token is None:
            return False
        now = await viewer_for_session(self.session_token)
        if now is None:
            return False
        return scope is None or rules.may(scope, role=now.role, token_scopes=None)

    @property
    def actor(self) -> Actor:
        if self.viewer is None:
            raise Unauthenticated("Sign in first.")
        if (token := self.viewer.token) is not None:
            return Actor.token(token)
        return Actor.person(self.viewer.resource)

    @property
    def organization_id(self) -> int:
        if self.viewer is None:
            raise Unauthenticated("Sign in first.")
        return self.viewer.organization_id


Info = strawberry.Info[Context, None]
