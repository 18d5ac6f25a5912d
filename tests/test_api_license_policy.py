"""R16 over GraphQL (issue 14): the license policy, an integration's `acceptLicenseIncrease`
obeying it, the requests it makes, approved and declined by an administrator."""

from __future__ import annotations

import pytest

from server.accounts.models import LicensePolicy, Resource, Scope
from server.api import ids
from server.licensing import services
from tests.factories import MAXIMUM, error_codes, make_org
from tests.scim import scim_token
from tests.test_api_tokens import bearer, new_token

TOGGLE = """mutation($id: ID!, $key: String) { toggleAccess(resourceId: $id, enabled: true,
  acceptLicenseIncrease: true, idempotencyKey: $key) { __typename
  ... on ToggleAccessSuccess { message } } }"""
POLICY = """{ licensePolicy { mode maxLicenseCount maxMonthlyAmount monthlyAmount currency
  changedAt } }"""
SET_POLICY = """mutation($mode: LicensePolicyMode!, $count: Int, $amount: Int) {
  setLicensePolicy(mode: $mode, maxLicenseCount: $count, maxMonthlyAmount: $amount) {
  __typename ... on SetLicensePolicySuccess { policy { mode maxLicenseCount
  maxMonthlyAmount } } } }"""
REQUESTS = """query($status: LicenseRequestStatus) { licenseRequests(status: $status) {
  id status name email requestedBy decidedBy resource { id } } }"""
APPROVE = """mutation($id: ID!, $key: String) { approveLicenseRequest(id: $id,
  idempotencyKey: $key) { __typename ... on ApproveLicenseRequestSuccess { message
  request { status decidedBy } seats { licenseCount used } change { reason fromCount toCount
  actor { name } resource { id } } } } }"""
DECLINE = """mutation($id: ID!) { declineLicenseRequest(id: $id) { __typename
  ... on DeclineLicenseRequestSuccess { message request { status } } } }"""
COST = "{ licenseApprovalCost { addsLicenses monthlyAmount proratedCost addsToNextInvoice } }"


@pytest.fixture
async def org(client):
    made = await make_org(license_count=2)
    await client.login(made.admin.email)
    while (await made.refresh()).used < made.org.license_count:
        await made.add()
    return made


async def as_token(client, token: str, query: str, **variables) -> dict:
    response = await client.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=bearer(token)
    )
    return response.json()


async def test_r16_r4_a_tokens_accepted_increase_becomes_a_request_an_admin_approves(client, org):
    token = (await new_token(client, "SEATS_READ", "SEATS_WRITE"))["token"]
    waiting = await org.add("Wanda Waiting", access=False)
    wanda = ids.encode(ids.RESOURCE, waiting.id)
    body = await as_token(client, token, TOGGLE, id=wanda, key="wanda-1")
    assert error_codes(body) == ["LICENSE_REQUEST_PENDING"], body
    assert "an administrator has been asked" in body["errors"][0]["message"]
    assert body["data"] is None or body["data"]["toggleAccess"] is None
    # R13: the same key replays the refusal; no second request.
    again = await as_token(client, token, TOGGLE, id=wanda, key="wanda-1")
    assert again["errors"][0]["message"] == body["errors"][0]["message"]
    listed = (await client.data(REQUESTS))["licenseRequests"]
    assert [(r["name"], r["status"], r["requestedBy"]) for r in listed] == [
        ("Wanda Waiting", "PENDING", "API token “HR sync”")
    ]
    assert listed[0]["resource"] == {"id": wanda}
    # The token sees the requests too (seats:read), and what approving costs is told.
    assert (await as_token(client, token, REQUESTS))["data"]["licenseRequests"] == listed
    cost = (await client.data(COST))["licenseApprovalCost"]
    assert cost["addsLicenses"] == 1 and cost["addsToNextInvoice"] >= cost["proratedCost"] > 0
    approved = (await client.data(APPROVE, id=listed[0]["id"], key="approve-1"))[
        "approveLicenseRequest"
    ]
    assert approved["request"] == {"status": "APPROVED", "decidedBy": org.admin.name}
    assert approved["seats"] == {"licenseCount": 3, "used": 3}
    assert approved["change"]["reason"] == "AUTO_INCREASE"
    assert (approved["change"]["fromCount"], approved["change"]["toCount"]) == (2, 3)
    assert approved["change"]["actor"]["name"] == org.admin.name
    assert approved["change"]["resource"] == {"id": wanda}
    replayed = (await client.data(APPROVE, id=listed[0]["id"], key="approve-1"))[
        "approveLicenseRequest"
    ]
    assert replayed == approved
    assert (await Resource.get(id=waiting.id)).login_access
    # The integration's retry, with a new key, finds the access given.
    retried = await as_token(client, token, TOGGLE, id=wanda, key="wanda-2")
    assert "already given" in retried["data"]["toggleAccess"]["message"]
    assert (await client.data(REQUESTS))["licenseRequests"] == []


