"""A faster executor for the common case: objects made only of plain fields.

The reference executor resolves every field of every row on its own: a resolve-info object,
a resolver call, an awaitable check, value completion — about 20 µs a field, so 2.5 ms for a
page of 100 people with a dozen fields, against 0.3 ms to read and encode the same rows by
hand. Most of our fields are plain: an attribute of a dataclass, a scalar, an enum, or another
object of plain fields. For an object whose selected fields are all plain, this executor builds
the answer directly: one plan per (type, selection) and request, run on every row.

Everything else takes the reference path: fields with resolvers, arguments or permissions,
abstract types, deferred fragments, resolver middleware. When a plain value is not what the
schema promises (a null in a non-null field, a scalar that will not serialize), the plan gives
up on that object and the reference executor completes it from scratch, so errors, their
paths and null propagation are exactly the reference executor's. Aliases, fragments,
`@include`/`@skip` and `__typename` are resolved by graphql-core's own field collection before
a plan is made. `tests/test_api_fast_path.py` compares both executors on many queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

DEFINITION = "strawberry-definition"

Plan = Callable[[Any], dict[str, Any]]
Complete = Callable[[Any], Any]


class NotPlain(Exception):
    """A value the plan cannot complete as the reference executor would: take that path."""


def _not_plain() -> Any:
    raise NotPlain


class FastExecutor(StrawberryGraphQLCoreExecutionContext):
    def __init__(
        self, *args: Any, shared_plans: dict[tuple, Plan | None] | None = None, **kwargs: Any
    ) -> None:
        """`shared_plans`: plans kept across requests for one document whose field collection
        cannot depend on variables (it has no directives); see server/api/prepared.py."""
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, int], tuple[Any, Plan | None]] = {}
        self._shared = shared_plans

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        manager = self.middleware_manager
        # Resolver middleware must see every field: then every field takes the long way.
        if manager is None or not manager.middlewares:
            plan = self._plan(parent_type, grouped_field_set)
            if plan is not None:
                try:
                    return plan(source_value)
                except NotPlain:
                    pass
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> Plan | None:
        # Keyed by identity, like graphql-core's own memo; the set is kept alive with it.
        key = (parent_type.name, id(grouped_field_set))
        cached = self._plans.get(key)
        if cached is None:
            cached = (grouped_field_set, self._shared_plan(parent_type, grouped_field_set))
            self._plans[key] = cached
        return cached[1]

    def _shared_plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> Plan | None:
        if self._shared is None:
            return self._make_plan(parent_type, grouped_field_set)
        # The same fields of the same (kept) document: the same plan.
        key = (
            parent_type.name,
            *(
                (name, *(id(details.node) for details in field_details_list))
                for name, field_details_list in grouped_field_set.items()
            ),
        )
        if key not in self._shared:
            self._shared[key] = self._make_plan(parent_type, grouped_field_set)
        return self._shared[key]

    def _make_plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> Plan | None:
        entries: list[tuple[str, str | None, Complete]] = []
        for response_name, field_details_list in grouped_field_set.items():
            node = field_details_list[0].node
            name = node.name.value
            if name == "__typename":
                typename = parent_type.name
                entries.append((response_name, None, lambda _source, t=typename: t))
                continue
            field_def = parent_type.fields.get(name)
            if field_def is None or field_def.args or node.arguments:
                return None
            definition = field_def.extensions.get(DEFINITION)
            if not _is_plain(definition):
                return None
            complete = self._completer(field_def.type, field_details_list)
            if complete is None:
                return None
            entries.append((response_name, definition.python_name, complete))

        def plan(source: Any) -> dict[str, Any]:
            return {
                response_name: complete(getattr(source, attribute))
                if attribute is not None
                else complete(source)
                for response_name, attribute, complete in entries
            }

        return plan

    def _completer(
        self, return_type: GraphQLOutputType, field_details_list: Any
    ) -> Complete | None:
        if isinstance(return_type, GraphQLNonNull):
            inner = self._completer(return_type.of_type, field_details_list)
            if inner is None:
                return None

            def non_null(value: Any) -> Any:
                if value is None:
                    raise NotPlain
                result = inner(value)
                if result is None:
                    raise NotPlain
                return result

            return non_null
        if isinstance(return_type, GraphQLList):
            item = self._completer(return_type.of_type, field_details_list)
            if item is None:
                return None

            def as_list(value: Any) -> Any:
                if value is None:
                    return None
                if not isinstance(value, list | tuple):
                    raise NotPlain
                return [item(entry) for entry in value]

            return as_list
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            serialize = return_type.serialize

            def leaf(value: Any) -> Any:
                if value is None:
                    return None
                try:
                    result = serialize(value)
                except Exception:
                    raise NotPlain from None
                if result is None or result is Undefined:
                    raise NotPlain
                return result

            return leaf
        if isinstance(return_type, GraphQLObjectType):
            if return_type.is_type_of is not None:
                return None
            grouped, defer_usages, _ = self.collect_subfields(return_type, field_details_list)
            if defer_usages:
                return None
            plan = self._plan(return_type, grouped)
            if plan is None:
                return None
            origin = return_type.extensions[DEFINITION].origin

            def obj(value: Any) -> Any:
                if value is None:
                    return None
                if not isinstance(value, origin):
                    raise NotPlain
                return plan(value)

            return obj
        return None


def _is_plain(definition: Any) -> bool:
    """A field read straight off its object: no resolver, permission or other extension."""
    return (
        isinstance(definition, StrawberryField)
        and definition.base_resolver is None
        and not definition.extensions
        and not definition.directives
    )
