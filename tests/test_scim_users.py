"""SCIM 2.0 Users (R17, issue 14): create, read, replace, patch, delete and list, as the
domain's people, with the licence rules R1, R4, R5, R7 and R8 holding."""

from __future__ import annotations

import pytest

from server.accounts.models import Deactivation, Organization, Resource, ResourceKind
from server.licensing.models import ChangeReason, LicenseChange
from tests.factories import assert_invariants, make_org
from tests.scim import SEATS, scim_error, user


@pytest.fixture
async def org(db):
    return await make_org(license_count=3)


async def seats(org) -> tuple[int, int]:
    row = await Organization.get(id=org.id)
    return row.license_count, row.used


async def test_r17_r4_create_gives_login_access_and_uses_a_free_license(scim, org):
    before = await seats(org)
    response = await scim.create("ada@example.com", external_id="00u1", display_name="Ada L.")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["userName"] == "ada@example.com"
    assert body["active"] is True
    assert body["externalId"] == "00u1"
    assert body["displayName"] == "Ada L."
    assert body["name"] == {"givenName": "Ada", "familyName": "Lovelace"}
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{body['id']}")
    person = await Resource.get(email="ada@example.com")
    assert (person.name, person.login_access, person.kind) == (
        "Ada L.",
        True,
        ResourceKind.EMPLOYEE,
    )
    assert await seats(org) == (before[0], before[1] + 1)
    got = await scim.get(f"/Users/{body['id']}")
    assert got.status_code == 200 and got.json()["id"] == body["id"]
    await assert_invariants(org.id)


async def history(org) -> list[LicenseChange]:
    return await LicenseChange.filter(organization_id=org.id).order_by("id")


async def created(scim, email: str, **attributes) -> dict:
    response = await scim.create(email, **attributes)
    assert response.status_code == 201, response.text
    return response.json()


# --- what identity providers do ---------------------------------------------------------


async def test_r17_habit_get_by_filter_before_every_create(scim):
    """Okta and Entra ID look a user up by userName before creating it."""
    found = await scim.get("/Users", filter='userName eq "Grace@Example.com"')
    assert found.status_code == 200
    assert found.json()["totalResults"] == 0 and found.json().get("Resources", []) == []
    made = await created(scim, "grace@example.com")
    found = await scim.get("/Users", filter='userName eq "GRACE@example.COM"')
    body = found.json()
    assert body["totalResults"] == 1
    assert [r["id"] for r in body["Resources"]] == [made["id"]]


async def test_r17_habit_create_for_a_user_name_that_exists_is_409_uniqueness(scim, org):
    await created(scim, "ada@example.com")
    before = await seats(org)
    again = await scim.create("ADA@example.com")
    detail = scim_error(again, 409, "uniqueness")
    assert "ada@example.com" in detail
    assert await seats(org) == before
    assert await Resource.filter(organization_id=org.id, email="ada@example.com").count() == 1


async def test_r17_habit_entra_patch_with_capitalised_op_and_string_boolean(scim, org):
    """Entra ID sends `"op": "Replace"` and `"value": "False"`."""
    made = await created(scim, "ada@example.com")
    count, used = await seats(org)
    response = await scim.patch(
        f"/Users/{made['id']}", {"op": "Replace", "path": "active", "value": "False"}
    )
    assert response.status_code in (200, 204), response.text
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access) == (False, False)
    # R7 by default: terminated today, and the license goes with them.
    assert await seats(org) == (count - 1, used - 1)
    got = (await scim.get(f"/Users/{made['id']}")).json()
    assert got["active"] is False


async def test_r17_habit_entra_patch_of_names_and_external_id(scim):
    made = await created(scim, "ada@example.com")
    response = await scim.patch(
        f"/Users/{made['id']}",
        {"op": "Replace", "path": "displayName", "value": "Ada King"},
        {"op": "Add", "path": "externalId", "value": "e-42"},
        {"op": "Replace", "path": "name.familyName", "value": "King"},
    )
    assert response.status_code in (200, 204), response.text
    person = await Resource.get(email="ada@example.com")
    assert (person.name, person.external_id, person.family_name) == ("Ada King", "e-42", "King")
    found = await scim.get("/Users", filter='externalId eq "e-42"')
    assert [r["id"] for r in found.json()["Resources"]] == [made["id"]]
    assert (await scim.get("/Users", filter='externalId eq "E-42"')).json()["totalResults"] == 0


async def test_r17_habit_okta_patch_without_path_and_a_value_object(scim, org):
    """Okta deactivates with `{"op": "replace", "value": {"active": false}}`."""
    made = await created(scim, "ada@example.com")
    count, used = await seats(org)
    response = await scim.patch(
        f"/Users/{made['id']}", {"op": "replace", "value": {"active": False}}
    )
    assert response.status_code in (200, 204), response.text
    assert await seats(org) == (count - 1, used - 1)
    # And reactivates the same way: R7's reactivation, then R4's access.
    response = await scim.patch(
        f"/Users/{made['id']}", {"op": "replace", "value": {"active": True}}
    )
    assert response.status_code in (200, 204), response.text
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access) == (True, True)
    assert (await scim.get(f"/Users/{made['id']}")).json()["active"] is True
    await assert_invariants(org.id)


