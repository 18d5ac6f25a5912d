"""The license rules end to end through /graphql, as a signed-in administrator."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from server.accounts import queries
from server.accounts.models import ResourceKind
from server.api import ids
from server.licensing import services
from tests.factories import assert_invariants, error_codes, make_org

SEATS = "seats { licenseCount used available reducibleBy }"
CHANGE = "change { id fromCount toCount reason effectiveOn actor { name } resource { name } }"

SET_COUNT = f"""mutation($n: Int!) {{ setLicenseCount(count: $n) {{ __typename
  ... on SetLicenseCountSuccess {{ {SEATS} {CHANGE} }}
  ... on LicenseBelowUsage {{ used requested message }} }} }}"""
TOGGLE = f"""mutation($id: ID!, $on: Boolean!, $accept: Boolean) {{
  toggleAccess(resourceId: $id, enabled: $on, acceptLicenseIncrease: $accept) {{ __typename
  ... on ToggleAccessSuccess {{ resource {{ loginAccess usesLicense }} {SEATS} {CHANGE} message }}
  ... on LicenseIncreaseRequired {{ currentCount newCount message }} }} }}"""
ADD = f"""mutation($input: AddResourceInput!, $accept: Boolean) {{
  addResource(input: $input, acceptLicenseIncrease: $accept) {{ __typename
  ... on AddResourceSuccess {{ resource {{ id name email kind loginAccess }} {SEATS} {CHANGE} }}
  ... on LicenseIncreaseRequired {{ currentCount newCount message }} }} }}"""
TERMINATE = f"""mutation($id: ID!, $day: Date!) {{ terminate(resourceId: $id, lastWorkDay: $day) {{
  __typename ... on TerminateSuccess {{ resource {{ active loginAccess lastWorkDay }}
  {SEATS} {CHANGE} }} }} }}"""
REACTIVATE = """mutation($id: ID!) { reactivate(resourceId: $id) { __typename
  ... on ReactivateSuccess { resource { active loginAccess } seats { used } } } }"""
RESOURCES = """query($status: ResourceStatus, $kind: ResourceKind, $search: String, $first: Int,
  $after: String) { resources(status: $status, kind: $kind, search: $search, first: $first,
  after: $after) { totalCount edges { cursor node { id name kind active loginAccess } }
  pageInfo { hasNextPage endCursor } } }"""
HISTORY = """query($first: Int, $after: String, $from: Date, $to: Date) {
  history(first: $first, after: $after, from: $from, to: $to) { edges { node {
  id occurredAt fromCount toCount reason effectiveOn actor { name resource { id } }
  resource { id name } } } pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture
async def admin(client):
    org = await make_org(license_count=2)
    await client.login(org.admin.email)
    return org


def today() -> str:
    return datetime.now(UTC).date().isoformat()


async def test_r1_seats_reports_licenses_used_available_and_reducible(client, admin):
    await admin.add(access=True)
    await admin.add(kind=ResourceKind.EXTERNAL_CONSULTANT)
    await admin.set_count(5)
    data = await client.data(f"{{ {SEATS} }}")
    assert data["seats"] == {"licenseCount": 5, "used": 2, "available": 3, "reducibleBy": 3}


async def test_r3_set_license_count_writes_history_with_the_actor(client, admin):
    data = await client.data(SET_COUNT, n=7)
    result = data["setLicenseCount"]
    assert result["__typename"] == "SetLicenseCountSuccess"
    assert result["seats"] == {"licenseCount": 7, "used": 1, "available": 6, "reducibleBy": 6}
    assert result["change"]["fromCount"] == 2
    assert result["change"]["toCount"] == 7
    assert result["change"]["reason"] == "MANUAL"
    assert result["change"]["actor"] == {"name": admin.admin.name}
    again = (await client.data(SET_COUNT, n=7))["setLicenseCount"]
    assert again["change"] is None


async def test_r3_a_count_below_usage_is_a_typed_refusal(client, admin):
    await admin.add()
    result = (await client.data(SET_COUNT, n=1))["setLicenseCount"]
    assert result["__typename"] == "LicenseBelowUsage"
    assert (result["used"], result["requested"]) == (2, 1)
    assert "2 licenses are in use" in result["message"]


@pytest.mark.parametrize("count", [-1, 100_001])
async def test_r14_an_out_of_range_count_is_a_coded_error_and_changes_nothing(client, admin, count):
    body = await client(SET_COUNT, n=count)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "count"
    assert "Traceback" not in str(body)
    assert (await client.data(f"{{ {SEATS} }}"))["seats"]["licenseCount"] == 2


async def test_r14_a_non_integer_count_is_refused_by_validation(client, admin):
    body = await client('mutation { setLicenseCount(count: "many") { __typename } }')
    assert body["errors"] and body.get("data") is None
    assert "Traceback" not in str(body)


async def test_r4_toggle_access_asks_before_the_auto_increase_then_commits_it(client, admin):
    await admin.add()  # the second license is now used
    person = await admin.add(access=False)
    asked = (await client.data(TOGGLE, id=ids.encode(ids.RESOURCE, person.id), on=True))[
        "toggleAccess"
    ]
    assert asked == {
        "__typename": "LicenseIncreaseRequired",
        "currentCount": 2,
        "newCount": 3,
        "message": asked["message"],
    }
    assert "from 2 to 3" in asked["message"]
    assert (await client.data(f"{{ {SEATS} }}"))["seats"]["licenseCount"] == 2

    done = (
        await client.data(TOGGLE, id=ids.encode(ids.RESOURCE, person.id), on=True, accept=True)
    )["toggleAccess"]
    assert done["__typename"] == "ToggleAccessSuccess"
    assert done["resource"] == {"loginAccess": True, "usesLicense": True}
    assert done["seats"]["licenseCount"] == 3
    assert done["change"]["reason"] == "AUTO_INCREASE"
    assert done["change"]["resource"] == {"name": person.name}
    await assert_invariants(admin.id)


async def test_r5_removing_access_says_the_count_can_be_reduced(client, admin):
    person = await admin.add()
    done = (await client.data(TOGGLE, id=ids.encode(ids.RESOURCE, person.id), on=False))[
        "toggleAccess"
    ]
    assert done["seats"] == {"licenseCount": 2, "used": 1, "available": 1, "reducibleBy": 1}
    assert done["change"] is None
    assert "can be reduced by 1" in done["message"]


async def test_r5_the_last_administrator_keeps_access(client, admin):
    body = await client(TOGGLE, id=ids.encode(ids.RESOURCE, admin.admin.id), on=False)
    assert error_codes(body) == ["LAST_ADMIN"]


async def test_r6_add_resource_with_access_asks_then_adds(client, admin):
    await admin.add()
    new = {
        "name": "Nina Berg",
        "email": "nina@example.com",
        "loginAccess": True,
        "startDate": "2026-02-01",
    }
    asked = (await client.data(ADD, input=new))["addResource"]
    assert asked["__typename"] == "LicenseIncreaseRequired"
    assert (asked["currentCount"], asked["newCount"]) == (2, 3)
    listed = (await client.data(RESOURCES, search="nina"))["resources"]
    assert listed["totalCount"] == 0

    added = (await client.data(ADD, input=new, accept=True))["addResource"]
    assert added["__typename"] == "AddResourceSuccess"
    assert added["resource"]["email"] == "nina@example.com"
    assert added["seats"]["licenseCount"] == 3
    assert added["change"]["resource"] == {"name": "Nina Berg"}


async def test_r6_a_taken_email_is_a_coded_error(client, admin):
    body = await client(ADD, input={"name": "Twin", "email": admin.admin.email})
    assert error_codes(body) == ["EMAIL_TAKEN"]


async def test_r7_terminate_today_drops_the_count_and_writes_history(client, admin):
    person = await admin.add()
    done = (await client.data(TERMINATE, id=ids.encode(ids.RESOURCE, person.id), day=today()))[
        "terminate"
    ]
    assert done["resource"] == {"active": False, "loginAccess": False, "lastWorkDay": today()}
    assert done["seats"]["licenseCount"] == 1
    assert done["change"]["reason"] == "TERMINATION"
    assert done["change"]["fromCount"] == 2 and done["change"]["toCount"] == 1
    again = await client(TERMINATE, id=ids.encode(ids.RESOURCE, person.id), day=today())
    assert error_codes(again) == ["RESOURCE_INACTIVE"]


async def test_r7_terminate_refuses_a_day_before_the_start_date(client, admin):
    person = await admin.add(start_date=date(2025, 3, 1))
    body = await client(TERMINATE, id=ids.encode(ids.RESOURCE, person.id), day="2025-02-28")
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "start date" in body["errors"][0]["message"]


async def test_r7_reactivate_brings_someone_back_without_access(client, admin):
    person = await admin.add()
    await client.data(TERMINATE, id=ids.encode(ids.RESOURCE, person.id), day=today())
    done = (await client.data(REACTIVATE, id=ids.encode(ids.RESOURCE, person.id)))["reactivate"]
    assert done == {
        "__typename": "ReactivateSuccess",
        "resource": {"active": True, "loginAccess": False},
        "seats": {"used": 1},
    }
    body = await client(REACTIVATE, id=ids.encode(ids.RESOURCE, person.id))
    assert error_codes(body) == ["RESOURCE_ALREADY_ACTIVE"]


async def test_r8_history_is_newest_first_and_paginates_by_cursor(client, admin):
    for n in (3, 4, 5, 6):
        await admin.set_count(n)
    first = (await client.data(HISTORY, first=2))["history"]
    counts = [e["node"]["toCount"] for e in first["edges"]]
    assert counts == [6, 5]
    assert first["pageInfo"]["hasNextPage"]
    rest = (await client.data(HISTORY, first=10, after=first["pageInfo"]["endCursor"]))["history"]
    assert [e["node"]["toCount"] for e in rest["edges"]] == [4, 3, 2, 1]
    assert not rest["pageInfo"]["hasNextPage"]
    oldest = rest["edges"][-1]["node"]
    assert oldest["reason"] == "INITIAL"
    assert oldest["resource"]["name"] == admin.admin.name
    newest = first["edges"][0]["node"]
    assert newest["actor"] == {
        "name": admin.admin.name,
        "resource": {"id": ids.encode(ids.RESOURCE, admin.admin.id)},
    }


async def test_r15_history_filters_by_date_range_and_exports_csv(client, admin):
    await admin.set_count(3)
    empty = (await client.data(HISTORY, **{"from": "2000-01-01", "to": "2000-12-31"}))["history"]
    assert empty["edges"] == []
    todays = (await client.data(HISTORY, **{"from": today(), "to": today()}))["history"]
    assert [e["node"]["toCount"] for e in todays["edges"]] == [3, 2, 1]
    response = await client.http.get("/history.csv", params={"from": today()})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["from"], r["to"], r["reason"]) for r in rows] == [
        ("2", "3", "MANUAL"),
        ("1", "2", "MANUAL"),
        ("0", "1", "INITIAL"),
    ]
    assert rows[0]["actor"] == admin.admin.name


