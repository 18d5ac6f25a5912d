"""API tokens for integrations (R11): created once, stored hashed, scoped on every field and
mutation; and what each role may do."""

from __future__ import annotations

import hashlib

import pytest

from server.accounts.models import ApiToken, Role, Scope
from server.api import ids
from tests.factories import PASSWORD, error_codes, make_org

CREATE = """mutation($name: String!, $scopes: [Scope!]!) { createApiToken(name: $name,
  scopes: $scopes) { ... on CreateApiTokenSuccess { token apiToken { id name prefix scopes
  createdAt lastUsedAt revokedAt } } } }"""

# Every operation, with the scope a token needs and who among people may (R11).
OPERATIONS = {
    "seats": ("{ seats { used } }", "SEATS_READ", "manager"),
    "resources": ("{ resources { totalCount } }", "SEATS_READ", "manager"),
    "resource": ('{ resource(id: "$ID") { id } }', "SEATS_READ", "manager"),
    "history": ("{ history { edges { node { id } } } }", "SEATS_READ", "manager"),
    "seatUsage": ("{ seatUsage { used } }", "SEATS_READ", "manager"),
    "plan": ("{ plan { name } }", "BILLING_READ", "admin"),
    "subscriptions": ("{ subscriptions { name } }", "BILLING_READ", "admin"),
    "nextInvoice": ("{ nextInvoice { total } }", "BILLING_READ", "admin"),
    "invoices": ("{ invoices { edges { cursor } } }", "BILLING_READ", "admin"),
    "apiTokens": ("{ apiTokens { id } }", None, "admin"),
    "setLicenseCount": (
        "mutation { setLicenseCount(count: 9) { __typename } }",
        "SEATS_WRITE",
        "manager",
    ),
    "toggleAccess": (
        'mutation { toggleAccess(resourceId: "$ID", enabled: false) { __typename } }',
        "SEATS_WRITE",
        "manager",
    ),
    "addResource": (
        'mutation { addResource(input: {name: "N", email: "n$N@example.com"}) { __typename } }',
        "SEATS_WRITE",
        "manager",
    ),
    "terminate": (
        'mutation { terminate(resourceId: "$ID", lastWorkDay: "2026-01-05") { __typename } }',
        "SEATS_WRITE",
        "manager",
    ),
    "cancelTermination": (
        'mutation { cancelTermination(resourceId: "$ID") { __typename } }',
        "SEATS_WRITE",
        "manager",
    ),
    "reactivate": (
        'mutation { reactivate(resourceId: "$ID") { __typename } }',
        "SEATS_WRITE",
        "manager",
    ),
    # Issue 15: bulk changes, as the single changes they are made of.
    "bulkChangePreview": (
        '{ bulkChangePreview(action: REMOVE_ACCESS, resourceIds: ["$ID"]) { changedCount } }',
        "SEATS_WRITE",
        "manager",
    ),
    "bulkSetAccess": (
        'mutation { bulkSetAccess(resourceIds: ["$ID"], enabled: false) { __typename } }',
        "SEATS_WRITE",
        "manager",
    ),
    "bulkTerminate": (
        'mutation { bulkTerminate(resourceIds: ["$ID"], lastWorkDay: "2026-01-05") '
        "{ __typename } }",
        "SEATS_WRITE",
        "manager",
    ),
    "setRole": (
        'mutation { setRole(resourceId: "$ID", role: MEMBER) { __typename } }',
        None,
        "admin",
    ),
    "createApiToken": (
        'mutation { createApiToken(name: "x", scopes: [SEATS_READ]) { __typename } }',
        None,
        "admin",
    ),
    "revokeApiToken": ('mutation { revokeApiToken(id: "$TOKEN") { __typename } }', None, "admin"),
    "provisioning": ("{ provisioning { deactivation } }", None, "admin"),
    "setProvisioningDeactivation": (
        "mutation { setProvisioningDeactivation(deactivation: REMOVE_ACCESS) { __typename } }",
        None,
        "admin",
    ),
    # Issue 15: webhook endpoints, for signed-in administrators only ($HOOK names none of the
    # organisation's: an administrator gets NOT_FOUND, anyone else FORBIDDEN).
    "webhookEndpoints": ("{ webhookEndpoints { id } }", None, "admin"),
    "webhookDeliveries": ('{ webhookDeliveries(endpointId: "$HOOK") { id } }', None, "admin"),
    "createWebhookEndpoint": (
        'mutation { createWebhookEndpoint(input: {url: "https://93.184.216.34/h", '
        "events: [LICENSE_COUNT_CHANGED]}) { __typename } }",
        None,
        "admin",
    ),
    "updateWebhookEndpoint": (
        'mutation { updateWebhookEndpoint(id: "$HOOK", input: {enabled: false}) { __typename } }',
        None,
        "admin",
    ),
    "rotateWebhookSecret": (
        'mutation { rotateWebhookSecret(id: "$HOOK") { __typename } }',
        None,
        "admin",
    ),
    "deleteWebhookEndpoint": (
        'mutation { deleteWebhookEndpoint(id: "$HOOK") { __typename } }',
        None,
        "admin",
    ),
    "resendWebhookDelivery": (
        'mutation { resendWebhookDelivery(id: "$DELIVERY") { __typename } }',
        None,
        "admin",
    ),
}
HOOK = ids.encode(ids.WEBHOOK_ENDPOINT, 999_999)
DELIVERY = ids.encode(ids.WEBHOOK_DELIVERY, 999_999)
# SCIM (R17) reaches no GraphQL operation: only /scim/v2 (tests/test_scim_auth.py).
SCOPES = ["SEATS_READ", "SEATS_WRITE", "BILLING_READ", "SCIM"]