async def test_r17_habit_put_of_the_whole_user(scim, org):
    made = await created(scim, "ada@example.com", external_id="x1")
    body = user("ada.king@example.com", given="Ada", family="King", external_id="x2")
    body["displayName"] = "Ada King"
    response = await scim.put(f"/Users/{made['id']}", body)
    assert response.status_code == 200, response.text
    got = response.json()
    assert (got["userName"], got["displayName"], got["externalId"]) == (
        "ada.king@example.com",
        "Ada King",
        "x2",
    )
    person = await Resource.get(id=(await Resource.get(email="ada.king@example.com")).id)
    assert (person.name, person.given_name, person.family_name) == ("Ada King", "Ada", "King")
    # A PUT with active false is a deactivation like any other (R7 by default).
    count, used = await seats(org)
    body["active"] = False
    response = await scim.put(f"/Users/{made['id']}", body)
    assert response.status_code == 200 and response.json()["active"] is False
    assert await seats(org) == (count - 1, used - 1)


async def test_r17_habit_delete_of_someone_already_deactivated(scim, org):
    made = await created(scim, "ada@example.com")
    await scim.patch(f"/Users/{made['id']}", {"op": "replace", "value": {"active": False}})
    before, rows = await seats(org), len(await history(org))
    response = await scim.delete(f"/Users/{made['id']}")
    assert response.status_code == 204, response.text
    # Nothing more to take off the count, no history row; the person stays, terminated.
    assert await seats(org) == before
    assert len(await history(org)) == rows
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access) == (False, False)
    scim_error(await scim.get(f"/Users/{made['id']}"), 404)
    scim_error(await scim.delete(f"/Users/{made['id']}"), 404)


# --- the licence rules under SCIM ---------------------------------------------------------


async def test_r17_r7_r8_delete_terminates_today_and_history_names_the_token(scim, org):
    made = await created(scim, "ada@example.com")
    count, used = await seats(org)
    response = await scim.delete(f"/Users/{made['id']}")
    assert response.status_code == 204, response.text
    assert await seats(org) == (count - 1, used - 1)
    rows = await history(org)
    grew, fell = rows[-2], rows[-1]
    assert fell.reason is ChangeReason.TERMINATION and fell.actor_name == "Okta (SCIM)"
    assert fell.actor_token_id is not None and fell.actor_id is None
    # DELETE never erases: the person and the rows naming them stay.
    person = await Resource.get(email="ada@example.com")
    assert person.active is False and fell.resource_id == person.id
    assert grew.id < fell.id
    listed = await scim.get("/Users", filter='userName eq "ada@example.com"')
    assert listed.json()["totalResults"] == 0
    await assert_invariants(org.id)


async def test_r17_r7_delete_terminates_someone_who_never_had_access(scim, org):
    made = await created(scim, "ada@example.com", active=False)
    before = await seats(org)
    put = await scim.put(f"/Users/{made['id']}", user("ada@example.com", active=False))
    assert put.status_code == 200, put.text
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access) == (True, False), "a PUT is no deletion"
    response = await scim.delete(f"/Users/{made['id']}")
    assert response.status_code == 204, response.text
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access) == (False, False)
    assert await seats(org) == before, "R1: no license was used, none leaves the count"


async def test_r17_r5_deactivation_removes_access_when_the_organisation_chose_so(scim, org, client):
    await client.login(org.admin.email)
    default = await client.data("{ provisioning { deactivation } }")
    assert default == {"provisioning": {"deactivation": "TERMINATE"}}
    chosen = await client.data(
        "mutation { setProvisioningDeactivation(deactivation: REMOVE_ACCESS) "
        "{ ... on SetProvisioningDeactivationSuccess { provisioning { deactivation } } } }"
    )
    assert chosen["setProvisioningDeactivation"]["provisioning"] == {
        "deactivation": "REMOVE_ACCESS"
    }
    read = await client.data("{ provisioning { deactivation } }")
    assert read == {"provisioning": {"deactivation": "REMOVE_ACCESS"}}
    assert (await Organization.get(id=org.id)).deactivation is Deactivation.REMOVE_ACCESS
    made = await created(scim, "ada@example.com")
    count, used = await seats(org)
    rows = len(await history(org))
    response = await scim.patch(
        f"/Users/{made['id']}", {"op": "replace", "path": "active", "value": False}
    )
    assert response.status_code in (200, 204), response.text
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access) == (True, False)
    # R5: the count stays, a license is free; no history row.
    assert await seats(org) == (count, used - 1)
    assert len(await history(org)) == rows
    response = await scim.delete(f"/Users/{made['id']}")
    assert response.status_code == 204
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access) == (True, False)


