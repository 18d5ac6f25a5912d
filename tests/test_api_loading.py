"""Issue 11: the rows that other rows name (people, history rows, invoice lines) are read
through the request's loaders only: once per relation for a whole page, not at all when the
selection does not ask for them, and not again when a page or a service has read them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from server.accounts.models import Role
from server.api import billing, history, ids, resources
from server.billing.services import issue_due_invoices
from tests.factories import make_org
from tests.test_api_query_count import recorded

CREATED = datetime(2026, 1, 10, 9, tzinfo=UTC)
# Three invoices: February's adjusts for January's changes.
ISSUED_BY = datetime(2026, 4, 1, 1, tzinfo=UTC)

PEOPLE = 'FROM "resource"'
CHANGES = 'FROM "license_change"'
LINES = 'FROM "invoice_line"'


async def statements(client, query: str, **variables) -> tuple[dict, list[str]]:
    async with recorded() as seen:
        data = await client.data(query, **variables)
    return data, list(seen)


def reading(found: list[str], table: str) -> list[str]:
    return [statement for statement in found if table in statement]


async def assert_lines_show_the_history(client, lines: list[dict]) -> None:
    """The history rows and people that invoice lines show are the history's own."""
    rows = await client.data("{ history(first: 100) { edges { node { id resource { name } } } } }")
    by_id = {edge["node"]["id"]: edge["node"] for edge in rows["history"]["edges"]}
    for line in lines:
        if line["change"] is not None:
            assert line["resource"] == by_id[line["change"]["id"]]["resource"]


async def org_with_people(client, people: int):
    """An organisation whose history names `people` people (each given a license), the
    changes made by one administrator while another is signed in: the actor is not the
    viewer, so nothing is known about them before the request reads them."""
    org = await make_org(license_count=1, now=CREATED)
    for i in range(people):
        await org.add(f"Person {i:03d}", now=CREATED)
    second = await org.add("Second Admin", role=Role.ADMIN, password="second admin pw", now=CREATED)
    await client.login(second.email, "second admin pw")
    return org


HISTORY_PEOPLE = """query($first: Int) { history(first: $first) { edges { node { id
  actor { name resource { name } } resource { name } } } } }"""
# The same people, through a fragment that a variable includes or leaves out.
HISTORY_MAYBE = """query($first: Int, $show: Boolean!) { history(first: $first) { edges { node {
  id ...People @include(if: $show) } } } }
  fragment People on LicenseChange { resource { name } actor { resource { name } } }"""
HISTORY_PLAIN = """query($first: Int) { history(first: $first) { edges { node { id toCount
  actor { name } } } } }"""


async def test_a_history_page_reads_its_people_once_and_only_when_asked(client):
    """Issue 11 (R8, R15): the people of a page of history cost one statement whatever the
    page size, and none when the selection names no person."""
    await org_with_people(client, 30)
    for size in (3, 30):
        data, found = await statements(client, HISTORY_PEOPLE, first=size)
        assert len(data["history"]["edges"]) == size
        assert len(reading(found, PEOPLE)) == 1, found
        assert data["history"]["edges"][-1]["node"]["actor"]["resource"]["name"].startswith("Admin")
        _, found = await statements(client, HISTORY_PLAIN, first=size)
        assert reading(found, PEOPLE) == [], found
        _, found = await statements(client, HISTORY_MAYBE, first=size, show=False)
        assert reading(found, PEOPLE) == [], found
        data, found = await statements(client, HISTORY_MAYBE, first=size, show=True)
        assert data["history"]["edges"][0]["node"]["resource"]["name"]
        assert len(reading(found, PEOPLE)) == 1, found


async def test_the_signed_in_person_is_not_read_again(client):
    """Issue 11: the viewer was read with the session; history rows they made show them from
    that row."""
    org = await make_org(license_count=1, now=CREATED)
    for i in range(5):
        await org.add(f"Person {i}", now=CREATED)
    await client.login(org.admin.email)
    data, found = await statements(
        client, "{ history(first: 5) { edges { node { actor { resource { id name } } } } } }"
    )
    actors = {edge["node"]["actor"]["resource"]["name"] for edge in data["history"]["edges"]}
    assert actors == {org.admin.name}
    assert reading(found, PEOPLE) == [], found


NEXT_TOTAL = "{ nextInvoice { total } }"
NEXT_LINES = """{ nextInvoice { total lines { kind change { id actor { resource { name } } }
  resource { name } } } }"""


