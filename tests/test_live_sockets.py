"""Websockets end with their credentials and are held to the same checks as HTTP (issue 10
item 2), and one credential cannot open subscriptions without bound (issue 10 item 10). R11: a
credential that ends (revoked token, ended session, access removed) stops working at once on
every transport, open websockets included. Real server processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import websockets

from tests import test_live_updates as live
from tests.servers import Server, running_server
from tests.test_live_updates import (
    EMAIL,
    PASSWORD,
    close_code,
    live_database,
    mutate,
    sign_in,
    subscribed,
)

SEATS = "{ seats { licenseCount used available } }"


@pytest.fixture
async def database(tmp_path) -> AsyncIterator[str]:
    async with live_database(tmp_path) as url:
        yield url


# The server's database, read and written behind its back -----------------------------------


async def sql(url: str, statement: str, *args: Any) -> list[tuple]:
    """Runs one statement written with `$n` placeholders on the server's database."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite://")) as conn:
            for n in range(len(args), 0, -1):
                statement = statement.replace(f"${n}", "?")
            return conn.execute(statement, args).fetchall()
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return [tuple(row) for row in await conn.fetch(statement, *args)]
    finally:
        await conn.close()


async def session_rows(url: str) -> int:
    return (await sql(url, 'SELECT COUNT(*) FROM "session"'))[0][0]


# graphql-transport-ws by hand ------------------------------------------------------------


@asynccontextmanager
async def connected(
    server: Server, *, cookie: str | None = None, token: str | None = None
) -> AsyncIterator[Any]:
    """A socket past connection_ack, signed in with a session cookie or a token."""
    init = {"Authorization": f"Bearer {token}"} if token else None
    async with live.connected(server, cookie=cookie, init=init) as socket:
        yield socket


async def run(socket: Any, query: str, **variables: Any) -> tuple[str, Any]:
    """One query or mutation over the socket: ("next", payload) or ("error", errors)."""
    op = uuid.uuid4().hex
    payload = {"query": query, "variables": variables} if variables else {"query": query}
    await socket.send(json.dumps({"id": op, "type": "subscribe", "payload": payload}))
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if message.get("id") == op and message["type"] in ("next", "error"):
            return message["type"], message["payload"]


def codes(answer: tuple[str, Any]) -> list[str]:
    kind, payload = answer
    errors = payload if kind == "error" else payload.get("errors", [])
    return [error["extensions"]["code"] for error in errors]


async def create_token(server: Server, cookie: str, scopes: str = "[SEATS_READ, SEATS_WRITE]"):
    created = await mutate(
        server,
        cookie,
        f'mutation {{ createApiToken(name: "Live", scopes: {scopes}) '
        "{ ... on CreateApiTokenSuccess { token apiToken { id } } } }",
    )
    return created["createApiToken"]["token"], created["createApiToken"]["apiToken"]["id"]


async def add_person(server: Server, cookie: str, email: str, role: str = "ADMIN") -> str:
    """Someone who can sign in (with PASSWORD); their id."""
    data = await mutate(
        server,
        cookie,
        f'mutation {{ addResource(input: {{name: "{email}", email: "{email}", role: {role}, '
        f'loginAccess: true, password: "{PASSWORD}", startDate: "2025-01-01"}}, '
        "acceptLicenseIncrease: true) "
        "{ ... on AddResourceSuccess { resource { id } } } }",
    )
    return data["addResource"]["resource"]["id"]


# Issue 10 item 2: sockets end with their credentials -------------------------------------


