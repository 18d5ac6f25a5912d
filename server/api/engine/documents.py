"""Parsing and validation, each done once per document text: one schema extension.

Integrations and the page send the same few documents over and over. Each request still goes
through strawberry's whole view and every schema extension; what this extension saves is the
work whose answer cannot change between two requests with the same text:

- parsing: the text's document is kept (by text), and the same `DocumentNode` object is
  handed to every request that sends that text. Later stages key their own caches by that
  object (the validation below, the executor's plans in fast.py);
- validation: the errors of a document against the schema's rules are kept by the document's
  identity and the rules. Strawberry's own ValidationCache keys them by the document's value,
  and a document is a frozen dataclass whose hash walks every node: for a page of people
  that hash cost more than looking the answer up;
- the limits: the token limit is set before parsing, the depth and alias rules (limits.py)
  and, without introspection, the rule that refuses it, are added before validation.

A text that does not parse is not kept: strawberry's own parsing then raises the error and
answers it, as for a request over a websocket (raised from here it would escape a websocket
operation unanswered, with the whole document quoted in the log).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from server.api.engine.bounded import Bounded
from server.api.engine.limits import RULES

MAX_TOKENS = 2000


class KnownDocuments:
    """The parsed documents by text, and their validation errors by document and rules. One
    per schema, shared by every request (made before any: no request can see another's)."""

    def __init__(
        self, rules: tuple[type[ASTValidationRule], ...], *, size: int = 256, max_tokens: int
    ) -> None:
        self.rules = rules
        self.max_tokens = max_tokens
        self.parsed: Bounded = Bounded(size)
        # (id of the document, rules) -> (document, errors): the document is kept alive with
        # its errors, so its id cannot be another document's while the entry is there.
        self.validated: Bounded = Bounded(size)

    def document(self, text: str) -> DocumentNode:
        """The document of `text`, parsed the first time; raises the parser's GraphQLError."""
        document = self.parsed.get(text)
        if document is None:
            document = parse(text, max_tokens=self.max_tokens)
            self.parsed[text] = document
        return document

    def errors(
        self, schema: Any, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
    ) -> list[GraphQLError]:
        key = (id(document), rules)
        found = self.validated.get(key)
        if found is None:
            found = (document, validate_document(schema, document, rules))
            self.validated[key] = found
        return found[1]


def prepare_with(known: KnownDocuments) -> type[SchemaExtension]:
    """The schema extension that parses and validates through `known`."""

    class PrepareDocument(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            # Also the limit of strawberry's own parsing, should the text not parse here.
            context.parse_options["max_tokens"] = known.max_tokens
            if context.query is not None and context.graphql_document is None:
                # Not kept: strawberry's parsing raises the error again and answers it.
                with contextlib.suppress(GraphQLError):
                    context.graphql_document = known.document(context.query)
            yield

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            if context.pre_execution_errors is None and context.graphql_document is not None:
                rules = context.validation_rules + known.rules
                context.validation_rules = rules
                context.pre_execution_errors = known.errors(
                    context.schema._schema, context.graphql_document, rules
                )
            yield

    return PrepareDocument


def known_documents(*, introspection: bool) -> KnownDocuments:
    """The documents of one schema, held to the limits (and, without introspection, to the
    rule that refuses it)."""
    from graphql.validation import NoSchemaIntrospectionCustomRule

    rules = RULES if introspection else (*RULES, NoSchemaIntrospectionCustomRule)
    return KnownDocuments(rules, max_tokens=MAX_TOKENS)
