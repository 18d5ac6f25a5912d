"""Who reaches /scim/v2 (R11, R17, issue 14): an API token with the scope scim, and nobody
else — no session cookie, whatever the person's role, and no token without that scope. The
matrix: credentials (people by role, tokens by scopes) × SCIM operations. The other half,
a scim token reaching no GraphQL operation, is in tests/test_api_tokens.py (SCOPES)."""

from __future__ import annotations

import httpx
import pytest

from server.accounts import tokens
from server.accounts.models import Resource, Role, Scope
from server.api import ids
from server.app import create_app
from tests.factories import PASSWORD, make_org
from tests.scim import SCIM_JSON, Scim, scim_error, scim_token, user

# What each operation sends: method, path ($ID: a person of the organisation), body.
OPERATIONS = {
    "list": ("GET", "/Users", None),
    "search": (
        "POST",
        "/Users/.search",
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]},
    ),
    "read": ("GET", "/Users/$ID", None),
    "create": ("POST", "/Users", user("new@example.com")),
    "replace": ("PUT", "/Users/$ID", user("target@example.com", active=False)),
    "patch": (
        "PATCH",
        "/Users/$ID",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        },
    ),
    "delete": ("DELETE", "/Users/$ID", None),
    "schemas": ("GET", "/Schemas", None),
    "resourceTypes": ("GET", "/ResourceTypes", None),
}
# Tokens by their scopes; `scim` in any company reaches SCIM.
TOKENS = {
    "seats:read": [Scope.SEATS_READ],
    "seats:write": [Scope.SEATS_WRITE],
    "billing:read": [Scope.BILLING_READ],
    "every other scope": [Scope.SEATS_READ, Scope.SEATS_WRITE, Scope.BILLING_READ],
    "scim": [Scope.SCIM],
    "scim and seats:write": [Scope.SCIM, Scope.SEATS_WRITE],
}


@pytest.fixture
async def org(db):
    return await make_org(license_count=5)


@pytest.fixture
async def http(org, settings):
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def send(http, operation: str, target: Resource, headers: dict[str, str]):
    method, path, body = OPERATIONS[operation]
    path = path.replace("$ID", ids.encode(ids.RESOURCE, target.id))
    return await http.request(
        method,
        f"/scim/v2{path}",
        json=body,
        headers={"Content-Type": SCIM_JSON, **headers},
    )


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("credential", sorted(TOKENS))
async def test_r17_r11_each_scim_operation_for_each_token_scope(http, org, operation, credential):
    target = await org.add(access=True)
    await Resource.filter(id=target.id).update(email="target@example.com")
    token, _ = await tokens.create_api_token(
        org.id, "IdP", TOKENS[credential], created_by_id=org.admin.id
    )
    response = await send(http, operation, target, {"Authorization": f"Bearer {token}"})
    if Scope.SCIM in TOKENS[credential]:
        assert response.status_code in (200, 201, 204), response.text
    else:
        assert "scope scim" in scim_error(response, 403)
        after = await Resource.get(id=target.id)
        assert (after.active, after.login_access, after.deprovisioned_at) == (True, True, None)
        assert not await Resource.filter(email="new@example.com").exists()


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("role", [Role.ADMIN, Role.RESOURCE_MANAGER, Role.MEMBER])
async def test_r17_r11_no_person_reaches_scim_with_a_session_cookie(http, org, operation, role):
    target = await org.add(access=True)
    person = org.admin if role is Role.ADMIN else await org.add(role=role, password=PASSWORD)
    login = await http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ __typename } }",
            "variables": {"e": person.email, "p": PASSWORD},
        },
    )
    assert login.json()["data"]["login"]["__typename"] == "LoginSuccess"
    response = await send(http, operation, target, {})
    assert "scope scim" in scim_error(response, 401)
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert not await Resource.filter(email="new@example.com").exists()


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer seats_not-a-token", "Basic YWRhOnNlY3JldA==", "Bearer revoked"],
)
async def test_r17_r11_no_or_a_dead_token_is_401(http, org, authorization):
    target = await org.add(access=True)
    if authorization == "Bearer revoked":
        token, record = await tokens.create_api_token(
            org.id, "Old IdP", [Scope.SCIM], created_by_id=org.admin.id
        )
        await tokens.revoke_api_token(org.id, record.id)
        authorization = f"Bearer {token}"
    headers = {"Authorization": authorization} if authorization else {}
    for operation in OPERATIONS:
        response = await send(http, operation, target, headers)
        scim_error(response, 401)


async def test_r17_service_provider_config_needs_no_credential_and_declares_the_limits(http):
    """RFC 7643 §5: the configuration is open; it says what is supported, and the most
    results a page holds (filter.maxResults)."""
    response = await http.get("/scim/v2/ServiceProviderConfig")
    assert response.status_code == 200
    config = response.json()
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["patch"] == {"supported": True}
    assert config["bulk"]["supported"] is False
    assert config["sort"] == {"supported": False}
    assert config["etag"] == {"supported": False}
    assert config["changePassword"] == {"supported": False}
    assert [s["type"] for s in config["authenticationSchemes"]] == ["oauthbearertoken"]


async def test_r17_r12_a_token_sees_only_its_own_organisation(http, org):
    other = await make_org("Other", license_count=5)
    stranger = await other.add(access=True)
    mine = Scim(http, await scim_token(org))
    stranger_id = ids.encode(ids.RESOURCE, stranger.id)
    scim_error(await mine.get(f"/Users/{stranger_id}"), 404)
    scim_error(await mine.delete(f"/Users/{stranger_id}"), 404)
    patched = await mine.patch(
        f"/Users/{stranger_id}", {"op": "replace", "value": {"active": False}}
    )
    scim_error(patched, 404)
    listed = await mine.get("/Users", filter=f'userName eq "{stranger.email}"')
    assert listed.json()["totalResults"] == 0
    everyone = (await mine.get("/Users")).json()
    assert everyone["totalResults"] == 1  # the administrator
    after = await Resource.get(id=stranger.id)
    assert (after.active, after.login_access) == (True, True)
    # The same address in both organisations: each its own person (unique per organisation).
    made = await mine.create(stranger.email)
    assert made.status_code == 201, made.text
