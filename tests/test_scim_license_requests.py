"""R16 with R17 (issue 14): an identity provider's creations and changes obey the license
policy. When it stops an increase nothing changes, the identity provider is refused (403, the
detail saying the licenses are used up and an administrator has been asked), and one license
request waits; approved, the identity provider's retry succeeds; declined, it is refused again
without a second request."""

from __future__ import annotations

import httpx
import pytest

from server.accounts.models import LicensePolicy, Organization, Resource
from server.app import create_app
from server.licensing import services
from server.licensing.models import ChangeReason, LicenseChange, LicenseRequest, RequestStatus
from tests.factories import MAXIMUM, assert_invariants, make_org
from tests.scim import Scim, scim_error, scim_token, user


@pytest.fixture
async def org(db):
    return await make_org(license_count=2)


@pytest.fixture
async def scim(org, settings):
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield Scim(http, await scim_token(org))


async def state(org) -> tuple[int, int, int]:
    row = await Organization.get(id=org.id)
    return row.license_count, row.used, await LicenseChange.filter(organization_id=org.id).count()


async def fill(scim, org) -> None:
    count, used, _ = await state(org)
    for n in range(count - used):
        response = await scim.create(f"p{n}@example.com")
        assert response.status_code == 201, response.text


async def test_r16_r17_a_create_the_policy_stops_is_refused_and_asks_an_administrator(scim, org):
    await fill(scim, org)
    before = await state(org)
    response = await scim.create("grace@example.com", external_id="00u9", display_name="Grace H.")
    detail = scim_error(response, 403)
    assert "licenses are in use" in detail and "an administrator has been asked" in detail
    assert await state(org) == before
    assert not await Resource.filter(email="grace@example.com").exists()
    [request] = await LicenseRequest.filter(organization_id=org.id)
    assert (request.status, request.email, request.name, request.external_id) == (
        RequestStatus.PENDING,
        "grace@example.com",
        "Grace H.",
        "00u9",
    )
    assert request.resource_id is None
    assert request.requested_by_name == "Okta (SCIM)"
    # The identity provider retries: refused the same, no second request piles up.
    again = await scim.create("grace@example.com", external_id="00u9", display_name="Grace H.")
    assert scim_error(again, 403) == detail
    assert await LicenseRequest.filter(organization_id=org.id).count() == 1
    await assert_invariants(org.id)


async def test_r16_r17_after_approval_the_identity_providers_retry_succeeds(scim, org):
    await fill(scim, org)
    scim_error(await scim.create("grace@example.com", external_id="00u9"), 403)
    request = await LicenseRequest.get(organization_id=org.id)
    count, used, rows = await state(org)
    await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    # R2, R4, R8: the increase and the access together, the administrator named.
    assert await state(org) == (count + 1, used + 1, rows + 1)
    row = await LicenseChange.filter(organization_id=org.id).order_by("-id").first()
    assert (row.reason, row.actor_id) == (ChangeReason.AUTO_INCREASE, org.admin.id)
    retry = await scim.create("grace@example.com", external_id="00u9")
    assert retry.status_code == 201, retry.text
    body = retry.json()
    grace = await Resource.get(organization_id=org.id, email="grace@example.com")
    assert body["active"] is True and body["externalId"] == "00u9"
    assert await state(org) == (count + 1, used + 1, rows + 1)
    assert (await LicenseRequest.get(id=request.id)).fulfilled_at is not None
    # Taken over once: a further creation is a conflict, as for anyone registered.
    scim_error(await scim.create("grace@example.com"), 409, "uniqueness")
    got = await scim.get(f"/Users/{body['id']}")
    assert got.status_code == 200 and grace.login_access
    await assert_invariants(org.id)


async def test_r16_r17_after_a_decline_the_retry_is_refused_again_without_a_new_request(scim, org):
    await fill(scim, org)
    scim_error(await scim.create("grace@example.com"), 403)
    request = await LicenseRequest.get(organization_id=org.id)
    await services.decline_license_request(org.actor, request.id)
    before = await state(org)
    detail = scim_error(await scim.create("grace@example.com"), 403)
    assert "declined" in detail
    assert await LicenseRequest.filter(organization_id=org.id).count() == 1
    assert (await LicenseRequest.get(id=request.id)).status is RequestStatus.DECLINED
    assert await state(org) == before
    assert not await Resource.filter(email="grace@example.com").exists()


async def test_r16_r17_r7_a_reactivation_the_policy_stops_leaves_the_person_as_they_were(scim, org):
    made = (await scim.create("ada@example.com")).json()
    await scim.delete(f"/Users/{made['id']}")
    await fill(scim, org)
    before = await state(org)
    response = await scim.put(f"/Users/{made['id']}", user("ada@example.com"))
    # Deleted by the identity provider: not found to it, and no request.
    scim_error(response, 404)
    response = await scim.create("ada@example.com")
    scim_error(response, 403)
    ada = await Resource.get(email="ada@example.com")
    assert (ada.active, ada.login_access, ada.deprovisioned_at is not None) == (
        False,
        False,
        True,
    )
    assert await state(org) == before
    [request] = await LicenseRequest.filter(organization_id=org.id)
    assert request.resource_id == ada.id
    # Approved: reactivated with access; the identity provider's retry brings them back.
    await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    retry = await scim.create("ada@example.com")
    assert retry.status_code == 201, retry.text
    assert retry.json()["id"] == made["id"] and retry.json()["active"] is True
    await assert_invariants(org.id)


async def test_r16_r17_a_patch_giving_access_is_a_request_for_the_registered_person(scim, org):
    made = (await scim.create("ada@example.com", active=False)).json()
    await fill(scim, org)
    before = await state(org)
    response = await scim.patch(
        f"/Users/{made['id']}", {"op": "replace", "path": "active", "value": True}
    )
    assert "an administrator has been asked" in scim_error(response, 403)
    assert await state(org) == before
    request = await LicenseRequest.get(organization_id=org.id)
    ada = await Resource.get(email="ada@example.com")
    assert request.resource_id == ada.id and not ada.login_access
    await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    assert (await Resource.get(id=ada.id)).login_access
    again = await scim.patch(
        f"/Users/{made['id']}", {"op": "replace", "path": "active", "value": True}
    )
    assert again.status_code in (200, 204), again.text
    await assert_invariants(org.id)


async def test_r16_r17_up_to_a_cap_the_identity_provider_increases_by_itself(scim, org):
    await services.set_license_policy(org.actor, LicensePolicy.UP_TO_CAP, 3, None, maximum=MAXIMUM)
    await fill(scim, org)
    assert (await state(org))[:2] == (2, 2)
    rows = (await state(org))[2]
    response = await scim.create("third@example.com")
    assert response.status_code == 201, response.text
    assert await state(org) == (3, 3, rows + 1)
    row = await LicenseChange.filter(organization_id=org.id).order_by("-id").first()
    assert (row.reason, row.actor_name) == (ChangeReason.AUTO_INCREASE, "Okta (SCIM)")
    scim_error(await scim.create("fourth@example.com"), 403)
    assert await state(org) == (3, 3, rows + 1)
    assert await LicenseRequest.filter(status=RequestStatus.PENDING).count() == 1
    # The latest provisioning events are the history rows identity providers caused (R8).
    [event] = await services.provisioning_events(org.id)
    assert event.id == row.id
    await assert_invariants(org.id)
