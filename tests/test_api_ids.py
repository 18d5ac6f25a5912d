"""Issue 10 item 11: the API's ids are opaque and typed (R12, R14).

Every id is made and read by server/api/ids.py: it names a kind of object and a row. An id of
another kind — even one with the same database key, as a person and an API token often have —
a malformed one, or one of another organisation is answered NOT_FOUND exactly like a missing
one, with the argument in `extensions.field`, and changes nothing.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tortoise import connections

from server.accounts.models import ApiToken, Resource
from server.api import ids
from server.billing.services import issue_due_invoices
from server.errors import NotFound
from tests.factories import assert_invariants, make_org

APRIL_10 = datetime(2026, 4, 10, 9, tzinfo=UTC)
KINDS = sorted(ids.NAMES)

CREATE_TOKEN = """mutation { createApiToken(name: "HR sync", scopes: [SEATS_READ]) {
  ... on CreateApiTokenSuccess { token apiToken { id } } } }"""
REVOKE = """mutation($id: ID!) { revokeApiToken(id: $id) {
  ... on RevokeApiTokenSuccess { apiToken { id revokedAt } } } }"""
SEATS = "{ seats { licenseCount used } }"
ALL_IDS = """{ me { id organization { id } }
  resources(status: ALL) { edges { node { id email } } }
  history { edges { node { id actor { apiToken { id } } } } }
  apiTokens { id }
  subscriptions { id }
  invoices { edges { node { id lines { change { id } } } } } }"""

# Every argument that takes a person's id, with the argument's name.
RESOURCE_ARGUMENTS = {
    "resource": ("query($id: ID!) { resource(id: $id) { id } }", "id"),
    "toggleAccess": (
        "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: false) { __typename } }",
        "resourceId",
    ),
    "toggleAccess on": (
        "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true, "
        "acceptLicenseIncrease: true) { __typename } }",
        "resourceId",
    ),
    "terminate": (
        'mutation($id: ID!) { terminate(resourceId: $id, lastWorkDay: "2026-04-10") '
        "{ __typename } }",
        "resourceId",
    ),
    "terminate later": (
        'mutation($id: ID!) { terminate(resourceId: $id, lastWorkDay: "2099-01-01") '
        "{ __typename } }",
        "resourceId",
    ),
    "cancelTermination": (
        "mutation($id: ID!) { cancelTermination(resourceId: $id) { __typename } }",
        "resourceId",
    ),
    "reactivate": (
        "mutation($id: ID!) { reactivate(resourceId: $id) { __typename } }",
        "resourceId",
    ),
    "setRole": (
        "mutation($id: ID!) { setRole(resourceId: $id, role: RESOURCE_MANAGER) { __typename } }",
        "resourceId",
    ),
}
ARGUMENTS = {**RESOURCE_ARGUMENTS, "revokeApiToken": (REVOKE, "id")}
KIND_OF = {name: ids.API_TOKEN if name == "revokeApiToken" else ids.RESOURCE for name in ARGUMENTS}


def _b64(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def malformed(valid: str) -> list[str]:
    """Strings that are no id this API gives out, around the valid id `valid`."""
    values = [
        "",
        "1",
        "42",
        "-1",
        " ",
        valid + "=",  # padded
        valid + "==",
        valid + "A",
        valid.lower(),
        " " + valid,
        valid[:-1] + "+",  # the other base64 alphabet
        valid[:-1] + "/",
        valid[:-1] + ".",
        "Resource:1",  # not encoded
        _b64("Resource:0"),
        _b64("Resource:-1"),
        _b64("Resource:01"),
        _b64("Resource:+1"),
        _b64("Resource: 1"),
        _b64("Resource:1 "),
        _b64("Resource:1:1"),
        _b64("Resource:"),
        _b64("resource:1"),
        _b64("Resource:2147483648"),
        _b64("Resource:99999999999999999999"),
        _b64("Resource:١"),  # a digit, but not an ASCII one
        _b64(b"Resource:\xff"),
        _b64("Nothing:1"),
        "é" * 10,
        "A" * (ids.MAX_LENGTH + 1),
        "A" * 200_000,
    ]
    assert valid not in values
    return values


@pytest.fixture
async def org(client):
    made = await make_org(license_count=10, now=APRIL_10)
    await client.login(made.admin.email)
    return made


async def new_token(client) -> tuple[str, str]:
    """A new API token: (the token, its id)."""
    created = (await client.data(CREATE_TOKEN))["createApiToken"]
    return created["token"], created["apiToken"]["id"]


async def works(client, token: str) -> bool:
    response = await client.http.post(
        "/graphql", json={"query": SEATS}, headers={"Authorization": f"Bearer {token}"}
    )
    return "errors" not in response.json()


async def share_key(client, key: int) -> str:
    """The organisation's one API token given the database key `key` (a person's), as on a
    fresh database where the first person and the first token both have key 1; returns the
    token's id as the API now gives it."""
    (token,) = await ApiToken.all()
    if token.id != key:
        conn = connections.get("default")
        await conn.execute_script(f"UPDATE api_token SET id = {int(key)} WHERE id = {token.id}")
    (listed,) = (await client.data("{ apiTokens { id } }"))["apiTokens"]
    return listed["id"]


