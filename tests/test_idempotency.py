"""R13: a retry with the same idempotency key answers as the first time and changes nothing
more; the key with other input is refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from server.accounts.models import Role
from server.idempotency import IdempotencyKey
from server.jobs import run_due
from server.licensing.models import LicenseChange
from tests.factories import PASSWORD, error_codes, make_org

SET_COUNT = """mutation($n: Int!, $key: String) { setLicenseCount(count: $n, idempotencyKey: $key)
  { __typename ... on SetLicenseCountSuccess { seats { licenseCount } change { id } } } }"""
ADD = """mutation($email: String!, $key: String, $accept: Boolean) {
  addResource(input: {name: "New Person", email: $email, loginAccess: true},
  acceptLicenseIncrease: $accept, idempotencyKey: $key) { __typename
  ... on AddResourceSuccess { resource { id } seats { licenseCount } change { id } }
  ... on LicenseIncreaseRequired { newCount } } }"""
TERMINATE = """mutation($id: ID!, $key: String) { terminate(resourceId: $id,
  lastWorkDay: "2026-01-02", idempotencyKey: $key) { __typename
  ... on TerminateSuccess { seats { licenseCount } change { id } } } }"""


@pytest.fixture
async def admin(client):
    org = await make_org(license_count=2)
    await client.login(org.admin.email)
    return org


async def history_size(org_id: int) -> int:
    return await LicenseChange.filter(organization_id=org_id).count()


async def test_r13_the_same_key_twice_makes_one_change_and_one_answer(client, admin):
    first = await client.data(SET_COUNT, n=5, key="req-1")
    rows = await history_size(admin.id)
    # A change in between must not leak into the retried answer.
    await client.data(SET_COUNT, n=7)
    retry = await client.data(SET_COUNT, n=5, key="req-1")
    assert retry == first
    assert await history_size(admin.id) == rows + 1
    assert (await client.data("{ seats { licenseCount } }"))["seats"]["licenseCount"] == 7


async def test_r13_the_same_key_with_other_input_is_refused(client, admin):
    await client.data(SET_COUNT, n=5, key="req-2")
    body = await client(SET_COUNT, n=6, key="req-2")
    assert error_codes(body) == ["IDEMPOTENCY_KEY_REUSED"]
    assert (await client.data("{ seats { licenseCount } }"))["seats"]["licenseCount"] == 5


async def test_r13_concurrent_retries_change_once(client, admin):
    answers = await asyncio.gather(*[client.data(SET_COUNT, n=9, key="burst") for _ in range(8)])
    assert all(answer == answers[0] for answer in answers)
    assert await history_size(admin.id) == 3  # initial, fixture's count, this one


async def test_r13_a_question_spends_no_key_so_the_confirmed_request_may_reuse_it(client, admin):
    await admin.add()  # every license is used now
    asked = await client.data(ADD, email="n@example.com", key="hire-1")
    assert asked["addResource"]["__typename"] == "LicenseIncreaseRequired"
    done = await client.data(ADD, email="n@example.com", key="hire-1", accept=True)
    assert done["addResource"]["__typename"] == "AddResourceSuccess"
    again = await client.data(ADD, email="n@example.com", key="hire-1", accept=True)
    assert again == done
    listed = await client.data('{ resources(search: "n@example.com") { totalCount } }')
    assert listed["resources"]["totalCount"] == 1


async def test_r13_a_retried_termination_returns_the_first_answer(client, admin):
    person = await admin.add()
    first = await client.data(TERMINATE, id=str(person.id), key="leave-1")
    retry = await client.data(TERMINATE, id=str(person.id), key="leave-1")
    assert retry == first
    without_key = await client(TERMINATE, id=str(person.id))
    assert error_codes(without_key) == ["RESOURCE_INACTIVE"]


async def test_r13_keys_belong_to_one_organisation(client, other_client, admin):
    other = await make_org("Other", license_count=2)
    await other_client.login(other.admin.email)
    await client.data(SET_COUNT, n=5, key="shared")
    theirs = await other_client.data(SET_COUNT, n=4, key="shared")
    assert theirs["setLicenseCount"]["seats"]["licenseCount"] == 4


@pytest.mark.parametrize("key", ["", "   ", "x" * 201])
async def test_r14_a_malformed_key_is_refused(client, admin, key):
    body = await client(SET_COUNT, n=5, key=key)
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_r13_keys_are_kept_for_at_least_a_day(client, admin):
    await client.data(SET_COUNT, n=5, key="kept")
    assert await run_due(datetime.now(UTC) + timedelta(hours=24)) == 0
    assert await IdempotencyKey.filter(key="kept").exists()
    await run_due(datetime.now(UTC) + timedelta(hours=49))
    assert not await IdempotencyKey.filter(key="kept").exists()


TOKEN = """mutation { createApiToken(name: "Sync", scopes: [SEATS_WRITE]) {
  ... on CreateApiTokenSuccess { token } } }"""


async def test_issue_10_item_11d_r13_a_key_belongs_to_the_actor_who_sent_it(
    client, other_client, admin
):
    """Two actors of one organisation who happen to send the same key: the second is not
    answered with the first one's stored outcome, nor refused as a reuse; each key works
    as a key for its own actor."""
    first = await client.data(SET_COUNT, n=5, key="shared")
    second_admin = await admin.add(role=Role.ADMIN, password=PASSWORD)
    await other_client.login(second_admin.email)
    other = await other_client(SET_COUNT, n=6, key="shared")
    assert error_codes(other) == []
    assert other["data"]["setLicenseCount"]["seats"]["licenseCount"] == 6
    # The same input as the first actor's: a change of its own, not the first one's answer.
    token = (await client.data(TOKEN))["createApiToken"]["token"]
    client.http.cookies.clear()
    response = await client.http.post(
        "/graphql",
        json={"query": SET_COUNT, "variables": {"n": 5, "key": "shared"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    by_token = response.json()["data"]["setLicenseCount"]
    await client.login(admin.admin.email)
    assert by_token["change"]["id"] != first["setLicenseCount"]["change"]["id"]
    assert (await client.data("{ seats { licenseCount } }"))["seats"]["licenseCount"] == 5
    # Each actor's retry still answers as its own first time.
    assert await client.data(SET_COUNT, n=5, key="shared") == first
    assert (await other_client.data(SET_COUNT, n=6, key="shared")) == other["data"]
    assert await IdempotencyKey.filter(key="shared").count() == 3
