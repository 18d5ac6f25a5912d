"""The GraphQL schema, assembled from one module per area."""

from __future__ import annotations

import contextlib

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types.graphql import OperationType

from server.api import limits
from server.api.auth import AuthMutation, AuthQuery
from server.api.billing import BillingQuery
from server.api.errors import MaskUnexpectedErrors, coded
from server.api.fast import FastExecutor
from server.api.history import HistoryQuery
from server.api.live import LiveSubscription
from server.api.prepared import PreparedDocuments, remember_into
from server.api.resources import ResourcesMutation, ResourcesQuery
from server.api.seats import SeatsMutation, SeatsQuery
from server.api.tokens import TokensMutation, TokensQuery


@strawberry.type(description="Everything a signed-in person or an integration can read.")
class Query(AuthQuery, SeatsQuery, ResourcesQuery, HistoryQuery, BillingQuery, TokensQuery):
    pass


@strawberry.type(description="Everything that changes licenses, people or sessions.")
class Mutation(AuthMutation, SeatsMutation, ResourcesMutation, TokensMutation):
    pass


@strawberry.type(description="Live updates, over graphql-transport-ws at /graphql.")
class Subscription(LiveSubscription):
    pass


class CachedParsing(ParserCache):
    """Strawberry's parser cache, except that a document that does not parse (a syntax error,
    too many tokens) is left to the schema's own parsing, which answers the error. Raised from
    here it would escape a websocket operation: no answer, and a traceback quoting the whole
    document in the log."""

    def on_parse(self):
        context = self.execution_context
        with contextlib.suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


class SeatsSchema(strawberry.Schema):
    # Whether errors may guess at the schema's names ("Did you mean …?"): not when
    # introspection is off.
    suggestions = True

    async def execute(
        self,
        query,
        variable_values=None,
        context_value=None,
        root_value=None,
        operation_name=None,
        allowed_operation_types=None,
        operation_extensions=None,
    ):
        # One answer per request: a subscription needs the websocket (subscribe() serves it).
        allowed = set(allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES)
        allowed.discard(OperationType.SUBSCRIPTION)
        result = await super().execute(
            query, variable_values, context_value, root_value, operation_name, allowed,
            operation_extensions,
        )  # fmt: skip
        if result.errors and isinstance(result.errors[0], GraphQLSyntaxError):
            # The parser cache parses before the extensions' operation hooks see the result.
            result.errors = [
                coded(error, validation=False, suggestions=self.suggestions)
                for error in result.errors
            ]
        return result

    def process_errors(self, errors, execution_context=None) -> None:
        # Unexpected errors are logged where they are masked (with the request id); coded
        # errors are answers to clients, not incidents.
        return None


def create_schema(
    *,
    introspection: bool = True,
    fast: bool = True,
    prepared: PreparedDocuments | None = None,
) -> strawberry.Schema:
    """The schema, with the limits every request is held to. `fast=False` keeps the reference
    executor for every field (see server/api/fast.py); `prepared` collects the documents that
    pass validation, for the short way through (server/api/prepared.py)."""
    extensions = [
        # Without introspection, errors do not guess at the schema's names either.
        lambda: MaskUnexpectedErrors(suggestions=introspection),
        lambda: AddValidationRules(list(limits.RULES)),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: CachedParsing(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    if prepared is not None:
        extensions.append(remember_into(prepared))
    built = SeatsSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=FastExecutor if fast else None,
    )
    built.suggestions = introspection  # for the errors of the short way through (prepared.py)
    return built


schema = create_schema()


def export_schema() -> str:
    return schema.as_str() + "\n"