async def test_r15_history_csv_needs_a_license_manager(client):
    response = await client.http.get("/history.csv")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_r15_history_refuses_a_reversed_date_range(client, admin):
    body = await client(HISTORY, **{"from": "2026-02-01", "to": "2026-01-01"})
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_r15_resources_list_active_only_by_default_with_filters(client, admin):
    await admin.add("Anna Alm")
    await admin.add("Bert Bok", kind=ResourceKind.EXTERNAL_CONSULTANT)
    leaver = await admin.add("Cleo Cox")
    await services.terminate(admin.actor, leaver.id, date.today())

    async def names(**filters):
        page = (await client.data(RESOURCES, **filters))["resources"]
        return [e["node"]["name"] for e in page["edges"]], page["totalCount"]

    assert await names() == (["Admin " + admin.admin.name.split()[-1], "Anna Alm", "Bert Bok"], 3)
    assert await names(status="INACTIVE") == (["Cleo Cox"], 1)
    assert (await names(status="ALL"))[1] == 4
    assert await names(kind="EXTERNAL_CONSULTANT") == (["Bert Bok"], 1)
    assert await names(kind="EMPLOYEE", search="ann") == (["Anna Alm"], 1)
    assert await names(search="PERSON") == (["Anna Alm", "Bert Bok"], 2)  # e-mail matches