def not_found(body: dict, field: str, kind: str) -> None:
    """Assert the answer is the one a missing object of `kind` gets, for `field`."""
    assert body["data"] is None, body
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (ids.not_found_message(kind), {"code": "NOT_FOUND", "field": field})
    ], body


async def test_issue_10_item_11_r12_revoke_api_token_with_a_persons_id_is_not_found(client, org):
    """Issue 10 item 11, R12: `revokeApiToken` given the id of a person whose database key is
    the token's answers NOT_FOUND like a missing token, and the token keeps working. (Before,
    ids were the bare keys: it revoked the token.)"""
    token, _ = await new_token(client)
    token_id = await share_key(client, org.admin.id)
    me = (await client.data("{ me { id } }"))["me"]["id"]

    body = await client(REVOKE, id=me)
    assert await works(client, token)
    assert (await ApiToken.get(id=org.admin.id)).revoked_at is None
    not_found(body, "id", ids.API_TOKEN)
    assert body == await client(REVOKE, id=ids.encode(ids.API_TOKEN, 999_999))
    assert ids.decode(me, ids.RESOURCE, "id") == org.admin.id

    # Its own id still revokes it.
    revoked = (await client.data(REVOKE, id=token_id))["revokeApiToken"]["apiToken"]
    assert revoked["id"] == token_id and revoked["revokedAt"] is not None
    assert not await works(client, token)


async def test_issue_10_item_11_r12_a_persons_id_is_a_resource_and_nothing_else(client, org):
    """Issue 10 item 11, R12: a token's id given where a person's is taken is NOT_FOUND, even
    when a person of the organisation has the token's key."""
    await new_token(client)
    token_id = await share_key(client, org.admin.id)
    me = (await client.data("{ me { id } }"))["me"]["id"]
    body = await client("query($id: ID!) { resource(id: $id) { name } }", id=token_id)
    not_found(body, "id", ids.RESOURCE)
    mine = await client.data("query($id: ID!) { resource(id: $id) { name } }", id=me)
    assert mine == {"resource": {"name": org.admin.name}}


