"""Signing in and out, and who may use the licenses page (R11), through /graphql."""

from __future__ import annotations

import pytest

from server.accounts.models import Role
from server.api import ids
from tests.factories import PASSWORD, error_codes, make_org

LICENSE_PAGE_OPERATIONS = {
    "seats": "{ seats { used } }",
    "resources": "{ resources { totalCount } }",
    "resource": '{ resource(id: "1") { id } }',
    "history": "{ history { edges { node { id } } } }",
    "unusedLicenses": "{ unusedLicenses { totalCount } }",
    "setLicenseCount": "mutation { setLicenseCount(count: 5) { __typename } }",
    "toggleAccess": 'mutation { toggleAccess(resourceId: "1", enabled: false) { __typename } }',
    "addResource": 'mutation { addResource(input: {name: "A", email: "a@example.com"}) '
    "{ __typename } }",
    "terminate": 'mutation { terminate(resourceId: "1", lastWorkDay: "2026-01-01") '
    "{ __typename } }",
    "reactivate": 'mutation { reactivate(resourceId: "1") { __typename } }',
    "updateResource": 'mutation { updateResource(resourceId: "1", input: {name: "A"}) '
    "{ __typename } }",
}


async def test_login_sets_an_http_only_same_site_session_cookie(client):
    org = await make_org()
    response = await client.http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ __typename ... on LoginSuccess { me { name role canManageLicenses } } } }",
            "variables": {"e": org.admin.email.upper(), "p": PASSWORD},
        },
    )
    body = response.json()
    assert body["data"]["login"] == {
        "__typename": "LoginSuccess",
        "me": {"name": org.admin.name, "role": "ADMIN", "canManageLicenses": True},
    }
    cookie = response.headers["set-cookie"].lower()
    assert "seats_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    me = await client.data("{ me { email organization { name timeZone } } }")
    assert me["me"] == {
        "email": org.admin.email,
        "organization": {"name": "Acme", "timeZone": "UTC"},
    }


async def test_issue_11_signing_in_with_a_document_seen_before_sets_the_cookie(client):
    """Issue 11: the cookie is set on the answer of every sign-in, the tenth with the same
    document and variables as the first (the view's response carries what the resolver set)."""
    org = await make_org()
    login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"
    for _ in range(10):
        response = await client.http.post(
            "/graphql",
            json={"query": login, "variables": {"e": org.admin.email, "p": PASSWORD}},
        )
        assert response.json() == {"data": {"login": {"__typename": "LoginSuccess"}}}
        assert "seats_session=" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize("password", ["wrong password", ""])
async def test_login_with_a_wrong_password_is_refused_without_a_cookie(client, password):
    org = await make_org()
    response = await client.http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ __typename ... on InvalidCredentials { message } } }",
            "variables": {"e": org.admin.email, "p": password},
        },
    )
    assert response.json()["data"]["login"]["__typename"] == "InvalidCredentials"
    assert "set-cookie" not in response.headers
    assert (await client.data("{ me { id } }"))["me"] is None


async def test_someone_without_login_access_cannot_sign_in(client):
    org = await make_org(license_count=3)
    person = await org.add(access=False, password=PASSWORD)
    answer = await client.login(person.email)
    assert answer["login"]["__typename"] == "InvalidCredentials"


async def test_logout_ends_the_session(client):
    org = await make_org()
    await client.login(org.admin.email)
    cookie = client.http.cookies["seats_session"]
    await client.data("mutation { logout { ... on LogoutSuccess { ok } } }")
    assert (await client.data("{ me { id } }"))["me"] is None
    # The old cookie is dead on the server too, not only forgotten by the browser.
    client.http.cookies.set("seats_session", cookie)
    assert (await client.data("{ me { id } }"))["me"] is None


@pytest.mark.parametrize("operation", sorted(LICENSE_PAGE_OPERATIONS))
async def test_r11_anonymous_callers_are_unauthenticated(client, operation):
    body = await client(LICENSE_PAGE_OPERATIONS[operation])
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["data"] is None


@pytest.mark.parametrize("operation", sorted(LICENSE_PAGE_OPERATIONS))
async def test_r11_members_are_refused_the_license_page(client, operation):
    org = await make_org(license_count=5)
    member = await org.add(role=Role.MEMBER, password=PASSWORD)
    await client.login(member.email)
    body = await client(LICENSE_PAGE_OPERATIONS[operation])
    assert error_codes(body) == ["FORBIDDEN"]
    assert "administrators and users with access to resources" in body["errors"][0]["message"]
    me = await client.data("{ me { role canManageLicenses } }")
    assert me["me"] == {"role": "MEMBER", "canManageLicenses": False}


async def test_r11_resource_managers_use_the_license_page(client):
    org = await make_org(license_count=5)
    manager = await org.add(role=Role.RESOURCE_MANAGER, password=PASSWORD)
    await client.login(manager.email)
    data = await client.data("mutation { setLicenseCount(count: 4) { __typename } }")
    assert data["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess"


async def test_r5_removing_access_signs_the_person_out_everywhere(client, other_client):
    org = await make_org(license_count=3)
    person = await org.add(role=Role.RESOURCE_MANAGER, password=PASSWORD)
    await other_client.login(person.email)
    assert (await other_client.data("{ seats { used } }"))["seats"]["used"] == 2

    await client.login(org.admin.email)
    await client.data(
        "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: false) { __typename } }",
        id=ids.encode(ids.RESOURCE, person.id),
    )
    body = await other_client("{ seats { used } }")
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_r7_terminating_a_person_signs_them_out(client, other_client):
    org = await make_org(license_count=3)
    person = await org.add(role=Role.ADMIN, password=PASSWORD)
    await other_client.login(person.email)
    await client.login(org.admin.email)
    await client.data(
        "mutation($id: ID!, $d: Date!) { terminate(resourceId: $id, lastWorkDay: $d) "
        "{ __typename } }",
        id=ids.encode(ids.RESOURCE, person.id),
        d="2025-06-30",
    )
    assert (await other_client.data("{ me { id } }"))["me"] is None


async def test_graphiql_is_served_to_a_browser_and_health_is_reported(client):
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    health = await client.http.get("/healthz")
    assert health.json() == {"status": "ok"}