async def test_the_next_invoice_reads_lines_rows_only_when_asked(client):
    """Issue 11 (R9): `nextInvoice { total }` reads no person and no history row beyond the
    draft's own; its lines' people are read in one statement, however many lines, and so are
    the history rows they show (issue 13 goal 3: the draft itself is kept, not read again)."""
    counts = []
    for people in (2, 40):
        await org_with_people(client, people)
        _, found = await statements(client, NEXT_TOTAL)
        assert reading(found, PEOPLE) == [], found
        assert len(reading(found, CHANGES)) == 1, found  # the draft's

        data, found = await statements(client, NEXT_LINES)
        adjustments = [
            line for line in data["nextInvoice"]["lines"] if line["kind"] == "ADJUSTMENT"
        ]
        assert len(adjustments) == people + 2  # the first licenses, one each, the second admin
        assert {line["resource"]["name"] for line in adjustments if line["resource"]} >= {
            "Person 000",
            "Second Admin",
        }
        assert all(line["change"]["actor"]["resource"] for line in adjustments[1:])
        assert len(reading(found, PEOPLE)) == 1, found
        # The lines' rows, as one range of ids (not id by id); the draft was kept from the
        # look before.
        assert reading(found, CHANGES) == [
            statement
            for statement in found
            if CHANGES in statement and '"id">' in statement and '"id"<=' in statement
        ], found
        assert len(reading(found, CHANGES)) == 1, found
        counts.append(len(found))
        await assert_lines_show_the_history(client, data["nextInvoice"]["lines"])
    assert counts[0] == counts[1], counts


INVOICE_TOTALS = "{ invoices { edges { node { number total } } } }"
INVOICE_LINES = """{ invoices { edges { node { number total lines { kind amount
  change { id reason actor { resource { name } } } resource { name } } } } } }"""


async def test_issued_invoices_read_their_lines_rows_only_when_asked(client):
    """Issue 11 (R9): a page of invoices reads no line, history row or person unless asked;
    asked, one statement each for all the invoices of the page."""
    await org_with_people(client, 12)
    issued = await issue_due_invoices(ISSUED_BY)
    assert len(issued) == 3

    data, found = await statements(client, INVOICE_TOTALS)
    assert len(data["invoices"]["edges"]) == 3
    for table in (LINES, CHANGES, PEOPLE):
        assert reading(found, table) == [], found

    data, found = await statements(client, INVOICE_LINES)
    lines = [line for edge in data["invoices"]["edges"] for line in edge["node"]["lines"]]
    adjustments = [line for line in lines if line["kind"] == "ADJUSTMENT"]
    assert len(adjustments) == 12 + 2
    assert all(line["change"]["id"] for line in adjustments)
    assert all(line["resource"]["name"] for line in adjustments)
    for table in (LINES, CHANGES, PEOPLE):
        assert len(reading(found, table)) == 1, (table, found)
    await assert_lines_show_the_history(client, lines)


def after_the_people_page(monkeypatch) -> None:
    """Fields of one query run side by side: hold the history and the invoices back until the
    page of people is read, so that what the test shows does not depend on which statement
    the database answers first."""
    people_read = asyncio.Event()
    real_page = resources.queries.resources_page

    async def page(*args, **kwargs):
        found = await real_page(*args, **kwargs)
        people_read.set()
        return found

    def held(service):
        async def later(*args, **kwargs):
            await people_read.wait()
            return await service(*args, **kwargs)

        return later

    monkeypatch.setattr(resources.queries, "resources_page", page)
    monkeypatch.setattr(history, "history_page", held(history.history_page))
    monkeypatch.setattr(billing.services, "invoices_page", held(billing.services.invoices_page))


async def test_people_read_by_a_page_are_not_read_again(client, monkeypatch):
    """Issue 11 (R15): the page of people primes the loader, so history rows and invoice
    lines of the same request that name those people read none."""
    await org_with_people(client, 12)
    await issue_due_invoices(ISSUED_BY)
    after_the_people_page(monkeypatch)
    query = """{ resources(status: ALL, first: 100) { edges { node { id } } }
      history(first: 100) { edges { node { actor { resource { name } } resource { name } } } }
      invoices { edges { node { lines { resource { name } } } } } }"""
    data, found = await statements(client, query)
    named = {
        edge["node"]["resource"]["name"]
        for edge in data["history"]["edges"]
        if edge["node"]["resource"]
    }
    assert "Person 011" in named
    assert len(reading(found, PEOPLE)) == 1, found  # the page itself


TOGGLE = """mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true,
  acceptLicenseIncrease: true) { __typename ... on ToggleAccessSuccess { resource { name }
  change { toCount resource { name loginAccess } actor { resource { name } } } } } }"""
TOGGLE_PLAIN = """mutation($id: ID!) { toggleAccess(resourceId: $id, enabled: true,
  acceptLicenseIncrease: true) { __typename ... on ToggleAccessSuccess { resource { name }
  change { toCount } } } }"""


async def test_a_mutation_shows_the_person_it_changed_without_reading_them(client):
    """Issue 11 (R4, R8): the person a mutation returns primes the loader with the row as
    the change left it; the history row it wrote shows that row, read no second time."""
    org = await make_org(license_count=1, now=CREATED)
    plain = await org.add("Pat Plain", access=False)
    shown = await org.add("Sam Shown", access=False)
    await client.login(org.admin.email)

    _, without = await statements(client, TOGGLE_PLAIN, id=ids.encode(ids.RESOURCE, plain.id))
    data, found = await statements(client, TOGGLE, id=ids.encode(ids.RESOURCE, shown.id))
    change = data["toggleAccess"]["change"]
    assert change["resource"] == {"name": "Sam Shown", "loginAccess": True}
    assert change["actor"]["resource"]["name"] == org.admin.name
    assert len(found) == len(without), (without, found)
