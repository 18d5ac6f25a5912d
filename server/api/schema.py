"""The GraphQL schema, assembled from one module per area."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from server.api.auth import AuthMutation, AuthQuery
from server.api.billing import BillingQuery
from server.api.errors import UNEXPECTED, should_mask_error
from server.api.history import HistoryQuery
from server.api.resources import ResourcesMutation, ResourcesQuery
from server.api.seats import SeatsMutation, SeatsQuery
from server.api.tokens import TokensMutation, TokensQuery


@strawberry.type(description="Everything a signed-in person or an integration can read.")
class Query(AuthQuery, SeatsQuery, ResourcesQuery, HistoryQuery, BillingQuery, TokensQuery):
    pass


@strawberry.type(description="Everything that changes licences, people or sessions.")
class Mutation(AuthMutation, SeatsMutation, ResourcesMutation, TokensMutation):
    pass


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        lambda: MaskErrors(should_mask_error=should_mask_error, error_message=UNEXPECTED),
        lambda: QueryDepthLimiter(max_depth=12),
        lambda: MaxAliasesLimiter(max_alias_count=30),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ],
)


def export_schema() -> str:
    return schema.as_str() + "\n"
