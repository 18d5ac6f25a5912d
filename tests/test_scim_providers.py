"""The requests Okta and Microsoft Entra ID send, as their documentation shows them (R17,
issue 14): attributes Seats does not keep are ignored, not refused; Entra ID's writes to the
work address and to its enterprise extension do not fail its update."""

from __future__ import annotations

import pytest

from server.accounts.models import Resource
from tests.factories import make_org
from tests.scim import PATCH, USER

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

OKTA_CREATE = {
    "schemas": [USER],
    "userName": "test.user@example.com",
    "name": {"givenName": "Test", "familyName": "User"},
    "emails": [{"primary": True, "value": "test.user@example.com", "type": "work"}],
    "displayName": "Test User",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}

ENTRA_CREATE = {
    "schemas": [USER, ENTERPRISE],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User@contoso.com",
    "active": True,
    "displayName": "Test User",
    "title": "Engineer",
    "preferredLanguage": "en-GB",
    "emails": [{"primary": True, "type": "work", "value": "test.user@contoso.com"}],
    "phoneNumbers": [{"type": "work", "value": "+44 20 7946 0000"}],
    "addresses": [{"type": "work", "country": "GB", "primary": False}],
    "meta": {"resourceType": "User"},
    "name": {"formatted": "Test User", "familyName": "User", "givenName": "Test"},
    "roles": [],
    ENTERPRISE: {"employeeNumber": "701984", "department": "Tour Operations"},
}


@pytest.fixture
async def org(db):
    return await make_org(license_count=5)


async def test_r17_habit_okta_create_as_okta_sends_it(scim):
    response = await scim.post("/Users", OKTA_CREATE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["userName"], body["externalId"], body["active"]) == (
        "test.user@example.com",
        "00ujl29u0le5T6Aj10h7",
        True,
    )
    assert "locale" not in body and "password" not in body
    person = await Resource.get(email="test.user@example.com")
    assert (person.name, person.password_hash, person.login_access) == ("Test User", None, True)
    # A PATCH with no path whose value holds the address too: the address is the userName,
    # the rest applies.
    response = await scim.patch(
        f"/Users/{body['id']}",
        {
            "op": "replace",
            "value": {
                "emails": [{"value": "other@example.com", "type": "work", "primary": True}],
                "displayName": "Test Userr",
            },
        },
    )
    assert response.status_code in (200, 204), response.text
    person = await Resource.get(id=person.id)
    assert (person.name, person.email) == ("Test Userr", "test.user@example.com")
    # Okta's profile push: the whole user again, by PUT.
    again = {**OKTA_CREATE, "name": {"givenName": "Testa", "familyName": "User"}}
    again["displayName"] = "Testa User"
    response = await scim.put(f"/Users/{body['id']}", again)
    assert response.status_code == 200, response.text
    assert (await Resource.get(id=person.id)).name == "Testa User"


async def test_r17_habit_entra_create_and_updates_as_entra_sends_them(scim):
    found = await scim.get("/Users", filter='userName eq "Test_User@contoso.com"')
    assert found.json()["totalResults"] == 0
    response = await scim.post("/Users", ENTRA_CREATE)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["userName"] == "test_user@contoso.com"
    # Matching by the work address, as Entra ID may be set up to.
    found = await scim.get(
        "/Users", filter='emails[type eq "work"].value eq "test_user@contoso.com"'
    )
    assert [r["id"] for r in found.json()["Resources"]] == [made["id"]]
    response = await scim.patch(
        f"/Users/{made['id']}",
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "new@contoso.com"},
        {"op": "Replace", "path": "name.familyName", "value": "Userson"},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Sales"},
        {"op": "Replace", "path": "title", "value": "Lead"},
    )
    assert response.status_code in (200, 204), response.text
    person = await Resource.get(email="test_user@contoso.com")
    assert person.family_name == "Userson"
    response = await scim.http.patch(
        f"/scim/v2/Users/{made['id']}",
        json={
            "schemas": [PATCH],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        },
        headers={"Authorization": f"Bearer {scim.token}"},
    )
    assert response.status_code in (200, 204), response.text
    person = await Resource.get(id=person.id)
    assert (person.active, person.login_access) == (False, False)