async def test_r15_resources_search_takes_wildcards_literally(client, admin):
    await admin.add("Ann_a 100%")
    await admin.add("Annxa 1000")
    await admin.add("Back\\slash")

    async def names(search):
        page = (await client.data(RESOURCES, search=search))["resources"]
        return [e["node"]["name"] for e in page["edges"]], page["totalCount"]

    assert await names("n_a") == (["Ann_a 100%"], 1)
    assert await names("0%") == (["Ann_a 100%"], 1)
    assert await names("%") == (["Ann_a 100%"], 1)
    assert await names("k\\s") == (["Back\\slash"], 1)
    assert await names("  ANN  ") == (["Ann_a 100%", "Annxa 1000"], 2)


async def test_r15_resources_paginate_by_cursor_without_gaps_or_repeats(client, admin):
    await admin.set_count(20)
    for i in range(11):
        await admin.add(f"Same Name {i % 3}")
    seen, after = [], None
    while True:
        page = (await client.data(RESOURCES, first=4, after=after))["resources"]
        seen += [e["node"]["id"] for e in page["edges"]]
        assert page["totalCount"] == 12
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 12


@pytest.mark.parametrize("first", [0, -5, 501])
async def test_r14_page_size_is_bounded(client, admin, first):
    body = await client(RESOURCES, first=first)
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_r14_a_forged_cursor_is_a_coded_error(client, admin):
    for cursor in ["not-a-cursor", "WyJhIl0=", "eyJ4IjoxfQ=="]:
        assert error_codes(await client(RESOURCES, after=cursor)) == ["BAD_USER_INPUT"]
        assert error_codes(await client(HISTORY, after=cursor)) == ["BAD_USER_INPUT"]


