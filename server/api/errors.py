"""What clients see of errors: coded ones as they are, anything unexpected masked with the
request id under which the server logged it."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from server.errors import DomainError
from server.middleware import request_id

UNEXPECTED = "Something went wrong on our side. Please try again."
log = logging.getLogger("seats.api")


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    # No original error: a syntax or validation error, written by the GraphQL library for
    # the client. Domain and permission errors carry their own code and message.
    return original is not None and not isinstance(original, DomainError | GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """Replaces an unexpected error by a message and the request id, after logging it."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask_error, error_message=UNEXPECTED)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        rid = request_id.get()
        log.error(
            "unexpected error in %s",
            ".".join(map(str, error.path or [])) or "the request",
            exc_info=error.original_error,
        )
        return GraphQLError(
            message=UNEXPECTED,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": rid},
        )
