"""`seatsChanged`: every committed change of licenses or access reaches every subscriber, over
graphql-transport-ws, in one server process and across several (PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import ON_POSTGRES, create_postgres_database, drop_postgres_database
from tests.servers import Server, run_cli, running_server

EMAIL = "live@example.com"
PASSWORD = "a long enough password"
SUBSCRIBE = "subscription { seatsChanged { licenseCount used available } }"


@asynccontextmanager
async def live_database(tmp_path) -> AsyncIterator[str]:
    """A migrated database of its own with one organisation and its administrator."""
    if ON_POSTGRES:
        url = await create_postgres_database("seats_live")
    else:
        url = f"sqlite://{tmp_path / 'live.sqlite3'}"
    try:
        run_cli(url, "migrate")
        run_cli(url, "create-admin", "--org", "Live AB", "--email", EMAIL, "--password", PASSWORD)
        yield url
    finally:
        if ON_POSTGRES:
            await drop_postgres_database(url)


@pytest.fixture
async def database(tmp_path) -> AsyncIterator[str]:
    async with live_database(tmp_path) as url:
        yield url


async def sign_in(server: Server, email: str = EMAIL) -> str:
    """The session cookie of the administrator (or someone else), as a Cookie header."""
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post(
            "/graphql",
            json={
                "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
                "{ __typename } }",
                "variables": {"e": email, "p": PASSWORD},
            },
        )
        assert response.json()["data"]["login"]["__typename"] == "LoginSuccess"
        return f"seats_session={http.cookies['seats_session']}"


async def mutate(server: Server, cookie: str, query: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server.base_url, headers={"Cookie": cookie}) as http:
        body = (await http.post("/graphql", json={"query": query})).json()
        assert "errors" not in body, body
        return body["data"]


class Subscriber:
    def __init__(self, socket: Any) -> None:
        self.socket = socket

    async def next_seats(self, timeout: float = 10) -> dict[str, int]:
        while True:
            frame = await asyncio.wait_for(self.socket.recv(), timeout)
            assert isinstance(frame, str), "graphql-transport-ws messages are text frames"
            message = json.loads(frame)
            if message["type"] == "next":
                assert "errors" not in message["payload"], message
                return message["payload"]["data"]["seatsChanged"]
            assert message["type"] in ("ping", "pong"), message

    async def nothing_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.socket.recv(), seconds)
        except TimeoutError:
            return True
        return False


@asynccontextmanager
async def connected(
    server: Server, *, cookie: str | None = None, init: dict | None = None
) -> AsyncIterator[Any]:
    """A graphql-transport-ws socket past connection_ack, signed in with a session cookie or
    with what `init` (the connection_init payload) carries."""
    headers = {"Origin": server.base_url}
    if cookie:
        headers["Cookie"] = cookie
    async with websockets.connect(
        server.ws_url, subprotocols=["graphql-transport-ws"], additional_headers=headers
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": init or {}}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        yield socket


@asynccontextmanager
async def subscribed(
    server: Server, *, cookie: str | None = None, init: dict | None = None
) -> AsyncIterator[Subscriber]:
    async with connected(server, cookie=cookie, init=init) as socket:
        await socket.send(
            json.dumps(
                {
                    "id": uuid.uuid4().hex,
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE},
                }
            )
        )
        yield Subscriber(socket)


async def test_two_clients_of_one_process_both_hear_every_change(database, tmp_path):
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        async with (
            subscribed(server, cookie=cookie) as first,
            subscribed(server, cookie=cookie) as second,
        ):
            assert await first.next_seats() == {"licenseCount": 1, "used": 1, "available": 0}
            assert (await second.next_seats())["licenseCount"] == 1
            await mutate(server, cookie, "mutation { setLicenseCount(count: 5) { __typename } }")
            assert (await first.next_seats())["licenseCount"] == 5
            assert (await second.next_seats())["licenseCount"] == 5
            # An access change that leaves the count alone is a change too.
            await mutate(
                server,
                cookie,
                'mutation { addResource(input: {name: "New One", email: "new@example.com", '
                "loginAccess: true}) { __typename } }",
            )
            assert await first.next_seats() == {"licenseCount": 5, "used": 2, "available": 3}
            assert (await second.next_seats())["used"] == 2
            # Refusals change nothing and announce nothing.
            await mutate(server, cookie, "mutation { setLicenseCount(count: 1) { __typename } }")
            assert await first.nothing_within(0.5)


async def test_an_integration_subscribes_with_a_token_in_connection_init(database, tmp_path):
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        created = await mutate(
            server,
            cookie,
            'mutation { createApiToken(name: "Dashboard", scopes: [SEATS_READ]) '
            "{ ... on CreateApiTokenSuccess { token } } }",
        )
        token = created["createApiToken"]["token"]
        async with subscribed(server, init={"Authorization": f"Bearer {token}"}) as dashboard:
            assert (await dashboard.next_seats())["licenseCount"] == 1
            await mutate(server, cookie, "mutation { setLicenseCount(count: 3) { __typename } }")
            assert (await dashboard.next_seats())["licenseCount"] == 3


async def test_an_anonymous_websocket_is_turned_away(database, tmp_path):
    async with (
        running_server(database, tmp_path) as server,
        websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"]) as socket,
    ):
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)
        assert closed.value.rcvd.code == 4403


@pytest.mark.postgres_only
async def test_subscribers_on_two_processes_hear_changes_made_on_either(database, tmp_path):
    async with AsyncExitStack() as stack:
        one = await stack.enter_async_context(running_server(database, tmp_path))
        two = await stack.enter_async_context(running_server(database, tmp_path))
        cookie = await sign_in(one)
        on_one = await stack.enter_async_context(subscribed(one, cookie=cookie))
        on_two = await stack.enter_async_context(subscribed(two, cookie=cookie))
        assert (await on_one.next_seats())["licenseCount"] == 1
        assert (await on_two.next_seats())["licenseCount"] == 1

        await mutate(one, cookie, "mutation { setLicenseCount(count: 4) { __typename } }")
        assert (await on_two.next_seats())["licenseCount"] == 4
        assert (await on_one.next_seats())["licenseCount"] == 4

        await mutate(two, cookie, "mutation { setLicenseCount(count: 6) { __typename } }")
        assert (await on_one.next_seats())["licenseCount"] == 6
        assert (await on_two.next_seats())["licenseCount"] == 6


async def close_code(socket: Any, timeout: float = 10) -> int | None:
    """The code the server closes the socket with (messages before it are skipped); a failure
    if it stays open for `timeout` seconds."""
    try:
        while True:
            await asyncio.wait_for(socket.recv(), timeout)
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


async def test_signing_out_closes_the_sessions_websocket_at_once(database, tmp_path):
    """Issue 10 item 2, R11: `logout` over HTTP closes the websocket opened with that session
    (4401) when it commits, without waiting for anything else to happen."""
    async with running_server(database, tmp_path) as server:
        cookie = await sign_in(server)
        async with subscribed(server, cookie=cookie) as watcher:
            assert (await watcher.next_seats())["licenseCount"] == 1
            await mutate(server, cookie, "mutation { logout { __typename } }")
            assert await close_code(watcher.socket) == 4401
