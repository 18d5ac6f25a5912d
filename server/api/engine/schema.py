"""The schema class every request runs on, and the extensions it always has."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types.graphql import OperationType

from server.api.engine.documents import known_documents, prepare_with
from server.api.engine.errors import MaskUnexpectedErrors, coded
from server.api.engine.fast import FastExecutor
from server.api.engine.hooks import QuickHooks

Extension = type[SchemaExtension] | Callable[[], SchemaExtension]


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
            # Strawberry's own parsing answers a text that does not parse (documents.py), after
            # the masking extension has seen the result.
            result.errors = [
                coded(error, validation=False, suggestions=self.suggestions)
                for error in result.errors
            ]
        return result

    def create_extensions_runner(self, execution_context, extensions) -> QuickHooks:
        # The same hooks, found once per extension class (hooks.py).
        return QuickHooks(execution_context=execution_context, extensions=extensions)

    def process_errors(self, errors, execution_context=None) -> None:
        # Unexpected errors are logged where they are masked (with the request id); coded
        # errors are answers to clients, not incidents.
        return None


def build_schema(
    *,
    query: type,
    mutation: type | None = None,
    subscription: type | None = None,
    introspection: bool = True,
    fast: bool = True,
    extensions: Sequence[Extension] = (),
) -> SeatsSchema:
    """A schema on the engine: masking, the parser and validation caches with the limits, then
    `extensions` (classes or factories: strawberry makes each anew for every request, on every
    path: HTTP GET and POST, websockets). `fast=False` keeps the reference executor for every
    field (see fast.py)."""
    known = known_documents(introspection=introspection)
    built = SeatsSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=[
            # Without introspection, errors do not guess at the schema's names either.
            lambda: MaskUnexpectedErrors(suggestions=introspection),
            prepare_with(known),
            *extensions,
        ],
        execution_context_class=FastExecutor if fast else None,
    )
    built.suggestions = introspection
    return built
