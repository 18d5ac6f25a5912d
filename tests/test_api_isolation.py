"""R12: nothing of one organisation is visible or changeable from another; a foreign id
behaves exactly like a missing one."""

from __future__ import annotations

import pytest

from server.api import ids
from tests.factories import assert_invariants, make_org

MISSING_ID = ids.encode(ids.RESOURCE, 999999)

OPERATIONS = {
    "resource": ("query($id: ID!) { resource(id: $id) { id name } }", {}),
    "toggleAccess off": (
        "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: false) { __typename } }",
        {},
    ),
    "toggleAccess on": (
        "mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true, "
        "acceptLicenseIncrease: true) { __typename } }",
        {},
    ),
    "terminate": (
        'mutation($id: ID!) { terminate(resourceId: $id, lastWorkDay: "2026-01-01") '
        "{ __typename } }",
        {},
    ),
    "reactivate": ("mutation($id: ID!) { reactivate(resourceId: $id) { __typename } }", {}),
    "bulkSetAccess": (
        "mutation($id: ID!) { bulkSetAccess(resourceIds: [$id], enabled: false) { __typename } }",
        {},
    ),
    "bulkTerminate": (
        'mutation($id: ID!) { bulkTerminate(resourceIds: [$id], lastWorkDay: "2026-01-01") '
        "{ __typename } }",
        {},
    ),
    "bulkChangePreview": (
        "query($id: ID!) { bulkChangePreview(action: GIVE_ACCESS, resourceIds: [$id]) "
        "{ changedCount } }",
        {},
    ),
}


def shape(body: dict) -> tuple:
    """An answer as a client sees it: data, and each error's code, field, path and message."""
    errors = [(e["extensions"], e["path"], e["message"]) for e in body["errors"]]
    return body["data"], errors


@pytest.fixture
async def two_orgs(client):
    ours = await make_org("Ours", license_count=3)
    theirs = await make_org("Theirs", license_count=5)
    foreign_active = await theirs.add("Their Employee")
    foreign_leaver = await theirs.add("Their Leaver", access=False)
    await client.login(ours.admin.email)
    return ours, theirs, foreign_active, foreign_leaver


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_r12_a_foreign_id_answers_exactly_like_a_missing_one(client, two_orgs, operation):
    ours, theirs, foreign_active, _ = two_orgs
    query, _ = OPERATIONS[operation]
    foreign = await client(query, id=ids.encode(ids.RESOURCE, foreign_active.id))
    missing = await client(query, id=MISSING_ID)
    assert foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert shape(foreign) == shape(missing)
    await assert_invariants(theirs.id)
    await assert_invariants(ours.id)


async def test_r12_lists_and_counts_show_only_the_own_organisation(client, two_orgs):
    _ours, theirs, foreign_active, _foreign_leaver = two_orgs
    data = await client.data(
        "{ seats { licenseCount used } resources(status: ALL) { totalCount edges { node { name } }"
        " } history { edges { node { resource { name } actor { name } } } } }"
    )
    assert data["seats"] == {"licenseCount": 3, "used": 1}
    assert data["resources"]["totalCount"] == 1
    text = str(data)
    assert "Their" not in text
    assert theirs.admin.name not in text
    for search in ("Their", foreign_active.email):
        found = await client.data(
            "query($s: String) { resources(status: ALL, search: $s) { totalCount } }", s=search
        )
        assert found["resources"]["totalCount"] == 0


async def test_r12_a_foreign_email_does_not_block_adding_a_co_worker(client, two_orgs):
    _, _, foreign_active, _ = two_orgs
    data = await client.data(
        'mutation($e: String!) { addResource(input: {name: "Namesake", email: $e}) '
        "{ __typename } }",
        e=foreign_active.email,
    )
    assert data["addResource"]["__typename"] == "AddResourceSuccess"


async def test_r12_changes_in_one_organisation_leave_the_other_untouched(client, two_orgs):
    _ours, theirs, *_ = two_orgs
    before = await theirs.refresh()
    await client.data("mutation { setLicenseCount(count: 9) { __typename } }")
    after = await theirs.refresh()
    assert (after.license_count, after.used) == (before.license_count, before.used)
