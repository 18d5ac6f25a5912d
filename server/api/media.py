"""GraphQL over HTTP: the media type an answer is written in, and what that media type says
about its status and shape.

Two media types, chosen by the request's Accept header:

- `application/json`, the one every client has always had: GraphQL's answers are 200 whatever
  their errors (`data: null` for a document that does not parse or validate), as strawberry
  writes them. A client that sends no Accept, or `*/*`, gets it, so older clients see no change.
- `application/graphql-response+json`, for clients that ask for it: the status tells whether
  anything was executed. A request GraphQL refuses before executing it (a document that does not
  parse, does not validate or is over the limits, variables the operation cannot take, no
  operation to run) is 400, a mutation sent by GET 405, and such answers have no `data` entry.
  Once execution started the answer is 200 with its `data`, even `null` after a field error.
  Every other status (503 when the database is away) also comes without `data`, so that `data`
  is there exactly when the status is 200.

The functions here are pure; the transport (server/api/http.py) applies them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cross_web import HTTPException
from starlette.datastructures import Headers
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from server.api.engine.errors import PARSE_FAILED, VALIDATION_FAILED

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
# The Content-Type of each answer. JSON is always UTF-8; the GraphQL-over-HTTP specification
# asks the new media type to say so. `application/json` stays exactly what it always was.
CONTENT_TYPE = {JSON: JSON, GRAPHQL_RESPONSE: GRAPHQL_RESPONSE + "; charset=utf-8"}

# The codes of errors GraphQL raises about the request itself, before executing it:
# server/api/engine/errors.py gives them to the library's own errors, engine/limits.py to
# the limits. BAD_USER_INPUT is also a field's code (a negative count): which one an error is, is
# told by where it was raised (see `is_request_error`).
REQUEST_ERROR_CODES = frozenset(
    {PARSE_FAILED, VALIDATION_FAILED, "QUERY_TOO_COMPLEX", "BAD_USER_INPUT"}
)

# How precisely a media range names a media type: `*/*`, `application/*`, the type itself.
_ANY, _SUBTYPES, _EXACT = 1, 2, 3
# RFC 9110 §12.4.2: a weight is 0 to 1 with at most three decimals.
_QVALUE = re.compile(r"(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)")
# The Accept headers nearly every client sends: nothing to weigh.
_PLAIN_JSON = frozenset(("", "*/*", JSON))


def _ranges(accept: str) -> list[tuple[str, float, bool]]:
    """The media ranges of an Accept header: (range, weight, whether its charset, if it names
    one, is UTF-8, the only one the service writes). Malformed ranges are left out."""
    ranges = []
    for item in accept.split(","):
        name, *parameters = item.split(";")
        name = name.strip().lower()
        if name.count("/") != 1:
            continue
        weight, utf8, valid = 1.0, True, True
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            key, value = key.strip().lower(), value.strip().strip('"').lower()
            if key == "q":
                valid = _QVALUE.fullmatch(value) is not None
                weight = float(value) if valid else 0.0
                break  # what follows the weight are extensions, not the media type's
            if key == "charset":
                utf8 = value in ("utf-8", "utf8")
        if valid:
            ranges.append((name, weight, utf8))
    return ranges


def _weight(media_type: str, ranges: list[tuple[str, float, bool]]) -> tuple[float, int]:
    """(weight, precision) the client gives `media_type`: those of the most precise range that
    matches it (RFC 9110 §12.5.1); (0, 0) when none does."""
    kind = media_type.split("/")[0]
    best = (0.0, 0)
    for name, weight, utf8 in ranges:
        if name == media_type:
            precision = _EXACT
        elif name == f"{kind}/*":
            precision = _SUBTYPES
        elif name == "*/*":
            precision = _ANY
        else:
            continue
        if precision > best[1]:
            best = (weight if utf8 else 0.0, precision)
    return best


def negotiate(accept: str | None) -> str:
    """The media type of the answer to a request with this Accept header: the one of
    `application/graphql-response+json` and `application/json` the client weighs higher.

    At equal weight the range that names a type more precisely wins (`application/json, */*`
    is JSON); when the client names both with the same weight, the newer one. No Accept, `*/*`,
    `application/*`, or an Accept that takes neither, is `application/json`, as it always was."""
    if accept is None or accept.strip() in _PLAIN_JSON:
        return JSON
    ranges = _ranges(accept)
    graphql, json = _weight(GRAPHQL_RESPONSE, ranges), _weight(JSON, ranges)
    if graphql[0] > 0 and (graphql > json or (graphql == json and graphql[1] == _EXACT)):
        return GRAPHQL_RESPONSE
    return JSON


def chosen(headers: Headers) -> str:
    """The media type of the answer to a request with these headers (several Accept headers
    are one list, RFC 9110 §5.3)."""
    values = headers.getlist("accept")
    return negotiate(", ".join(values) if values else None)


def is_request_error(answer: Mapping[str, Any]) -> bool:
    """Whether GraphQL refused the request before executing any of it.

    Told by the answer's structure, as the GraphQL specification writes it: an error raised
    while executing a field has that field's `path`, and leaves `data` (an object, or null when
    the field could not be null); an error about the request itself has no `path` and no data.
    The codes tell such an error from an unexpected failure, which also has no path
    (INTERNAL_SERVER_ERROR and SERVICE_UNAVAILABLE are not the client's to fix)."""
    errors = answer.get("errors")
    if not errors or answer.get("data") is not None:
        return False
    return all(
        "path" not in error and (error.get("extensions") or {}).get("code") in REQUEST_ERROR_CODES
        for error in errors
    )


def graphql_response(answer: dict[str, Any], status: int | None) -> tuple[int, dict[str, Any]]:
    """Status and body of a GraphQL answer written as application/graphql-response+json, from
    the answer and the status it would have had (None: 200). A request error is 400; any status
    but 200 goes without `data`."""
    if is_request_error(answer):
        status = 400
    status = status or 200
    if status != 200 and "data" in answer:
        answer = {key: value for key, value in answer.items() if key != "data"}
    return status, answer


def refusal(refused: HTTPException, method: str, media_type: str) -> tuple[int, dict[str, str]]:
    """Status and extra headers of a request the view refused before GraphQL ran (a body that
    is not JSON, no query, an operation the method may not run). In application/json, the
    view's status, as always; in application/graphql-response+json, a mutation sent by GET is
    405 and says which method may send it."""
    cause = refused.__cause__
    if (
        media_type == GRAPHQL_RESPONSE
        and method == "GET"
        and isinstance(cause, InvalidOperationTypeError)
        and cause.operation_type is OperationType.MUTATION
    ):
        return 405, {"allow": "POST"}
    return refused.status_code, {}
