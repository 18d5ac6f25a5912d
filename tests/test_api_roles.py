"""Who may give roles and passwords (R11, issue 10 item 1): only an administrator signed in
as a person. A resource manager, or an API token with whatever scopes, cannot create an
administrator (nor anyone who signs in with a password), and so cannot take the organisation
over. `setRole` changes a role, keeping an administrator who can sign in."""

from __future__ import annotations

import pytest

from server.accounts.models import Organization, Resource, Role
from server.api import ids
from server.errors import LicenseRequestPending
from server.licensing import services
from server.licensing.models import LicenseRequest
from tests.factories import MAXIMUM, PASSWORD, actor_for, error_codes, make_org
from tests.test_api_tokens import new_token

ADD = """mutation($input: AddResourceInput!) { addResource(input: $input,
  acceptLicenseIncrease: true) { __typename ... on AddResourceSuccess { resource { id role } }
  } }"""
SET_ROLE = """mutation($id: ID!, $role: Role!, $key: String) { setRole(resourceId: $id,
  role: $role, idempotencyKey: $key) { __typename ... on SetRoleSuccess { message
  resource { id role } } } }"""

# Who asks: a person by role, or a token by its scopes.
ACTORS = {
    "admin": ("person", Role.ADMIN),
    "resource manager": ("person", Role.RESOURCE_MANAGER),
    "token seats:write": ("token", ["SEATS_WRITE"]),
    "token seats:write billing:read": ("token", ["SEATS_WRITE", "BILLING_READ"]),
    "token every scope": ("token", ["SEATS_READ", "SEATS_WRITE", "BILLING_READ"]),
}


@pytest.fixture
async def org(client):
    made = await make_org(license_count=10)
    await client.login(made.admin.email)
    return made


# Those refused the licenses page altogether, for the mutations every other actor may call.
OTHER_ACTORS = {
    "member": ("person", Role.MEMBER),
    "token seats:read": ("token", ["SEATS_READ"]),
}


async def call_as(client, org, actor: str):
    """A function sending a GraphQL request as `actor` (signing in or making a token)."""
    kind, what = {**ACTORS, **OTHER_ACTORS}[actor]
    if kind == "token":
        token = (await new_token(client, *what))["token"]
        client.http.cookies.clear()

        async def send(query: str, **variables):
            response = await client.http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
            return response.json()

        return send
    if what is not Role.ADMIN:
        person = await org.add(role=what, password=PASSWORD)
        client.http.cookies.clear()
        await client.login(person.email)
    return client


@pytest.mark.parametrize("password", [None, "a new password 1"], ids=["no-password", "password"])
@pytest.mark.parametrize("role", [Role.MEMBER, Role.RESOURCE_MANAGER, Role.ADMIN])
@pytest.mark.parametrize("actor", sorted(ACTORS))
async def test_issue_10_item_1_r11_who_may_add_whom_with_what(client, org, actor, role, password):
    send = await call_as(client, org, actor)
    email = f"new-{actor.replace(' ', '-').replace(':', '')}@example.com"
    new = {"name": "New Person", "email": email, "role": role.value, "loginAccess": True}
    if password:
        new["password"] = password
    body = await send(ADD, input=new)
    allowed = actor == "admin" or (role is Role.MEMBER and password is None)
    if allowed:
        assert body["data"]["addResource"]["resource"]["role"] == role.value, body
        assert await Resource.filter(email=email).exists()
    else:
        assert error_codes(body) == ["FORBIDDEN"], body
        error = body["errors"][0]
        assert "administrator" in error["message"]
        assert not await Resource.filter(email=email).exists(), "R14: nothing written"


