"""What clients see of errors: coded ones as they are, anything unexpected masked."""

from __future__ import annotations

from graphql import GraphQLError

from server.errors import DomainError, NotFound

UNEXPECTED = "Something went wrong on our side. Please try again."


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    # No original error: a syntax or validation error, written by the GraphQL library for
    # the client. Domain and permission errors carry their own code and message.
    return original is not None and not isinstance(original, DomainError | GraphQLError)


def parse_id(value: str, field: str = "id", what: str = "resource") -> int:
    """Ids are opaque to clients; one that cannot be ours is reported as missing (R12)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number <= 0:
        raise NotFound(f"No {what} with id {value}.", field=field)
    return number
