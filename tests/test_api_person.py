"""The person's page (issue 12): `updateResource` changes a name and an e-mail address with
the rules of R6, answering a broken rule with UpdateResourceRefused; `history(resourceId:)`
lists the changes that concern one person (R8, R15)."""

from __future__ import annotations

import pytest

from server.accounts.models import Resource
from server.api import ids
from tests.factories import error_codes, make_org

UPDATE = """mutation($id: ID!, $input: UpdateResourceInput!) { updateResource(resourceId: $id,
  input: $input) { __typename
  ... on UpdateResourceSuccess { message resource { id name email } }
  ... on UpdateResourceRefused { code field message } } }"""
HISTORY = """query($id: ID) { history(resourceId: $id) { edges { node { reason fromCount toCount
  resource { id } } } } }"""


@pytest.fixture
async def org(client):
    made = await make_org(license_count=5)
    await client.login(made.admin.email)
    return made


async def update(client, resource, **fields):
    body = await client(UPDATE, id=ids.encode(ids.RESOURCE, resource.id), input=fields)
    return body["data"]["updateResource"]


async def test_issue_12_r6_a_name_and_address_are_changed_cleaned(client, org):
    person = await org.add("Anna Berg")
    result = await update(client, person, name="  Anna   Lind ", email=" Anna.Lind@Example.COM ")
    assert result["__typename"] == "UpdateResourceSuccess"
    assert result["resource"]["name"] == "Anna Lind"
    assert result["resource"]["email"] == "anna.lind@example.com"
    stored = await Resource.get(id=person.id)
    assert (stored.name, stored.email) == ("Anna Lind", "anna.lind@example.com")


async def test_issue_12_r6_a_field_left_out_stays_as_it_is(client, org):
    person = await org.add("Anna Berg")
    result = await update(client, person, name="Anna Lind")
    assert result["resource"]["email"] == person.email


@pytest.mark.parametrize(
    ("fields", "field", "code", "words"),
    [
        ({"name": "An\u200bna"}, "name", "BAD_USER_INPUT", "U+200B"),
        ({"name": "\u202eanna"}, "name", "BAD_USER_INPUT", "U+202E"),
        ({"name": "   "}, "name", "BAD_USER_INPUT", "A name is required."),
        ({"email": "not an address"}, "email", "BAD_USER_INPUT", "is not an e-mail address"),
        ({"email": "OWNER"}, "email", "EMAIL_TAKEN", "already uses"),
    ],
    ids=["zero-width", "bidi-override", "blank", "not-an-address", "address-in-use"],
)
async def test_issue_12_r6_a_broken_rule_is_refused_and_nothing_saved(
    client, org, fields, field, code, words
):
    person = await org.add("Anna Berg")
    if fields.get("email") == "OWNER":
        fields = {"name": "Anna Lind", "email": org.admin.email.upper()}
    result = await update(client, person, **fields)
    assert result["__typename"] == "UpdateResourceRefused"
    assert (result["field"], result["code"]) == (field, code)
    assert words in result["message"]
    stored = await Resource.get(id=person.id)
    assert (stored.name, stored.email) == (person.name, person.email), "R14: nothing written"


async def test_issue_12_r6_keeping_ones_own_address_is_no_clash(client, org):
    person = await org.add("Anna Berg")
    result = await update(client, person, name="Anna Lind", email=person.email)
    assert result["__typename"] == "UpdateResourceSuccess"


async def test_issue_12_r12_a_person_of_another_organisation_is_not_found(client, org):
    other = await make_org("Other")
    body = await client(
        UPDATE, id=ids.encode(ids.RESOURCE, other.admin.id), input={"name": "Taken Over"}
    )
    assert error_codes(body) == ["NOT_FOUND"]
    assert (await Resource.get(id=other.admin.id)).name != "Taken Over"


async def test_issue_12_r8_the_history_of_one_person(client, org):
    await org.set_count(1)
    anna = await org.add("Anna Berg")  # all licenses in use: the count grows for each
    bert = await org.add("Bert Holm")
    anna_id = ids.encode(ids.RESOURCE, anna.id)
    data = await client.data(HISTORY, id=anna_id)
    rows = [edge["node"] for edge in data["history"]["edges"]]
    assert [(r["reason"], r["fromCount"], r["toCount"]) for r in rows] == [("AUTO_INCREASE", 1, 2)]
    assert rows[0]["resource"]["id"] == anna_id
    everyone = await client.data(HISTORY, id=None)
    named = [edge["node"]["resource"] for edge in everyone["history"]["edges"]]
    assert {"id": ids.encode(ids.RESOURCE, bert.id)} in named
