"""SCIM lists (R17, issue 14): the filters identity providers send, `startIndex` and `count`,
with bounds on untrusted input (filter length, count capped at filter.maxResults)."""

from __future__ import annotations

import pytest

from server.scim.schema import MAX_FILTER_LENGTH, MAX_RESULTS
from tests.factories import make_org
from tests.scim import scim_error


@pytest.fixture
async def org(db):
    return await make_org(license_count=10)


@pytest.fixture
async def people(scim) -> dict[str, str]:
    """Three people made over SCIM: their ids by address."""
    made = {}
    for email, external_id, display, active in (
        ("ada@example.com", "e-ada", "Ada Lovelace", True),
        ("grace@example.com", "e-grace", "Grace Hopper", True),
        ("alan@example.org", "E-ALAN", "Alan Turing", False),
    ):
        response = await scim.create(
            email, external_id=external_id, display_name=display, active=active
        )
        assert response.status_code == 201, response.text
        made[email] = response.json()["id"]
    return made


async def found(scim, filter_text: str, **params) -> list[str]:
    response = await scim.get("/Users", filter=filter_text, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    resources = body.get("Resources", [])
    assert body["totalResults"] >= len(resources)
    return sorted(r["userName"] for r in resources)


async def test_r17_filters_identity_providers_send(scim, people):
    # Okta: userName eq, in any case (userName is not case exact).
    assert await found(scim, 'userName eq "ADA@example.com"') == ["ada@example.com"]
    # Entra ID: externalId eq (case exact), and the work address.
    assert await found(scim, 'externalId eq "e-grace"') == ["grace@example.com"]
    assert await found(scim, 'externalId eq "E-GRACE"') == []
    assert await found(scim, 'emails[type eq "work"].value eq "Grace@Example.com"') == [
        "grace@example.com"
    ]
    assert await found(scim, 'emails[type eq "work" and value eq "ada@example.com"]') == [
        "ada@example.com"
    ]
    assert await found(scim, 'emails[type eq "home"].value eq "ada@example.com"') == []
    # and / or / not, and the other operators.
    assert await found(scim, 'userName eq "ada@example.com" or externalId eq "E-ALAN"') == [
        "ada@example.com",
        "alan@example.org",
    ]
    assert await found(scim, 'userName sw "a" and active eq true and externalId pr') == [
        "ada@example.com"
    ]
    assert await found(scim, 'userName ew "example.org"') == ["alan@example.org"]
    assert await found(scim, 'displayName co "hop"') == ["grace@example.com"]
    assert await found(scim, "not (active eq true) and externalId pr") == ["alan@example.org"]
    assert await found(scim, 'userName ne "ada@example.com" and externalId pr') == [
        "alan@example.org",
        "grace@example.com",
    ]
    assert await found(scim, 'meta.created gt "2000-01-01T00:00:00Z" and displayName pr') == [
        "ada@example.com",
        "alan@example.org",
        "grace@example.com",
    ]
    assert await found(scim, f'id eq "{people["ada@example.com"]}"') == ["ada@example.com"]
    assert await found(scim, 'id eq "not-an-id"') == []


async def test_r17_search_by_post_filters_the_same(scim, people):
    response = await scim.post(
        "/Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'userName eq "grace@example.com"',
        },
    )
    assert response.status_code == 200, response.text
    assert [r["userName"] for r in response.json()["Resources"]] == ["grace@example.com"]


async def test_r17_bad_filters_are_invalid_filter(scim, people):
    for text in ("userName eq", 'userName xx "a"', '((userName eq "a"', "active gt true"):
        scim_error(await scim.get("/Users", filter=text), 400, "invalidFilter")
    # Nesting is bounded by the grammar's reader (32 levels), under the length bound.
    nested = "not (" * 300 + 'userName eq "a@example.com"' + ")" * 300
    assert len(nested) <= MAX_FILTER_LENGTH
    assert "nests" in scim_error(await scim.get("/Users", filter=nested), 400, "invalidFilter")
    # Bounded before it is read: time linear in what is accepted.
    long = " or ".join(['userName eq "a@example.com"'] * 200)
    assert len(long) > MAX_FILTER_LENGTH
    detail = scim_error(await scim.get("/Users", filter=long), 400, "invalidFilter")
    assert str(MAX_FILTER_LENGTH) in detail


async def test_r17_start_index_and_count_page_the_people(scim, org, people):
    everyone = (await scim.get("/Users")).json()
    assert everyone["totalResults"] == 4  # the administrator and the three
    ids = [r["id"] for r in everyone["Resources"]]
    first = (await scim.get("/Users", startIndex=1, count=2)).json()
    second = (await scim.get("/Users", startIndex=3, count=2)).json()
    assert (first["startIndex"], first["itemsPerPage"], first["totalResults"]) == (1, 2, 4)
    assert [r["id"] for r in first["Resources"] + second["Resources"]] == ids
    past = (await scim.get("/Users", startIndex=10, count=2)).json()
    assert past["totalResults"] == 4 and past.get("Resources", []) == []
    none = (await scim.get("/Users", count=0)).json()
    assert none["totalResults"] == 4 and none.get("Resources", []) == []
    # RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
    low = (await scim.get("/Users", startIndex=-5, count=1)).json()
    assert [r["id"] for r in low["Resources"]] == ids[:1]


async def test_r17_count_is_capped_at_max_results(scim, org):
    for _ in range(MAX_RESULTS + 3):
        await org.add(access=False)
    body = (await scim.get("/Users", count=100_000)).json()
    assert body["totalResults"] == MAX_RESULTS + 4
    assert body["itemsPerPage"] == MAX_RESULTS == len(body["Resources"])
