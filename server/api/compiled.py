"""Known queries answered without building an executor: what `seats` costs is mostly this.

For a query the server has validated and answered before (server/api/prepared.py), graphql-core
still builds an executor on every request, finds the operation, collects the root fields,
and then resolves and completes each one. For a document without directives all of that but
the resolving is the same every time. Compiled once, a request then only coerces its
variables, calls each root field's resolver (strawberry's wrapper, so permission checks and
argument conversion are the ones of the normal path) and completes the value with the fast
executor's plan (server/api/fast.py).

Only answers that need nothing else are given this way: a query whose root fields all return
plain values, with no error. Anything else (an error of any kind, a refusal, a null where the
schema forbids one) makes `run` return None, and the caller executes the request the normal way
from the start, which reports it exactly as always. Queries read, so running a resolver twice
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLField, GraphQLResolveInfo, GraphQLSchema, OperationType
from graphql.execution.collect_fields import collect_fields
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.pyutils import Path
from strawberry.execution import optimized_is_awaitable

from server.api.fast import FastExecutor


class VariablesDoNotFit(Exception):
    """The request's variables do not fit the document: nothing can be learnt from it."""


@dataclass(frozen=True)
class RootField:
    response_name: str
    field: GraphQLField
    node: Any
    info: GraphQLResolveInfo  # all but the request's context and variables
    complete: Callable[[Any], Any]


@dataclass(frozen=True)
class CompiledQuery:
    schema: GraphQLSchema
    variable_definitions: tuple
    fields: tuple[RootField, ...]

    @classmethod
    def of(
        cls,
        schema: GraphQLSchema,
        document: Any,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        plans: dict,
    ) -> CompiledQuery | None:
        """The compiled query, or None if the document is not one this can answer. `plans`:
        the document's kept plans (it has no directives). Raises VariablesDoNotFit when this
        request cannot tell."""
        template = FastExecutor.build(
            schema,
            document,
            raw_variable_values=variables,
            operation_name=operation_name,
            is_awaitable=optimized_is_awaitable,
            shared_plans=plans,
        )
        if isinstance(template, list):
            raise VariablesDoNotFit
        operation = template.operation
        root = schema.query_type
        if operation.operation is not OperationType.QUERY or root is None:
            return None
        grouped, defer_usages, _ = collect_fields(
            schema, template.fragments, template.variable_values, root, operation
        )
        if defer_usages:
            return None
        fields = []
        for response_name, field_details_list in grouped.items():
            node = field_details_list[0].node
            field = root.fields.get(node.name.value)
            if field is None or field.resolve is None:  # __typename, introspection
                return None
            complete = template._completer(field.type, field_details_list)
            if complete is None:
                return None
            path = Path(None, response_name, root.name)
            info = template.build_resolve_info(
                field, [d.node for d in field_details_list], root, path
            )
            fields.append(RootField(response_name, field, node, info, complete))
        return cls(schema, tuple(operation.variable_definitions or ()), tuple(fields))

    async def run(self, context: Any, variables: dict[str, Any] | None) -> dict | None:
        """The answer's data, or None when the normal path must answer."""
        coerced = get_variable_values(self.schema, self.variable_definitions, variables or {})
        if isinstance(coerced, list):
            return None
        data: dict[str, Any] = {}
        try:
            for root in self.fields:
                arguments = get_argument_values(root.field, root.node, coerced)
                info = root.info._replace(
                    context=context, variable_values=coerced.coerced, async_helpers=None
                )
                value = root.field.resolve(None, info, **arguments)
                if optimized_is_awaitable(value):
                    value = await value
                if isinstance(value, Exception):
                    return None
                data[root.response_name] = root.complete(value)
        except Exception:  # an error, a refusal, a value the plan will not complete
            return None
        return data