async def test_issue_10_item_1_r11_a_resource_manager_cannot_take_the_organisation_over(
    client, org
):
    """The attack as reported: a resource manager adds an administrator with a password,
    signs in as them and removes the real administrator's access. The first step is refused."""
    manager = await org.add(role=Role.RESOURCE_MANAGER, password=PASSWORD)
    client.http.cookies.clear()
    await client.login(manager.email)
    body = await client(
        ADD,
        input={
            "name": "Mallory",
            "email": "mallory@example.com",
            "role": "ADMIN",
            "loginAccess": True,
            "password": "mallory's password",
        },
    )
    assert error_codes(body) == ["FORBIDDEN"]
    client.http.cookies.clear()
    login = await client(
        'mutation { login(email: "mallory@example.com", password: "mallory\'s password") '
        "{ __typename } }"
    )
    assert login["data"]["login"]["__typename"] == "InvalidCredentials"
    admin = await Resource.get(id=org.admin.id)
    assert admin.login_access and admin.role is Role.ADMIN


@pytest.mark.parametrize("actor", sorted(ACTORS))
async def test_issue_10_item_1_r11_only_a_signed_in_admin_sets_a_role(client, org, actor):
    target = await org.add(access=True)
    send = await call_as(client, org, actor)
    body = await send(SET_ROLE, id=ids.encode(ids.RESOURCE, target.id), role="RESOURCE_MANAGER")
    after = await Resource.get(id=target.id)
    if actor == "admin":
        assert body["data"]["setRole"]["resource"] == {
            "id": ids.encode(ids.RESOURCE, target.id),
            "role": "RESOURCE_MANAGER",
        }
        assert after.role is Role.RESOURCE_MANAGER
    else:
        assert error_codes(body) == ["FORBIDDEN"], body
        assert after.role is Role.MEMBER


async def test_issue_10_item_1_r11_demoting_the_last_admin_is_refused(client, org):
    body = await client(
        SET_ROLE, id=ids.encode(ids.RESOURCE, org.admin.id), role="RESOURCE_MANAGER"
    )
    assert error_codes(body) == ["LAST_ADMIN"]
    assert (await Resource.get(id=org.admin.id)).role is Role.ADMIN
    # With a second administrator who can sign in, the first may step down.
    second = await org.add(role=Role.ADMIN, password=PASSWORD)
    body = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, org.admin.id), role="MEMBER")
    assert body["data"]["setRole"]["resource"]["role"] == "MEMBER"
    # Now the second one is the last.
    client.http.cookies.clear()
    await client.login(second.email)
    body = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, second.id), role="MEMBER")
    assert error_codes(body) == ["LAST_ADMIN"]


async def test_issue_10_item_1_r11_an_admin_without_login_access_does_not_count(client, org):
    locked_out = await org.add(role=Role.ADMIN, access=False)
    body = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, org.admin.id), role="MEMBER")
    assert error_codes(body) == ["LAST_ADMIN"]
    # Demoting the one who cannot sign in is fine.
    body = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, locked_out.id), role="MEMBER")
    assert body["data"]["setRole"]["resource"]["role"] == "MEMBER"


async def test_issue_10_item_1_r11_a_demotion_applies_on_the_next_request(
    client, other_client, org
):
    second = await org.add(role=Role.ADMIN, password=PASSWORD)
    await other_client.login(second.email)
    assert "errors" not in await other_client("{ plan { name } }")
    await client.data(SET_ROLE, id=ids.encode(ids.RESOURCE, second.id), role="RESOURCE_MANAGER")
    # Same session, next request: the new role, without signing in again.
    assert error_codes(await other_client("{ plan { name } }")) == ["FORBIDDEN"]
    me = await other_client.data("{ me { role } }")
    assert me["me"]["role"] == "RESOURCE_MANAGER"
    await client.data(SET_ROLE, id=ids.encode(ids.RESOURCE, second.id), role="MEMBER")
    assert error_codes(await other_client("{ seats { used } }")) == ["FORBIDDEN"]


