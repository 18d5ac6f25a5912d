"""What clients see of errors: coded ones as they are, anything unexpected masked with the
request id under which the server logged it.

Every error carries a code in `extensions.code`: the domain's own (server/errors.py),
QUERY_TOO_COMPLEX for the limits (limits.py and the parser's token limit, documents.py),
GRAPHQL_PARSE_FAILED for a document that is not GraphQL, GRAPHQL_VALIDATION_FAILED for one the
schema does not allow, BAD_USER_INPUT (with `field`, the variable) for variables the operation
cannot take, INTERNAL_SERVER_ERROR (with `requestId`) for anything unexpected.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError, VariableDefinitionNode
from strawberry.extensions import MaskErrors

from server.db import database_unavailable
from server.errors import DomainError
from server.middleware import RETRY_AFTER_SECONDS, UNAVAILABLE, UNEXPECTED, request_id

log = logging.getLogger("seats.api")

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
# graphql-core ends a message with its guesses at what was meant ("Did you mean 'name'?"):
# names of the schema, which are not told when introspection is off.
_SUGGESTION = re.compile(r"\s*Did you mean .*", re.DOTALL)
# The parser's own limits (tokens, comments...) end so.
_PARSER_LIMIT = "Parsing aborted."


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    # No original error: a syntax or validation error, written by the GraphQL library for
    # the client. Domain and permission errors carry their own code and message.
    return original is not None and not isinstance(original, DomainError | GraphQLError)


def _request_error_code(error: GraphQLError, validation: bool) -> dict[str, str]:
    """The code (and field) of an error the GraphQL library wrote about the request."""
    if isinstance(error, GraphQLSyntaxError):
        limit = _PARSER_LIMIT in error.message
        return {"code": "QUERY_TOO_COMPLEX" if limit else PARSE_FAILED}
    if validation:
        return {"code": VALIDATION_FAILED}
    # At execution: variables the operation cannot take, an operation name it lacks.
    node = error.nodes[0] if error.nodes else None
    if isinstance(node, VariableDefinitionNode):
        return {"code": "BAD_USER_INPUT", "field": node.variable.name.value}
    return {"code": "BAD_USER_INPUT"}


def coded(error: GraphQLError, *, validation: bool, suggestions: bool) -> GraphQLError:
    """An error about the request itself (no path, no code), with its code; without the
    library's guesses at the schema's names unless `suggestions`."""
    if error.path is not None or (error.extensions or {}).get("code"):
        return error
    message = error.message if suggestions else _SUGGESTION.sub("", error.message)
    extensions = {**(error.extensions or {}), **_request_error_code(error, validation)}
    return _rewritten(error, message, extensions, error.original_error)


def _rewritten(
    error: GraphQLError, message: str, extensions: dict, original: Exception | None
) -> GraphQLError:
    """`error` where it was (nodes, source, positions, path), with another message and code."""
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=original,
        extensions=extensions,
    )


class MaskUnexpectedErrors(MaskErrors):
    """Replaces an unexpected error by a message and the request id, after logging it; gives
    the GraphQL library's own errors a code, and (`suggestions=False`) no guesses at names.

    It overrides two private methods of strawberry's MaskErrors, through which every result
    (of an operation, and of each streamed or subscription event) is masked; a test of
    tests/test_api_one_path.py fails should an upgrade stop calling them."""

    def __init__(self, suggestions: bool = True) -> None:
        super().__init__(should_mask_error=should_mask_error, error_message=UNEXPECTED)
        self.suggestions = suggestions
        self.validation_errors: frozenset[int] = frozenset()

    def on_validate(self) -> Iterator[None]:
        yield
        # Told apart by identity: the validation cache hands out the same error objects.
        errors = self.execution_context.pre_execution_errors
        self.validation_errors = frozenset(map(id, errors or ()))

    def _process_result(self, result: object) -> None:
        # MaskErrors asks first whether the result is one with errors, through a runtime
        # protocol check that costs more than the rest of masking an answer without errors.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed: list[GraphQLError] = []
        for error in errors:
            if self.should_mask_error(error):
                processed.append(self.anonymise_error(error))
            else:
                validation = id(error) in self.validation_errors
                processed.append(coded(error, validation=validation, suggestions=self.suggestions))
        return processed

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        rid = request_id.get()
        where = ".".join(map(str, error.path or [])) or "the request"
        original = error.original_error
        if original is not None and database_unavailable(original):
            log.warning("database unavailable in %s: %r", where, original)
            message, code = UNAVAILABLE, "SERVICE_UNAVAILABLE"
        else:
            log.error("unexpected error in %s", where, exc_info=original)
            message, code = UNEXPECTED, "INTERNAL_SERVER_ERROR"
        return _rewritten(error, message, {"code": code, "requestId": rid}, None)


def unavailable_headers(response: dict) -> tuple[int, dict[str, str]] | None:
    """Status and headers for a GraphQL answer one of whose errors says the database cannot be
    reached: 503 with Retry-After, as any other answer of the kind. None for any other."""
    for error in response.get("errors") or ():
        if (error.get("extensions") or {}).get("code") == "SERVICE_UNAVAILABLE":
            return 503, {"retry-after": str(RETRY_AFTER_SECONDS)}
    return None