async def test_r17_r4_when_no_license_is_free_a_create_is_refused_and_nothing_changes(scim, org):
    count, used = await seats(org)
    for n in range(count - used):
        await created(scim, f"p{n}@example.com")
    full = await seats(org)
    assert full[0] == full[1]
    rows = len(await history(org))
    response = await scim.create("one.more@example.com")
    detail = scim_error(response, 403)
    assert "licenses are in use" in detail
    assert await seats(org) == full
    assert len(await history(org)) == rows
    assert not await Resource.filter(email="one.more@example.com").exists()
    # Without access, the person can be created; giving access later is refused the same way.
    made = await created(scim, "one.more@example.com", active=False)
    assert made["active"] is False
    response = await scim.patch(
        f"/Users/{made['id']}", {"op": "replace", "path": "active", "value": True}
    )
    assert "licenses are in use" in scim_error(response, 403)
    assert await seats(org) == full
    await assert_invariants(org.id)


async def test_r17_r4_reactivation_when_no_license_is_free_leaves_the_person_terminated(scim, org):
    made = await created(scim, "ada@example.com")
    await scim.delete(f"/Users/{made['id']}")
    count, used = await seats(org)
    for n in range(count - used):
        await created(scim, f"p{n}@example.com")
    # Created again after its deletion: the same person comes back, but no license is free.
    response = await scim.create("ada@example.com")
    scim_error(response, 403)
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.deprovisioned_at is not None) == (False, True)


async def test_r17_a_person_deleted_then_created_again_comes_back_with_their_history(scim, org):
    made = await created(scim, "ada@example.com")
    await scim.delete(f"/Users/{made['id']}")
    again = await created(scim, "ada@example.com", external_id="back")
    assert again["id"] == made["id"] and again["active"] is True
    person = await Resource.get(email="ada@example.com")
    assert (person.active, person.login_access, person.external_id) == (True, True, "back")
    await assert_invariants(org.id)


async def test_r17_r1_a_consultant_through_the_extension_uses_no_license(scim, org):
    before = await seats(org)
    made = await created(scim, "con@example.com", consultant=True)
    assert made[SEATS] == {"consultant": True}
    person = await Resource.get(email="con@example.com")
    assert (person.kind, person.login_access) == (ResourceKind.EXTERNAL_CONSULTANT, True)
    assert await seats(org) == before
    # Employees are the default: their users carry no extension.
    plain = await created(scim, "emp@example.com")
    assert SEATS not in plain
    assert (await Resource.get(email="emp@example.com")).kind is ResourceKind.EMPLOYEE
    found = await scim.get("/Users", filter=f"{SEATS}:consultant eq true")
    assert [r["id"] for r in found.json()["Resources"]] == [made["id"]]


async def test_r17_r1_r4_a_consultant_who_becomes_an_employee_needs_a_license(scim, org):
    made = await created(scim, "con@example.com", consultant=True)
    count, used = await seats(org)
    response = await scim.put(f"/Users/{made['id']}", user("con@example.com", consultant=False))
    assert response.status_code == 200, response.text
    assert response.json()[SEATS] == {"consultant": False}
    assert await seats(org) == (count, used + 1)
    # Back to consultant: the license is free again, the count stays (as R5).
    response = await scim.patch(
        f"/Users/{made['id']}", {"op": "add", "path": f"{SEATS}:consultant", "value": True}
    )
    assert response.status_code in (200, 204), response.text
    assert await seats(org) == (count, used)
    for n in range(count - used):
        await created(scim, f"p{n}@example.com")
    full = await seats(org)
    response = await scim.patch(f"/Users/{made['id']}", {"op": "remove", "path": SEATS})
    assert "licenses are in use" in scim_error(response, 403)
    person = await Resource.get(email="con@example.com")
    assert (person.kind, person.login_access) == (ResourceKind.EXTERNAL_CONSULTANT, True)
    assert await seats(org) == full
    await assert_invariants(org.id)


async def test_r17_r7_deactivating_the_last_administrator_is_refused(scim, org):
    admin_id = (await scim.get("/Users", filter=f'userName eq "{org.admin.email}"')).json()
    [admin] = admin_id["Resources"]
    response = await scim.patch(
        f"/Users/{admin['id']}", {"op": "replace", "value": {"active": False}}
    )
    assert "last administrator" in scim_error(response, 400, "mutability")
    person = await Resource.get(id=org.admin.id)
    assert (person.active, person.login_access) == (True, True)


async def test_r17_r11_a_token_does_not_change_an_administrators_address(scim, org):
    found = (await scim.get("/Users", filter=f'userName eq "{org.admin.email}"')).json()
    [admin] = found["Resources"]
    response = await scim.patch(
        f"/Users/{admin['id']}", {"op": "replace", "path": "userName", "value": "x@example.com"}
    )
    scim_error(response, 403)
    assert (await Resource.get(id=org.admin.id)).email == org.admin.email


async def test_r17_r14_bad_names_and_addresses_are_invalid_values(scim):
    scim_error(await scim.create("ada@example.com", display_name="An\u200bna"), 400, "invalidValue")
    response = await scim.post(
        "/Users", {"schemas": [user("x@y.z")["schemas"][0]], "userName": "nope"}
    )
    scim_error(response, 400, "invalidValue")
