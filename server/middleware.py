"""What every HTTP request goes through before the app: a request id, a body size limit,
cross-site request checks for cookie-authenticated calls, and security headers.

Pure ASGI middleware: the hot path stays a few dictionary look-ups per request.
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl

import orjson
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# GraphiQL (server/graphiql) loads its files from this server only and has no inline script.
# Its bundled stylesheet holds its fonts as data: addresses.
GRAPHIQL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(csp: str) -> tuple[tuple[bytes, bytes], ...]:
    return (
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
    )


_HEADERS = _security_headers(STRICT_CSP)
_GRAPHIQL_HEADERS = _security_headers(GRAPHIQL_CSP)
# Answers of the API carry an organisation's data (or say whether there is any): no cache,
# shared or private, keeps them. The page's own files may be cached.
API_PATHS = ("/graphql", "/scim", "/history.csv", "/healthz", "/readyz")
NO_STORE = (b"cache-control", b"no-store")
# Sent when the session cookie is marked Secure, i.e. the service is reached over HTTPS only.
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def _json_error(status: int, code: str, message: str) -> tuple[int, bytes]:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return status, orjson.dumps(body)


SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _scim_shaped(status: int, body: bytes) -> bytes:
    """A refusal in SCIM's own error shape (RFC 7644 §3.12), for the clients of /scim."""
    message = orjson.loads(body)["errors"][0]["message"]
    return orjson.dumps({"schemas": [SCIM_ERROR], "status": str(status), "detail": message})


async def _send_json(
    send: Send, status: int, body: bytes, rid: str, extra: tuple = (), *, path: str = ""
) -> None:
    """A refusal of the middleware itself, with the headers every answer has; under /scim in
    SCIM's error shape."""
    media = b"application/json"
    if path.startswith("/scim"):
        body, media = _scim_shaped(status, body), b"application/scim+json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", rid.encode()),
                NO_STORE,
                *_HEADERS,
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


log = logging.getLogger("seats.http")
# How long a client should wait before trying again while the database cannot be reached.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "The service cannot reach its database right now. Please try again shortly."
UNEXPECTED = "Something went wrong on our side. Please try again."


def failure_answer(error: BaseException, rid: str) -> tuple[int, bytes, tuple]:
    """Status, JSON body and extra headers for an error nothing else answered: 503 with
    Retry-After when the database cannot be reached, else 500; both with the request id."""
    from server.db import database_unavailable

    if database_unavailable(error):
        status, code, message = 503, "SERVICE_UNAVAILABLE", UNAVAILABLE
        extra: tuple = ((b"retry-after", str(RETRY_AFTER_SECONDS).encode()),)
    else:
        status, code, message = 500, "INTERNAL_SERVER_ERROR", UNEXPECTED
        extra = ()
    body = {"errors": [{"message": message, "extensions": {"code": code, "requestId": rid}}]}
    return status, orjson.dumps(body), extra


class BodyTooLarge(Exception):
    pass


class NulInBody(Exception):
    pass


# Text with NUL characters cannot be stored (PostgreSQL refuses it) and never means anything
# here: refuse it at the door, raw or JSON-escaped, in the body or the query string.
RAW_NUL, ESCAPED_NUL = b"\x00", b"\\u0000"
# In a decoded query string parameter: raw, or escaped as JSON (\u0000) or GraphQL (\u{0}).
_NUL_IN_TEXT = re.compile(r"\x00|\\u(?:0000|\{0+\})")


def _nul_refusal(field: str | None = None) -> tuple[int, bytes]:
    message = "Text cannot contain NUL characters."
    if field is None:
        return _json_error(400, "BAD_USER_INPUT", message)
    body = {
        "errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT", "field": field}}]
    }
    return 400, orjson.dumps(body)