@pytest.mark.parametrize("operation", sorted(ARGUMENTS))
async def test_issue_10_item_11_r12_every_id_argument_refuses_an_id_of_another_kind(
    client, org, operation
):
    """Issue 10 item 11, R12, R14: each id argument answers an id of any other kind — made
    from the key of a real target, or given out by the API for another object — as it answers
    a missing one, and nothing changes."""
    query, field = ARGUMENTS[operation]
    kind = KIND_OF[operation]
    person = await org.add("Target Person", access=True)
    token, token_id = await new_token(client)
    await issue_due_invoices(datetime(2026, 5, 1, 1, tzinfo=UTC))
    given_out = await client.data(ALL_IDS)
    target = ids.decode(token_id, ids.API_TOKEN, "id") if kind == ids.API_TOKEN else person.id
    others = [ids.encode(other, target) for other in KINDS if other != kind]
    others += [
        given_out["me"]["organization"]["id"],
        *(edge["node"]["id"] for edge in given_out["history"]["edges"]),
        *(s["id"] for s in given_out["subscriptions"]),
        *(edge["node"]["id"] for edge in given_out["invoices"]["edges"]),
    ]
    if kind == ids.API_TOKEN:
        others += [given_out["me"]["id"]]
        others += [edge["node"]["id"] for edge in given_out["resources"]["edges"]]
    else:
        others += [t["id"] for t in given_out["apiTokens"]]
    assert given_out["invoices"]["edges"], "an issued invoice gives an invoice id"
    missing = await client(query, id=ids.encode(kind, 999_999))
    not_found(missing, field, kind)
    before_person = await Resource.get(id=person.id).values()
    before_seats = await client.data(SEATS)
    for other in others:
        assert await client(query, id=other) == missing, other
    assert await Resource.get(id=person.id).values() == before_person
    assert await client.data(SEATS) == before_seats
    assert await works(client, token)
    await assert_invariants(org.id)


@pytest.mark.parametrize("operation", sorted(ARGUMENTS))
async def test_issue_10_item_11_r14_a_malformed_or_huge_id_is_not_found(client, org, operation):
    """Issue 10 item 11, R14: every id argument answers a malformed, non-canonical,
    out-of-range or oversized id NOT_FOUND for that argument, like a missing one."""
    query, field = ARGUMENTS[operation]
    kind = KIND_OF[operation]
    person = await org.add("Target Person", access=True)
    token, token_id = await new_token(client)
    missing = await client(query, id=ids.encode(kind, 999_999))
    not_found(missing, field, kind)
    valid = token_id if kind == ids.API_TOKEN else ids.encode(ids.RESOURCE, person.id)
    for value in malformed(valid):
        assert await client(query, id=value) == missing, value[:50]
    assert await works(client, token)
    assert (await Resource.get(id=person.id)).login_access
    await assert_invariants(org.id)


async def test_issue_10_item_11_r12_a_foreign_organisations_ids_are_missing(client, org):
    """Issue 10 item 11, R12: well-formed ids of another organisation's person and token are
    answered exactly like missing ones."""
    other = await make_org("Other", license_count=3, now=APRIL_10)
    foreign_person = await other.add("Their Person")
    client.http.cookies.clear()
    await client.login(other.admin.email)
    foreign_token, foreign_token_id = await new_token(client)
    client.http.cookies.clear()
    await client.login(org.admin.email)
    for operation, (query, field) in ARGUMENTS.items():
        kind = KIND_OF[operation]
        foreign = foreign_token_id if kind == ids.API_TOKEN else ids.encode(kind, foreign_person.id)
        body = await client(query, id=foreign)
        not_found(body, field, kind)
        assert body == await client(query, id=ids.encode(kind, 999_999)), operation
    assert await works(client, foreign_token)
    await assert_invariants(other.id)


