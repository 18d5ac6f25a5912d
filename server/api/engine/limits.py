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
    """Refuses operations nested deeper than MAX_DEPTH, fragments included.

    Every selection set of the document is walked once: a fragment's own depth is computed
    the first time it is spread and remembered, so a fragment spread many times (or fragments
    that each spread the next twice, which would otherwise be walked once per path, 2**N times)
    costs what its text does. A spread into a fragment still being walked (a cycle, which the
    standard NoFragmentCycles rule reports) adds nothing."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        # Fragment name -> depth of its selection set (None while it is being walked).
        self.fragment_depths: dict[str, int | None] = {}

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        depth = self._depth(node.selection_set)
        if depth > MAX_DEPTH:
            self.report_error(
                GraphQLError(
                    f"The query is {depth} levels deep; at most {MAX_DEPTH} are allowed.",
                    node,
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                )
            )

    def _depth(self, selections: SelectionSetNode | None) -> int:
        """How many levels of fields the selection set holds (0 for none)."""
        if selections is None:
            return 0
        deepest = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue  # introspection has a shape of its own
                inner = 1 + self._depth(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                inner = self._depth(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self._fragment_depth(selection.name.value)
            else:
                continue
            deepest = max(deepest, inner)
        return deepest

    def _fragment_depth(self, name: str) -> int:
        depths = self.fragment_depths
        if name in depths:
            return depths[name] or 0  # None: a cycle, reported by the standard rules
        fragment = self.context.get_fragment(name)
        if fragment is None:
            return 0  # reported by the standard rules
        depths[name] = None
        depth = depths[name] = self._depth(fragment.selection_set)
        return depth


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
