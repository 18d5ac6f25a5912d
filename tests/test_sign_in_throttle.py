"""Issue 10 item 4: the sign-in back-off holds under parallel guesses (R11: a credential
cannot be guessed faster than the design allows), and the client address it counts is taken
from X-Forwarded-For only behind a trusted proxy (SEATS_FORWARDED_ALLOW_IPS).

The design allows 5 wrong passwords per account, then a wait of 1 s, 2 s, 4 s, … before each
further one. A burst that lasts T seconds can therefore see at most 5 + log2(T + 1) passwords
checked (the extra ones only if it outlasts the waits): that is the bound asserted, whatever
the speed of the machine."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from server.accounts import services as account_services
from server.accounts.throttle import PER_ACCOUNT, PER_ADDRESS
from tests.conftest import ON_POSTGRES, create_postgres_database, drop_postgres_database
from tests.factories import PASSWORD, make_org
from tests.servers import run_cli, running_server

LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"""
GUESSES = 100


def allowed_checks(free: int, started: float) -> int:
    """The most passwords the back-off lets through in a burst begun at `started`."""
    elapsed = time.monotonic() - started
    return free + math.floor(math.log2(elapsed + 1))


async def test_issue_10_item_4_parallel_guesses_check_at_most_the_free_attempts(
    client, monkeypatch
):
    """100 wrong passwords for one account at once, through the app, on this run's database
    (on PostgreSQL each request has a connection of its own): the password is checked for at
    most the free attempts; every other guess is refused before it is checked."""
    org = await make_org()
    checked = 0
    real_verify = account_services.verify_password

    def counting_verify(stored, password):
        nonlocal checked
        checked += 1
        return real_verify(stored, password)

    monkeypatch.setattr(account_services, "verify_password", counting_verify)
    started = time.monotonic()
    answers = await asyncio.gather(
        *(client.data(LOGIN, e=org.admin.email, p=f"guess {i:04}") for i in range(GUESSES))
    )
    bound = allowed_checks(PER_ACCOUNT.free_failures, started)
    kinds = [a["login"]["__typename"] for a in answers]
    assert kinds.count("InvalidCredentials") == checked
    assert kinds.count("SignInThrottled") == GUESSES - checked
    assert 1 <= checked <= bound, f"{checked} passwords checked, the design allows {bound}"


@pytest.fixture
async def server_database(tmp_path) -> AsyncIterator[str]:
    if ON_POSTGRES:
        url = await create_postgres_database("seats_throttle")
    else:
        url = f"sqlite://{tmp_path / 'throttle.sqlite3'}"
    run_cli(url, "migrate")
    yield url
    if ON_POSTGRES:
        await drop_postgres_database(url)


async def guess(http: httpx.AsyncClient, email: str, password: str, **headers: str) -> str:
    response = await http.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"e": email, "p": password}},
        headers=headers,
    )
    return response.json()["data"]["login"]["__typename"]


def failed_checks(log: str) -> int:
    """Wrong passwords checked, as the server logs them (one line each)."""
    return log.count("sign-in failed from ")


@pytest.mark.postgres_only
async def test_issue_10_item_4_parallel_guesses_on_several_server_processes(
    server_database, tmp_path
):
    """The same burst against three server processes sharing PostgreSQL: the count is
    claimed under a row lock before the password is checked, so the processes together
    check at most the free attempts. Each wrong password checked is logged; the log says
    how many were."""
    email = "victim@example.com"
    run_cli(server_database, "create-admin", "--org", "Target", "--email", email,
            "--password", PASSWORD)  # fmt: skip
    async with running_server(server_database, tmp_path, workers=3) as server:
        await server.workers_up(3)
        limits = httpx.Limits(max_connections=GUESSES)
        async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=60) as http:
            started = time.monotonic()
            kinds = await asyncio.gather(
                *(guess(http, email, f"guess {i:04}") for i in range(GUESSES))
            )
            bound = allowed_checks(PER_ACCOUNT.free_failures, started)
        checked = failed_checks(server.log_tail(10**7))
    assert kinds.count("InvalidCredentials") == checked
    assert kinds.count("SignInThrottled") == GUESSES - checked
    assert 1 <= checked <= bound, f"{checked} passwords checked, the design allows {bound}"


async def fill_address(http: httpx.AsyncClient, forwarded_for: str) -> None:
    """Wrong passwords for many accounts, sent through a proxy that names `forwarded_for`,
    until that address is blocked."""
    for i in range(PER_ADDRESS.free_failures):
        kind = await guess(http, f"nobody{i}@example.com", "wrong password",
                           **{"X-Forwarded-For": forwarded_for})  # fmt: skip
        assert kind == "InvalidCredentials"
    blocked = await guess(http, "someone@example.com", "wrong password",
                          **{"X-Forwarded-For": forwarded_for})  # fmt: skip
    assert blocked == "SignInThrottled"


async def test_issue_10_item_4_a_trusted_proxy_names_the_client_address(server_database, tmp_path):
    """By default the local proxy (127.0.0.1) is trusted: the back-off counts the address it
    forwards, so one blocked client does not block the others behind the same proxy."""
    async with (
        running_server(server_database, tmp_path) as server,
        httpx.AsyncClient(base_url=server.base_url, timeout=30) as http,
    ):
        await fill_address(http, "203.0.113.7")
        other = await guess(http, "someone@example.com", "wrong password",
                            **{"X-Forwarded-For": "203.0.113.8"})  # fmt: skip
        assert other == "InvalidCredentials"


async def test_issue_10_item_4_an_untrusted_peer_cannot_pick_its_address(server_database, tmp_path):
    """With SEATS_FORWARDED_ALLOW_IPS naming only the real proxy, a client talking to the
    server directly is counted by its own address, whatever X-Forwarded-For it sends: a
    new header does not buy new guesses."""
    env = {"SEATS_FORWARDED_ALLOW_IPS": "10.255.0.1"}
    async with (
        running_server(server_database, tmp_path, env=env) as server,
        httpx.AsyncClient(base_url=server.base_url, timeout=30) as http,
    ):
        await fill_address(http, "203.0.113.7")
        other = await guess(http, "someone@example.com", "wrong password",
                            **{"X-Forwarded-For": "203.0.113.8"})  # fmt: skip
        assert other == "SignInThrottled"
