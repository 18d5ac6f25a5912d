"""SCIM 2.0 Users (R17, issue 14): create, read, replace, patch, delete and list, as the
domain's people, with the licence rules R1, R4, R5, R7 and R8 holding."""

from __future__ import annotations

import httpx
import pytest

from server.accounts.models import Organization, Resource, ResourceKind
from server.app import create_app
from tests.factories import assert_invariants, make_org
from tests.scim import Scim, scim_token


@pytest.fixture
async def org(db):
    return await make_org(license_count=3)


@pytest.fixture
async def scim(org, settings):
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield Scim(http, await scim_token(org))


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