def nul_parameter(query_string: bytes) -> str | None:
    """The name of the first query string parameter with a NUL character in its name or value,
    decoded as the app decodes it (percent-escapes, `+`, UTF-8): one pass over the string."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, errors="replace")
    for name, value in pairs:
        if _NUL_IN_TEXT.search(name) or _NUL_IN_TEXT.search(value):
            return name.replace("\x00", "\\u0000")
    return None


class Guard:
    """Request id, body limit, cross-site checks and security headers, in one pass."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        allowed_origins: Iterable[str],
        cookie_name: str,
        hsts: bool = False,
    ) -> None:
        self.app = app
        self.extra = (HSTS,) if hsts else ()
        self.max_body = max_body
        self.allowed_origins = frozenset(o.rstrip("/") for o in allowed_origins)
        self.cookie_name = cookie_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        offered = headers.get("x-request-id", "")
        rid = offered if _SAFE_ID.match(offered) else os.urandom(16).hex()
        token = request_id.set(rid)
        try:
            refusal = self._refusal(scope, headers)
            if refusal is not None:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                else:
                    await _send_json(send, *refusal, rid, self.extra, path=scope["path"])
                return
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
                return
            await self._http(scope, receive, send, headers, rid)
        finally:
            request_id.reset(token)

    def _refusal(self, scope: Scope, headers: Headers) -> tuple[int, bytes] | None:
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return _json_error(
                413, "REQUEST_TOO_LARGE", f"A request body can be at most {self.max_body} bytes."
            )
        query_string = scope.get("query_string", b"")
        if query_string and (field := nul_parameter(query_string)) is not None:
            return _nul_refusal(field)
        if not scope["path"].startswith("/graphql"):
            return None
        method = scope.get("method", "GET")
        if method == "POST":
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json":
                return _json_error(
                    415, "UNSUPPORTED_MEDIA_TYPE", "Send GraphQL requests as application/json."
                )
        if self._cross_site(scope, headers):
            return _json_error(
                403,
                "CROSS_SITE_REQUEST",
                "This request comes from another site and carries a session cookie: refused.",
            )
        return None

    def _cross_site(self, scope: Scope, headers: Headers) -> bool:
        """A cookie-authenticated request from a page of another site (CSRF). Requests with a
        bearer token carry no ambient credentials and may come from anywhere."""
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return False
        if headers.get("authorization", "").lower().startswith("bearer "):
            return False
        if self.cookie_name not in headers.get("cookie", ""):
            return False
        origin = headers.get("origin")
        if origin is None:
            # Browsers send Origin on cross-site POSTs; without it, trust only what the
            # browser marks as same-origin (or non-browser clients, which send neither).
            site = headers.get("sec-fetch-site")
            return site is not None and site not in ("same-origin", "none")
        origin = origin.rstrip("/")
        scheme = scope.get("scheme", "http").replace("ws", "http")
        own = f"{scheme}://{headers.get('host', '')}"
        return origin != own and origin not in self.allowed_origins

    async def _http(
        self, scope: Scope, receive: Receive, send: Send, headers: Headers, rid: str
    ) -> None:
        received = 0
        started = False

        tail = b""

        async def limited_receive() -> Message:
            nonlocal received, tail
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.max_body:
                    raise BodyTooLarge
                # The tail of the chunk before: an escape may be split between two chunks.
                window = tail + chunk
                if RAW_NUL in window or ESCAPED_NUL in window:
                    raise NulInBody
                tail = window[-6:]
            return message

        async def headed_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [
                    *message.get("headers", []),
                    *self._headers(scope, message, rid),
                    *self.extra,
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, headed_send)
        except ClientDisconnect:
            # The client went away before sending its whole request: nobody to answer.
            return
        except NulInBody:
            if not started:
                await _send_json(send, *_nul_refusal(), rid, self.extra, path=scope["path"])
        except BodyTooLarge:
            if not started:
                status, body = _json_error(
                    413,
                    "REQUEST_TOO_LARGE",
                    f"A request body can be at most {self.max_body} bytes.",
                )
                await _send_json(send, status, body, rid, self.extra, path=scope["path"])
        except Exception as error:
            # Whatever the app did not answer (the database gone while the caller's session
            # was looked up, a bug): JSON with a code and the request id, as every answer.
            status, body, extra = failure_answer(error, rid)
            where = f"{scope['method']} {scope['path']}"
            if status == 503:
                log.warning("database unavailable in %s: %r", where, error)
            else:
                log.error("unexpected error in %s", where, exc_info=error)
            if started:
                raise
            await _send_json(send, status, body, rid, (*extra, *self.extra), path=scope["path"])

    @staticmethod
    def _headers(scope: Scope, message: Message, rid: str) -> list[tuple[bytes, bytes]]:
        headers = message.get("headers", [])
        content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        path = scope["path"]
        graphiql = path.startswith("/graphql") and content_type.startswith(b"text/html")
        found = [(b"x-request-id", rid.encode()), *(_GRAPHIQL_HEADERS if graphiql else _HEADERS)]
        if path.startswith(API_PATHS) and not any(
            k.lower() == b"cache-control" for k, _ in headers
        ):
            found.append(NO_STORE)
        return found