async def test_r16_the_policy_is_read_and_set_with_its_caps(client, org):
    policy = (await client.data(POLICY))["licensePolicy"]
    assert policy["mode"] == "NEVER" and policy["changedAt"] is None
    assert policy["maxLicenseCount"] is None and policy["maxMonthlyAmount"] is None
    assert policy["monthlyAmount"] > 0 and len(policy["currency"]) == 3
    saved = await client.data(SET_POLICY, mode="UP_TO_CAP", count=3, amount=None)
    assert saved["setLicensePolicy"]["policy"] == {
        "mode": "UP_TO_CAP",
        "maxLicenseCount": 3,
        "maxMonthlyAmount": None,
    }
    assert (await client.data(POLICY))["licensePolicy"]["changedAt"] is not None
    body = await client(SET_POLICY, mode="UP_TO_CAP", count=-1, amount=None)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    # Up to the cap a token's increase happens; past it, a request.
    token = (await new_token(client, "SEATS_WRITE"))["token"]
    first = await org.add(access=False)
    second = await org.add(access=False)
    done = await as_token(client, token, TOGGLE, id=ids.encode(ids.RESOURCE, first.id))
    assert done["data"]["toggleAccess"]["__typename"] == "ToggleAccessSuccess", done
    stopped = await as_token(client, token, TOGGLE, id=ids.encode(ids.RESOURCE, second.id))
    assert error_codes(stopped) == ["LICENSE_REQUEST_PENDING"]
    # An administrator's own confirmation never passes the cap.
    mine = await client(TOGGLE, id=ids.encode(ids.RESOURCE, second.id))
    assert error_codes(mine) == ["LICENSE_LIMIT_REACHED"]
    assert "caps the count at 3" in mine["errors"][0]["message"]


async def test_r16_a_declined_request_refuses_the_retry_without_a_new_request(client, org):
    token = (await new_token(client, "SEATS_WRITE"))["token"]
    waiting = await org.add("Wanda Waiting", access=False)
    wanda = ids.encode(ids.RESOURCE, waiting.id)
    await as_token(client, token, TOGGLE, id=wanda)
    [request] = (await client.data(REQUESTS))["licenseRequests"]
    declined = (await client.data(DECLINE, id=request["id"]))["declineLicenseRequest"]
    assert declined["request"] == {"status": "DECLINED"}
    retried = await as_token(client, token, TOGGLE, id=wanda)
    assert error_codes(retried) == ["LICENSE_REQUEST_DECLINED"]
    everything = (await client.data(REQUESTS, status=None))["licenseRequests"]
    assert [r["status"] for r in everything] == ["DECLINED"]
    again = await client(DECLINE, id=request["id"])
    assert error_codes(again) == ["BAD_USER_INPUT"]
    assert "already declined" in again["errors"][0]["message"]
    # R12: an id of another kind, or of nothing, is NOT_FOUND.
    missing = await client(APPROVE, id=ids.encode(ids.LICENSE_REQUEST, 999_999))
    assert error_codes(missing) == ["NOT_FOUND"]
    other = await client(APPROVE, id=wanda)
    assert error_codes(other) == ["NOT_FOUND"]


async def test_r16_r17_the_last_provisioning_events_are_the_scim_history_rows(client, org):
    await services.set_license_policy(
        org.actor, LicensePolicy.UP_TO_CAP, None, None, maximum=MAXIMUM
    )
    okta = await scim_token(org, "Okta", (Scope.SCIM,))
    response = await client.http.post(
        "/scim/v2/Users",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "grace@example.com",
            "active": True,
        },
        headers={"Authorization": f"Bearer {okta}", "Content-Type": "application/scim+json"},
    )
    assert response.status_code == 201, response.text
    await org.add()  # the administrator's own increase is no provisioning event
    data = await client.data(
        "{ provisioning { recentChanges { reason fromCount toCount actor { name } } } }"
    )
    assert data["provisioning"]["recentChanges"] == [
        {"reason": "AUTO_INCREASE", "fromCount": 2, "toCount": 3, "actor": {"name": "Okta (SCIM)"}}
    ]