@pytest.fixture
async def org(client):
    made = await make_org(license_count=10)
    await client.login(made.admin.email)
    return made


async def new_token(client, *scopes: str, name: str = "HR sync") -> dict:
    data = await client.data(CREATE, name=name, scopes=list(scopes))
    return data["createApiToken"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def as_token(client, token: str, query: str) -> dict:
    response = await client.http.post("/graphql", json={"query": query}, headers=bearer(token))
    return response.json()


async def test_r11_a_token_is_shown_once_and_stored_as_a_hash(client, org):
    created = await new_token(client, "SEATS_READ")
    token = created["token"]
    assert token.startswith("seats_")
    assert len(token) >= len("seats_") + 43  # 256 random bits, base64url
    assert created["apiToken"]["prefix"] == token[:10]
    stored = await ApiToken.get(id=ids.decode(created["apiToken"]["id"], ids.API_TOKEN, "id"))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(await ApiToken.all().values())
    listed = await client.data("{ apiTokens { name prefix scopes } }")
    assert listed["apiTokens"] == [
        {"name": "HR sync", "prefix": token[:10], "scopes": ["SEATS_READ"]}
    ]
    assert "token" not in str(listed)


async def test_r11_an_integration_reads_seats_with_a_bearer_token(client, org):
    token = (await new_token(client, "SEATS_READ"))["token"]
    client.http.cookies.clear()
    body = await as_token(client, token, "{ seats { licenseCount used available } me { id } }")
    assert body["data"] == {"seats": {"licenseCount": 10, "used": 1, "available": 9}, "me": None}
    listed = await ApiToken.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
    assert listed.last_used_at is not None


async def test_r8_history_names_the_token_as_the_actor(client, org):
    created = await new_token(client, "SEATS_WRITE", "SEATS_READ", name="Finance")
    body = await as_token(
        client, created["token"], "mutation { setLicenseCount(count: 12) { __typename } }"
    )
    assert body["data"]["setLicenseCount"]["__typename"] == "SetLicenseCountSuccess"
    history = await client.data(
        "{ history(first: 1) { edges { node { actor { name apiToken { id } resource { id } } "
        "} } } }"
    )
    actor = history["history"]["edges"][0]["node"]["actor"]
    assert actor == {
        "name": "API token “Finance”",
        "apiToken": {"id": created["apiToken"]["id"]},
        "resource": None,
    }


async def test_r11_a_revoked_token_stops_working_at_once(client, org):
    created = await new_token(client, "SEATS_READ")
    revoked = await client.data(
        "mutation($id: ID!) { revokeApiToken(id: $id) { ... on RevokeApiTokenSuccess "
        "{ apiToken { revokedAt } } } }",
        id=created["apiToken"]["id"],
    )
    assert revoked["revokeApiToken"]["apiToken"]["revokedAt"] is not None
    body = await as_token(client, created["token"], "{ seats { used } }")
    assert error_codes(body) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("token", ["seats_forged", "garbage", ""])
async def test_r11_an_unknown_token_is_unauthenticated(client, org, token):
    client.http.cookies.clear()
    body = await as_token(client, token, "{ seats { used } }")
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_r12_a_token_sees_only_its_organisation(client, org):
    token = (await new_token(client, "SEATS_READ", "SEATS_WRITE"))["token"]
    other = await make_org("Other", license_count=3)
    foreign = ids.encode(ids.RESOURCE, (await other.add("Their Person")).id)
    body = await as_token(client, token, f'{{ resource(id: "{foreign}") {{ name }} }}')
    assert error_codes(body) == ["NOT_FOUND"]
    body = await as_token(
        client,
        token,
        f'mutation {{ toggleAccess(resourceId: "{foreign}", enabled: false) {{ __typename }} }}',
    )
    assert error_codes(body) == ["NOT_FOUND"]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_r11_each_operation_for_each_token_scope(client, org, operation, scope):
    query, needed, _ = OPERATIONS[operation]
    target = await org.add(access=False)
    token = (await new_token(client, scope))["token"]
    other_token = (await new_token(client, "SEATS_READ", name="other"))["apiToken"]["id"]
    query = (
        query.replace("$ID", ids.encode(ids.RESOURCE, target.id))
        .replace("$TOKEN", other_token)
        .replace("$N", scope)
        .replace("$HOOK", HOOK)
        .replace("$DELIVERY", DELIVERY)
    )
    body = await as_token(client, token, query)
    codes = error_codes(body)
    if scope == needed:
        assert "FORBIDDEN" not in codes and "UNAUTHENTICATED" not in codes, body
    else:
        assert codes == ["FORBIDDEN"], body


@pytest.mark.parametrize("role", [Role.ADMIN, Role.RESOURCE_MANAGER, Role.MEMBER])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_r11_each_operation_for_each_role(client, org, operation, role):
    query, _, who = OPERATIONS[operation]
    target = await org.add(access=False)
    token_id = (await new_token(client, "SEATS_READ"))["apiToken"]["id"]
    person = await org.add(role=role, password=PASSWORD)
    client.http.cookies.clear()
    await client.login(person.email)
    query = (
        query.replace("$ID", ids.encode(ids.RESOURCE, target.id))
        .replace("$TOKEN", token_id)
        .replace("$N", role.value)
        .replace("$HOOK", HOOK)
        .replace("$DELIVERY", DELIVERY)
    )
    body = await client(query)
    allowed = role is Role.ADMIN or (who == "manager" and role is Role.RESOURCE_MANAGER)
    codes = error_codes(body)
    if allowed:
        assert "FORBIDDEN" not in codes and "UNAUTHENTICATED" not in codes, body
    else:
        assert codes == ["FORBIDDEN"], body


async def test_r11_tokens_cannot_manage_tokens_even_with_every_scope(client, org):
    token = (await new_token(client, *SCOPES))["token"]
    body = await as_token(client, token, OPERATIONS["createApiToken"][0])
    assert error_codes(body) == ["FORBIDDEN"]


@pytest.mark.parametrize("role", list(Role))
async def test_r11_me_says_who_may_manage_tokens_as_the_server_decides(client, org, role):
    """R11: `me.canManageApiTokens` is true exactly for the people `apiTokens` answers."""
    person = await org.add(role=role, password=PASSWORD)
    client.http.cookies.clear()
    await client.login(person.email)
    me = await client.data("{ me { canManageApiTokens } }")
    body = await client("{ apiTokens { id } }")
    assert me["me"]["canManageApiTokens"] is (role is Role.ADMIN)
    assert ("FORBIDDEN" not in error_codes(body)) is me["me"]["canManageApiTokens"], body


@pytest.mark.parametrize(
    ("name", "scopes"), [("", ["SEATS_READ"]), ("x" * 101, ["SEATS_READ"]), ("ok", [])]
)
async def test_r14_a_token_needs_a_name_and_a_scope(client, org, name, scopes):
    body = await client(CREATE, name=name, scopes=scopes)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert await ApiToken.all().count() == 0


async def test_r11_history_csv_takes_a_token_with_seats_read(client, org):
    token = (await new_token(client, "SEATS_READ"))["token"]
    billing = (await new_token(client, "BILLING_READ", name="billing"))["token"]
    client.http.cookies.clear()
    ok = await client.http.get("/history.csv", headers=bearer(token))
    assert ok.status_code == 200 and "INITIAL" in ok.text
    refused = await client.http.get("/history.csv", headers=bearer(billing))
    assert refused.status_code == 403


async def test_a_tokens_last_use_is_written_at_most_once_a_minute(db):
    """A token's requests are reads: its last use is written when a minute has passed since
    the one written, not on every request (the same rule as a person's activity, R19)."""
    from datetime import UTC, datetime, timedelta

    from server.accounts import tokens

    org = await make_org()
    secret, _ = await tokens.create_api_token(
        org.id, "CI", [Scope.SEATS_READ], created_by_id=org.admin.id
    )
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    written = []
    for seconds in (0, 30, 59, 60, 61):
        await tokens.token_for(secret, now=start + timedelta(seconds=seconds))
        written.append((await ApiToken.get(organization_id=org.id)).last_used_at)
    first, at_a_minute = start, start + timedelta(seconds=60)
    assert written == [first, first, first, at_a_minute, at_a_minute]
