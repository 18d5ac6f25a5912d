"""Issue 12 item 2: a throttled `login` answers how long to wait, as a number and in words
with the right plural (R11: guesses are slowed down, and the person is told for how long)."""

from __future__ import annotations

import asyncio

from tests.factories import make_org

LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename
  ... on SignInThrottled { retryAfterSeconds message } } }"""


async def test_r11_a_throttled_login_says_how_many_seconds_to_wait(client):
    org = await make_org()
    email = org.admin.email

    async def guess() -> dict:
        return (await client.data(LOGIN, e=email, p="wrong password"))["login"]

    for _ in range(5):
        assert (await guess())["__typename"] == "InvalidCredentials"
    # The fifth failure blocks for one second: one second, not "1 seconds".
    first = await guess()
    assert first == {
        "__typename": "SignInThrottled",
        "retryAfterSeconds": 1,
        "message": "Too many failed sign-ins. Try again in 1 second.",
    }
    await asyncio.sleep(1.1)
    assert (await guess())["__typename"] == "InvalidCredentials"
    second = await guess()
    assert second == {
        "__typename": "SignInThrottled",
        "retryAfterSeconds": 2,
        "message": "Too many failed sign-ins. Try again in 2 seconds.",
    }
