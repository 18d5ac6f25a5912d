"""Query depth and alias limits as validation rules of fixed identity.

Strawberry's limiter extensions build a new rule class for every request, which makes each
request's set of validation rules different and so defeats the validation cache (every
request was validated anew). These rules are module-level classes: a repeated query is
validated once.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

MAX_DEPTH = 12
MAX_ALIASES = 30


class MaxDepth(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        depth = self._depth(node.selection_set, 0, frozenset())
        if depth > MAX_DEPTH:
            self.report_error(
                GraphQLError(
                    f"The query is {depth} levels deep; at most {MAX_DEPTH} are allowed.",
                    node,
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                )
            )

    def _depth(self, selections: SelectionSetNode | None, level: int, seen: frozenset) -> int:
        if selections is None:
            return level
        deepest = level
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue  # introspection has a shape of its own
                inner = self._depth(selection.selection_set, level + 1, seen)
            elif isinstance(selection, InlineFragmentNode):
                inner = self._depth(selection.selection_set, level, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in seen:
                    continue  # reported by the standard rules
                inner = self._depth(fragment.selection_set, level, seen | {name})
            else:
                continue
            deepest = max(deepest, inner)
            if deepest > MAX_DEPTH:
                break
        return deepest


class MaxAliases(ValidationRule):
    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.aliases = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias is not None:
            self.aliases += 1
            if self.aliases == MAX_ALIASES + 1:
                self.report_error(
                    GraphQLError(
                        f"The query has more than {MAX_ALIASES} aliases.",
                        node,
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                )


RULES = (MaxDepth, MaxAliases)
