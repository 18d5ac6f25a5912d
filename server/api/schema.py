"""The GraphQL schema, assembled from one module per area; the engine it runs on is
server/api/engine/."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from server.api.auth import AuthMutation, AuthQuery
from server.api.billing import BillingQuery
from server.api.bulk import BulkMutation, BulkQuery
from server.api.engine.schema import Extension, SeatsSchema, build_schema
from server.api.history import HistoryQuery
from server.api.live import LiveSubscription
from server.api.policy import PolicyMutation, PolicyQuery
from server.api.resources import ResourcesMutation, ResourcesQuery
from server.api.seats import SeatsMutation, SeatsQuery
from server.api.tokens import TokensMutation, TokensQuery
from server.api.unused import UnusedMutation, UnusedQuery
from server.api.webhooks import WebhooksMutation, WebhooksQuery


@strawberry.type(description="Everything a signed-in person or an integration can read.")
class Query(
    AuthQuery,
    SeatsQuery,
    ResourcesQuery,
    UnusedQuery,
    HistoryQuery,
    BillingQuery,
    TokensQuery,
    PolicyQuery,
    WebhooksQuery,
    BulkQuery,
):
    pass


@strawberry.type(description="Everything that changes licenses, people or sessions.")
class Mutation(
    AuthMutation,
    SeatsMutation,
    ResourcesMutation,
    UnusedMutation,
    TokensMutation,
    PolicyMutation,
    WebhooksMutation,
    BulkMutation,
):
    pass


@strawberry.type(description="Live updates, over graphql-transport-ws at /graphql.")
class Subscription(LiveSubscription):
    pass


def create_schema(
    *, introspection: bool = True, fast: bool = True, extensions: Sequence[Extension] = ()
) -> SeatsSchema:
    """The schema, with the limits every request is held to. `extensions`: more schema
    extensions (classes or factories), run for every operation after the engine's own.
    `fast=False` keeps the reference executor for every field (server/api/engine/fast.py)."""
    return build_schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        introspection=introspection,
        fast=fast,
        extensions=extensions,
    )


schema = create_schema()


def export_schema() -> str:
    return schema.as_str() + "\n"