async def test_r14_an_unexpected_failure_is_masked_and_changes_nothing(client, admin, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("connection string postgres://secret@db leaked")

    monkeypatch.setattr(services, "record_change", broken)
    body = await client(SET_COUNT, n=9)
    assert body["errors"][0]["message"] == "Something went wrong on our side. Please try again."
    assert "secret" not in str(body)
    assert (await client.data(f"{{ {SEATS} }}"))["seats"]["licenseCount"] == 2


async def test_r15_the_usage_series_follows_every_change_of_count_or_use(client, admin):
    person = await admin.add()  # the free second license is used: 2/2
    await admin.set_count(4)  # 4/2
    await services.toggle_access(admin.actor, person.id, False, maximum=100_000)  # 4/1
    await services.toggle_access(admin.actor, person.id, False, maximum=100_000)  # no change
    data = await client.data(
        "{ seatUsage { occurredAt licenseCount used } history { edges { node { id } } } }"
    )
    points = [(p["licenseCount"], p["used"]) for p in data["seatUsage"]]
    assert points == [(1, 1), (2, 1), (2, 2), (4, 2), (4, 1)]
    times = [p["occurredAt"] for p in data["seatUsage"]]
    assert times == sorted(times)


PEOPLE_TOTALS = """query($status: ResourceStatus!, $kind: ResourceKind, $search: String) {
  resources(status: $status, kind: $kind, search: $search, first: 1) {
    totalCount totalCountIsExact } }"""


async def test_r15_list_totals_by_status_and_kind_follow_every_change(client, admin):
    """R15: each list's total (the organisation's kept counts) equals the people it would
    list, after adding, terminating and reactivating employees and consultants."""
    org = admin
    yesterday = date.today() - timedelta(days=1)
    anna = await org.add("Anna Employee", access=True)
    await org.add("Bo Employee", access=False)
    carl = await org.add("Carl Consultant", kind=ResourceKind.EXTERNAL_CONSULTANT)
    await org.add("Dora Consultant", kind=ResourceKind.EXTERNAL_CONSULTANT)
    await services.terminate(org.actor, anna.id, yesterday)
    await services.terminate(org.actor, carl.id, yesterday)
    await services.reactivate(org.actor, carl.id)

    async def total(status: str, kind: str | None = None) -> int:
        data = await client.data(PEOPLE_TOTALS, status=status, kind=kind)
        assert data["resources"]["totalCountIsExact"] is True
        return data["resources"]["totalCount"]

    # The administrator is an active employee too.
    assert await total("ACTIVE") == 4
    assert await total("ACTIVE", "EMPLOYEE") == 2
    assert await total("ACTIVE", "EXTERNAL_CONSULTANT") == 2
    assert await total("INACTIVE") == 1
    assert await total("INACTIVE", "EMPLOYEE") == 1
    assert await total("INACTIVE", "EXTERNAL_CONSULTANT") == 0
    assert await total("ALL") == 5
    assert await total("ALL", "EXTERNAL_CONSULTANT") == 2


async def test_r15_a_search_past_the_count_limit_says_its_total_is_a_lower_bound(
    client, admin, monkeypatch
):
    """A search is counted up to a limit (3 here, 1000 in the service): past it, the total is
    the limit and `totalCountIsExact` is false; at or under it, exact."""
    monkeypatch.setattr(queries, "COUNT_LIMIT", 3)
    for name in ("Smith One", "Smith Two", "Smith Three"):
        await admin.add(name, access=False)

    async def searched(text: str) -> dict:
        data = await client.data(PEOPLE_TOTALS, status="ALL", search=text)
        return data["resources"]

    assert await searched("smith") == {"totalCount": 3, "totalCountIsExact": True}
    await admin.add("Smith Four", access=False)
    assert await searched("smith") == {"totalCount": 3, "totalCountIsExact": False}
    assert await searched("smith t") == {"totalCount": 2, "totalCountIsExact": True}