async def test_revoking_a_token_closes_its_open_websocket_at_once(database, tmp_path):
    """Issue 10 item 2, R11: a socket opened with a token runs queries and mutations while the
    token works; `revokeApiToken` closes it (4401) when it commits."""
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        token, token_id = await create_token(server, cookie)
        async with connected(server, token=token) as socket:
            assert (await run(socket, SEATS))[1]["data"]["seats"]["licenseCount"] == 1
            changed = await run(socket, "mutation { setLicenseCount(count: 2) { __typename } }")
            assert changed[1]["data"]["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess"

            await mutate(
                server, cookie, f'mutation {{ revokeApiToken(id: "{token_id}") {{ __typename }} }}'
            )
            assert await close_code(socket) == 4401
        history = await mutate(
            server, cookie, "{ history(first: 10) { edges { node { toCount } } } }"
        )
        # The first licence, and the token's 1 → 2: nothing after the revocation.
        assert [edge["node"]["toCount"] for edge in history["history"]["edges"]] == [2, 1]


async def test_removing_access_or_terminating_closes_the_persons_websockets(database, tmp_path):
    """Issue 10 item 2, R11: `toggleAccess(enabled: false)` and `terminate` end the person's
    sessions, and with the commit their open websockets (4401)."""
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        anna = await add_person(server, cookie, "anna@example.com")
        bo = await add_person(server, cookie, "bo@example.com")
        anna_cookie = await sign_in(server, "anna@example.com")
        bo_cookie = await sign_in(server, "bo@example.com")
        async with (
            subscribed(server, cookie=anna_cookie) as anna_watch,
            subscribed(server, cookie=bo_cookie) as bo_watch,
            subscribed(server, cookie=cookie) as admin_watch,
        ):
            for watcher in (anna_watch, bo_watch, admin_watch):
                assert (await watcher.next_seats())["used"] == 3
            await mutate(
                server,
                cookie,
                f'mutation {{ toggleAccess(resourceId: "{anna}", enabled: false) '
                "{ __typename } }",
            )
            assert await close_code(anna_watch.socket) == 4401
            await mutate(
                server,
                cookie,
                f'mutation {{ terminate(resourceId: "{bo}", lastWorkDay: "2025-06-30") '
                "{ __typename } }",
            )
            assert await close_code(bo_watch.socket) == 4401
            # The administrator's own socket lives on and hears both changes.
            assert (await admin_watch.next_seats())["used"] == 2
            assert (await admin_watch.next_seats())["used"] == 1


async def test_every_operation_on_a_socket_looks_its_viewer_up_again(database, tmp_path):
    """Issue 10 item 2, R11: even when no announcement reaches the socket (here the session is
    deleted behind the server's back), its next operation finds the session gone: the
    mutation is refused with UNAUTHENTICATED, changes nothing, and the socket is closed."""
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        async with connected(server, cookie=cookie) as socket:
            assert (await run(socket, SEATS))[1]["data"]["seats"]["licenseCount"] == 1
            await sql(database, 'DELETE FROM "session"')
            refused = await run(socket, "mutation { setLicenseCount(count: 7) { __typename } }")
            assert refused[0] == "error"
            assert codes(refused) == ["UNAUTHENTICATED"]
            assert await close_code(socket) == 4401
        count = await sql(database, 'SELECT "license_count" FROM "organization"')
        assert count == [(1,)]


async def test_a_session_that_expires_closes_its_websocket(database, tmp_path):
    """Issue 10 item 2, R11: a session ends by itself at its expiry; a socket opened with it is
    closed then (4401), with nothing else happening."""
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        soon = datetime.now(UTC) + timedelta(seconds=3)
        if database.startswith("sqlite"):
            await sql(database, 'UPDATE "session" SET "expires_at" = $1', soon.isoformat(" "))
        else:
            await sql(database, 'UPDATE "session" SET "expires_at" = $1', soon)
        async with subscribed(server, cookie=cookie) as watcher:
            assert (await watcher.next_seats())["licenseCount"] == 1
            assert await close_code(watcher.socket, timeout=15) == 4401


async def test_seats_over_a_socket_is_the_count_now(database, tmp_path):
    """Issue 10 item 2: the viewer's organisation is read with each operation, so `seats` over
    a socket that opened before a change answers the count after it."""
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        async with connected(server, cookie=cookie) as socket:
            assert (await run(socket, SEATS))[1]["data"]["seats"]["licenseCount"] == 1
            await mutate(server, cookie, "mutation { setLicenseCount(count: 4) { __typename } }")
            assert (await run(socket, SEATS))[1]["data"]["seats"] == {
                "licenseCount": 4,
                "used": 1,
                "available": 3,
            }


async def test_signing_in_or_out_over_a_socket_is_refused_and_writes_nothing(database, tmp_path):
    """Issue 10 item 2, R14: `login` and `logout` over a socket are refused with BAD_REQUEST
    before anything is written: no session row is made, and the socket's session lives on."""
    login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        assert await session_rows(database) == 1
        async with connected(server, cookie=cookie) as socket:
            refused = await run(socket, login, e=EMAIL, p=PASSWORD)
            assert codes(refused) == ["BAD_REQUEST"]
            assert "over HTTP" in refused[1]["errors"][0]["message"]
            assert await session_rows(database) == 1
            assert codes(await run(socket, "mutation { logout { __typename } }")) == ["BAD_REQUEST"]
            assert await session_rows(database) == 1
            assert (await run(socket, SEATS))[1]["data"]["seats"]["licenseCount"] == 1


async def test_a_socket_gets_the_checks_of_http(database, tmp_path):
    """Issue 10 item 2, R14: text with NUL characters in a subscribe message is refused with
    BAD_USER_INPUT (escaped; raw, it is not JSON), the query limits hold (aliases, tokens) and
    documents that do not parse are answered with their codes, a message is at most
    SEATS_MAX_BODY_BYTES long, and only graphql-transport-ws is spoken (the older protocol
    would have none of these checks)."""
    search = "query($s: String) { resources(search: $s) { totalCount } }"
    aliases = "{ " + " ".join(f"a{i}: seats {{ used }}" for i in range(40)) + " }"
    tokens = "{ seats { " + "used " * 3000 + "} }"
    env = {"SEATS_MAX_BODY_BYTES": "20000"}
    async with running_server(database, tmp_path, env=env) as server:
        cookie = await sign_in(server)
        async with connected(server, cookie=cookie) as socket:
            assert codes(await run(socket, search, s="a\x00b")) == ["BAD_USER_INPUT"]
            named = {"query": SEATS, "operationName": "x\x00"}
            await socket.send(json.dumps({"id": "named", "type": "subscribe", "payload": named}))
            message = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert (message["id"], codes(("error", message["payload"]))) == (
                "named",
                ["BAD_USER_INPUT"],
            )
            assert codes(await run(socket, aliases)) == ["QUERY_TOO_COMPLEX"]
            assert (await run(socket, search, s="ok"))[1]["data"]["resources"]["totalCount"] == 0
            # Errors of the document are answered with their codes, as over HTTP; the socket
            # serves on.
            assert codes(await run(socket, tokens)) == ["QUERY_TOO_COMPLEX"]
            assert codes(await run(socket, "{ seats { used ")) == ["GRAPHQL_PARSE_FAILED"]
            broken = "subscription { seatsChanged { used "
            assert codes(await run(socket, broken)) == ["GRAPHQL_PARSE_FAILED"]
            assert (await run(socket, SEATS))[1]["data"]["seats"]["licenseCount"] == 1
        async with connected(server, cookie=cookie) as socket:
            big = {"query": "{ " + " " * 30000 + "me { id } }"}
            await socket.send(json.dumps({"id": "big", "type": "subscribe", "payload": big}))
            assert await close_code(socket) == 1009
        async with connected(server, cookie=cookie) as socket:
            raw = '{"query": "{ me { id } }", "operationName": "x\x00"}'
            await socket.send('{"id": "raw", "type": "subscribe", "payload": ' + raw + "}")
            assert await close_code(socket) == 4400
        async with websockets.connect(
            server.ws_url,
            subprotocols=["graphql-ws"],
            additional_headers={"Origin": server.base_url, "Cookie": cookie},
        ) as legacy:
            # The server closes it as soon as it is open, before the client says a word.
            assert await close_code(legacy) == 4406
        assert "Traceback" not in server.log_tail(100_000)


# Issue 10 item 10: bounded fan-out --------------------------------------------------------


async def test_sockets_per_credential_and_operations_per_socket_are_limited(database, tmp_path):
    """Issue 10 item 10: a token opens at most SEATS_MAX_SOCKETS_PER_CREDENTIAL sockets in a
    process (one more is closed with 4429; once one closes, a new one is let in; other
    credentials are not affected), and a socket runs at most
    SEATS_MAX_SUBSCRIPTIONS_PER_SOCKET operations at a time (TOO_MANY_OPERATIONS)."""
    env = {"SEATS_MAX_SOCKETS_PER_CREDENTIAL": "2", "SEATS_MAX_SUBSCRIPTIONS_PER_SOCKET": "3"}
    subscribe = "subscription { seatsChanged { licenseCount } }"
    async with running_server(database, tmp_path, env=env) as server:
        cookie = await sign_in(server)
        token, _ = await create_token(server, cookie, "[SEATS_READ]")
        async with connected(server, token=token) as first:
            async with connected(server, token=token):
                async with websockets.connect(
                    server.ws_url, subprotocols=["graphql-transport-ws"]
                ) as third:
                    init = {"Authorization": f"Bearer {token}"}
                    await third.send(json.dumps({"type": "connection_init", "payload": init}))
                    assert await close_code(third) == 4429
                async with connected(server, cookie=cookie):
                    pass  # the session is another credential
            async with connected(server, token=token):
                pass  # a place became free

            for n in range(3):
                assert (await run(first, subscribe))[0] == "next", n
            assert codes(await run(first, subscribe)) == ["TOO_MANY_OPERATIONS"]
            assert codes(await run(first, SEATS)) == ["TOO_MANY_OPERATIONS"]