async def test_issue_10_item_11_every_id_the_api_gives_is_typed_and_round_trips(client, org):
    """Issue 10 item 11: every id in answers is opaque (no bare number) and decodes, as the
    kind of object it is given for, to that object's key."""
    person = await org.add("Target Person")
    _, token_id = await new_token(client)
    await client.data("mutation { setLicenseCount(count: 12) { __typename } }")
    await issue_due_invoices(datetime(2026, 5, 1, 1, tzinfo=UTC))
    data = await client.data(ALL_IDS)
    people = {edge["node"]["email"]: edge["node"]["id"] for edge in data["resources"]["edges"]}
    assert ids.decode(people[person.email], ids.RESOURCE, "id") == person.id
    assert ids.decode(data["me"]["id"], ids.RESOURCE, "id") == org.admin.id
    assert data["me"]["id"] == people[org.admin.email]
    assert ids.decode(data["me"]["organization"]["id"], ids.ORGANIZATION, "id") == org.id
    assert [t["id"] for t in data["apiTokens"]] == [token_id]
    by_kind = {
        ids.RESOURCE: list(people.values()),
        ids.ORGANIZATION: [data["me"]["organization"]["id"]],
        ids.API_TOKEN: [token_id],
        ids.LICENSE_CHANGE: [edge["node"]["id"] for edge in data["history"]["edges"]],
        ids.SUBSCRIPTION: [s["id"] for s in data["subscriptions"]],
        ids.INVOICE: [edge["node"]["id"] for edge in data["invoices"]["edges"]],
    }
    assert all(by_kind.values()), by_kind
    for kind, values in by_kind.items():
        for value in values:
            assert not value.isdigit(), value
            key = ids.decode(value, kind, "id")
            assert ids.encode(kind, key) == value
            for other in KINDS:
                if other != kind:
                    with pytest.raises(NotFound):
                        ids.decode(value, other, "id")
    # An invoice line names its history row by the history's own id.
    lines = [
        line["change"]["id"]
        for edge in data["invoices"]["edges"]
        for line in edge["node"]["lines"]
        if line["change"]
    ]
    assert lines and set(lines) <= set(by_kind[ids.LICENSE_CHANGE])


def test_issue_10_item_11_the_documented_encoding():
    """Issue 10 item 11: the encoding is the documented one, base64url of `Kind:key` without
    padding, and the longest id fits the length limit."""
    assert ids.encode(ids.RESOURCE, 42) == "UmVzb3VyY2U6NDI" == _b64("Resource:42")
    assert ids.encode(ids.API_TOKEN, 42) == _b64("ApiToken:42")
    longest = max((ids.encode(kind, ids.MAX_KEY) for kind in KINDS), key=len)
    assert len(longest) == ids.MAX_LENGTH
    assert ids.decode(longest, max(KINDS, key=len), "id") == ids.MAX_KEY
    for bad in (0, -1, ids.MAX_KEY + 1):
        with pytest.raises(ValueError):
            ids.encode(ids.RESOURCE, bad)
    with pytest.raises(ValueError):
        ids.encode("Nothing", 1)


@pytest.mark.parametrize("kind", KINDS)
@given(key=st.integers(min_value=1, max_value=ids.MAX_KEY))
def test_issue_10_item_11_round_trip(kind, key):
    """Issue 10 item 11: every key of every kind comes back from its id, and only as that
    kind."""
    value = ids.encode(kind, key)
    assert ids.decode(value, kind, "id") == key
    assert len(value) <= ids.MAX_LENGTH
    for other in KINDS:
        if other != kind:
            with pytest.raises(NotFound):
                ids.decode(value, other, "x")


@given(value=st.one_of(st.text(max_size=60), st.text(alphabet="AZaz09-_=", max_size=60)))
def test_issue_10_item_11_r14_any_string_is_a_key_or_not_found(value):
    """Issue 10 item 11, R14: decoding any string gives the key of the one id it is, or
    NotFound for the argument; never another error."""
    try:
        key = ids.decode(value, ids.RESOURCE, "resourceId")
    except NotFound as error:
        assert error.extensions == {"code": "NOT_FOUND", "field": "resourceId"}
    else:
        assert ids.encode(ids.RESOURCE, key) == value


def test_issue_10_item_11_r14_an_oversized_id_is_refused_unread(monkeypatch):
    """Issue 10 item 11, R14: input longer than any id is refused before it is decoded."""

    def unread(*_args, **_kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(ids.base64, "urlsafe_b64decode", unread)
    for value in ("A" * (ids.MAX_LENGTH + 1), "A" * 1_000_000):
        with pytest.raises(NotFound):
            ids.decode(value, ids.RESOURCE, "id")
    with pytest.raises(AssertionError, match="decoded"):
        ids.decode(ids.encode(ids.RESOURCE, 1), ids.RESOURCE, "id")