async def test_issue_10_item_1_r13_set_role_is_idempotent(client, org):
    target = await org.add()
    first = await client.data(
        SET_ROLE, id=ids.encode(ids.RESOURCE, target.id), role="RESOURCE_MANAGER", key="k1"
    )
    # Changed in between by someone else; the retry answers as the first time.
    await client.data(SET_ROLE, id=ids.encode(ids.RESOURCE, target.id), role="MEMBER")
    again = await client.data(
        SET_ROLE, id=ids.encode(ids.RESOURCE, target.id), role="RESOURCE_MANAGER", key="k1"
    )
    assert again == first
    assert (await Resource.get(id=target.id)).role is Role.MEMBER
    reused = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, target.id), role="ADMIN", key="k1")
    assert error_codes(reused) == ["IDEMPOTENCY_KEY_REUSED"]


async def test_issue_10_item_1_r12_set_role_on_a_foreign_person_is_not_found(client, org):
    other = await make_org("Other")
    body = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, other.admin.id), role="MEMBER")
    assert error_codes(body) == ["NOT_FOUND"]
    assert (await Resource.get(id=other.admin.id)).role is Role.ADMIN


UPDATE = """mutation($id: ID!, $input: UpdateResourceInput!) { updateResource(resourceId: $id,
  input: $input) { __typename ... on UpdateResourceSuccess { resource { name email } } } }"""


@pytest.mark.parametrize("actor", sorted({**ACTORS, **OTHER_ACTORS}))
async def test_issue_12_r11_who_may_change_a_name_and_address(client, org, actor):
    """R11: `updateResource` is a change of people like the others: administrators, resource
    managers and tokens with seats:write may; members and read-only tokens are FORBIDDEN."""
    target = await org.add(access=True)
    send = await call_as(client, org, actor)
    new = {"name": "Renamed Person", "email": f"renamed-{target.id}@example.com"}
    body = await send(UPDATE, id=ids.encode(ids.RESOURCE, target.id), input=new)
    after = await Resource.get(id=target.id)
    if actor in ACTORS:
        assert body["data"]["updateResource"]["resource"] == new, body
        assert (after.name, after.email) == (new["name"], new["email"])
    else:
        assert error_codes(body) == ["FORBIDDEN"], body
        assert (after.name, after.email) == (target.name, target.email), "R14: nothing written"


@pytest.mark.parametrize("actor", sorted(ACTORS))
async def test_issue_12_r11_only_a_signed_in_admin_changes_the_address_of_who_signs_in(
    client, org, actor
):
    """R11: the address an administrator signs in with is changed by a signed-in administrator
    only; a resource manager or a token gets FORBIDDEN and nothing is written (they may still
    rename them, and change the address of a member without a password)."""
    target = await org.add(role=Role.ADMIN, password=PASSWORD)
    send = await call_as(client, org, actor)
    new = {"email": f"taken-over-{target.id}@example.com"}
    body = await send(UPDATE, id=ids.encode(ids.RESOURCE, target.id), input=new)
    after = await Resource.get(id=target.id)
    if actor == "admin":
        assert body["data"]["updateResource"]["resource"]["email"] == new["email"], body
    else:
        assert error_codes(body) == ["FORBIDDEN"], body
        assert after.email == target.email, "R14: nothing written"
        renamed = await send(
            UPDATE, id=ids.encode(ids.RESOURCE, target.id), input={"name": "Renamed Admin"}
        )
        assert renamed["data"]["updateResource"]["resource"]["name"] == "Renamed Admin"


async def test_issue_12_r11_set_role_says_the_role_in_words(client, org):
    """The answer of setRole is shown as it is on the person's page: a role in words."""
    target = await org.add(access=True)
    body = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, target.id), role="RESOURCE_MANAGER")
    assert body["data"]["setRole"]["message"] == f"{target.name} is now a resource manager."
    body = await client(SET_ROLE, id=ids.encode(ids.RESOURCE, target.id), role="RESOURCE_MANAGER")
    assert body["data"]["setRole"]["message"] == (
        f"Nothing to change: {target.name} is already a resource manager."
    )


# --- R16: the license policy and license requests ------------------------------------------

POLICY = "{ licensePolicy { mode maxLicenseCount } }"
REQUESTS = "{ licenseRequests { id name } }"
SET_POLICY = """mutation { setLicensePolicy(mode: UP_TO_CAP, maxLicenseCount: 50)
  { __typename } }"""
APPROVE = """mutation($id: ID!) { approveLicenseRequest(id: $id) { __typename } }"""
DECLINE = """mutation($id: ID!) { declineLicenseRequest(id: $id) { __typename } }"""


async def pending_request(org) -> str:
    """A license request of the organisation, made as a resource manager's would be."""
    manager = await org.add(role=Role.RESOURCE_MANAGER)
    await services.set_license_count(org.actor, (await org.refresh()).used, maximum=MAXIMUM)
    waiting = await org.add(access=False)
    with pytest.raises(LicenseRequestPending):
        await services.toggle_access(
            actor_for(manager), waiting.id, True, accept_increase=True, maximum=MAXIMUM
        )
    request = await LicenseRequest.get(organization_id=org.id)
    return ids.encode(ids.LICENSE_REQUEST, request.id)


@pytest.mark.parametrize("actor", sorted({**ACTORS, **OTHER_ACTORS}))
async def test_r16_r11_who_may_read_set_and_decide(client, org, actor):
    request_id = await pending_request(org)
    send = await call_as(client, org, actor)
    readers = {"admin", "resource manager", "token every scope", "token seats:read"}
    for query in (POLICY, REQUESTS):
        body = await send(query)
        if actor in readers:
            assert "errors" not in body, body
        else:
            assert error_codes(body) == ["FORBIDDEN"], body
    deciders = {"admin"}
    for mutation, variables in ((SET_POLICY, {}), (DECLINE, {"id": request_id})):
        body = await send(mutation, **variables)
        if actor in deciders:
            assert "errors" not in body, body
        else:
            assert error_codes(body) == ["FORBIDDEN"], body
    body = await send(APPROVE, id=request_id)
    if actor in deciders:
        # Declined just above: no longer pending.
        assert error_codes(body) == ["BAD_USER_INPUT"], body
    else:
        assert error_codes(body) == ["FORBIDDEN"], body


UNUSED = "{ unusedLicenses { totalCount unusedAfterDays } }"
SET_UNUSED_AFTER = """mutation { setUnusedAfterDays(days: 60) {
  ... on SetUnusedAfterDaysSuccess { unusedAfterDays } } }"""
# Who reads the unused licenses: whoever reads the licenses page (R11).
READS_THE_LICENSES_PAGE = {"admin", "resource manager", "token seats:read", "token every scope"}


@pytest.mark.parametrize("actor", sorted({**ACTORS, **OTHER_ACTORS}))
async def test_issue_15_unused_licences_r11_who_reads_them(client, org, actor):
    """issue 15: unused licences, R11: administrators, resource managers and tokens with
    seats:read see them; members and tokens without seats:read are FORBIDDEN."""
    send = await call_as(client, org, actor)
    body = await send(UNUSED)
    if actor in READS_THE_LICENSES_PAGE:
        assert body["data"]["unusedLicenses"]["unusedAfterDays"] == 30, body
    else:
        assert error_codes(body) == ["FORBIDDEN"], body
        assert body["data"] is None


@pytest.mark.parametrize("actor", sorted({**ACTORS, **OTHER_ACTORS}))
async def test_issue_15_unused_licences_r11_only_a_signed_in_admin_sets_n(client, org, actor):
    """issue 15: unused licences, R11: N is the organisation's setting, chosen by an
    administrator signed in; anyone else (a token, whatever its scopes) is FORBIDDEN and
    nothing changes."""
    send = await call_as(client, org, actor)
    body = await send(SET_UNUSED_AFTER)
    kept = (await Organization.get(id=org.id)).unused_after_days
    if actor == "admin":
        assert body["data"]["setUnusedAfterDays"] == {"unusedAfterDays": 60}, body
        assert kept == 60
    else:
        assert error_codes(body) == ["FORBIDDEN"], body
        assert "administrator" in body["errors"][0]["message"]
        assert kept == 30, "R14: nothing written"
