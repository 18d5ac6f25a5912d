"""SQL statements per request stay the same whatever the page size: no query per row."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from server.accounts.models import ResourceKind
from tests.factories import make_org

RESOURCES = """query($first: Int) { resources(status: ALL, first: $first) { totalCount
  edges { cursor node { id name email kind role active loginAccess usesLicense startDate
  lastWorkDay scheduledTermination lastSignedInAt lastActiveAt } }
  pageInfo { hasNextPage endCursor } } }"""
HISTORY = """query($first: Int) { history(first: $first) { edges { cursor node { id occurredAt
  fromCount toCount reason effectiveOn actor { name apiToken { id } resource { id name } }
  resource { id name email } } } pageInfo { hasNextPage endCursor } } }"""


class StatementCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
            self.statements.append(message)


@asynccontextmanager
async def recorded() -> AsyncIterator[list[str]]:
    """The SQL statements run inside the block."""
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter.statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def statements_for(client, query: str, first: int) -> list[str]:
    async with recorded() as statements:
        data = await client.data(query, first=first)
    assert data
    return statements


@pytest.fixture
async def big_org(client):
    org = await make_org(license_count=5)
    for i in range(520):
        await org.add(
            f"Person {i:03d}",
            access=i % 3 == 0,
            kind=ResourceKind.EXTERNAL_CONSULTANT if i % 10 == 0 else ResourceKind.EMPLOYEE,
        )
    await client.login(org.admin.email)
    return org


@pytest.mark.parametrize("query", [RESOURCES, HISTORY], ids=["resources", "history"])
async def test_statements_per_request_do_not_grow_with_the_page(client, big_org, query):
    small = await statements_for(client, query, 10)
    large = await statements_for(client, query, 500)
    assert len(small) == len(large), (small, large)
    assert len(large) <= 4


async def test_a_list_total_is_read_from_the_kept_counts_not_counted(client, big_org):
    """The total of an unsearched list (any status, any kind) comes with the organisation's
    row, read with the viewer: no statement counts people, however many there are."""
    without = await statements_for(
        client, "query($first: Int) { resources(first: $first) { edges { node { id } } } }", 10
    )
    with_count = await statements_for(client, RESOURCES, 10)
    assert not any("COUNT(" in statement for statement in [*without, *with_count])
    assert len(with_count) == len(without)


async def test_a_searched_total_is_one_bounded_count(client, big_org):
    """A search is counted by one statement that stops after COUNT_LIMIT + 1 matches, asked
    for by two fields or one. (On SQLite the look at how common the text is in the full-text
    index counts too, in the index and up to its own limit.)"""
    query = """query($first: Int) { resources(search: "person", first: $first) {
        totalCount totalCountIsExact edges { node { id } } } }"""
    statements = await statements_for(client, query, 10)
    counts = [statement for statement in statements if "COUNT(" in statement]
    assert all("LIMIT" in statement.split("COUNT(", 1)[1] for statement in counts), counts
    people = [statement for statement in counts if 'FROM "resource" ' in statement]
    assert len(people) == 1, counts


NEXT_INVOICE = """query($first: Int) { history(first: $first) { pageInfo { hasNextPage } }
  nextInvoice { total lines { kind description quantity amount
  change { id fromCount toCount actor { name } } resource { id name } } } }"""


async def test_invoice_statements_do_not_grow_with_the_lines(client):
    """R9: the draft with about 170 adjustment lines reads what the one with 11 does: the rows
    the lines name are read for all lines at once. (Both have more lines than the history page
    of 10 asked beside them, whose rows the loader then knows: so both read lines' rows.)"""
    counts = []
    for people in (30, 520):
        org = await make_org(license_count=1)
        for i in range(people):
            await org.add(f"Person {i:03d}", access=i % 3 == 0)
        await client.login(org.admin.email)
        statements = await statements_for(client, NEXT_INVOICE, 10)
        counts.append(len(statements))
        # The organisation comes with the viewer (joined to the session): not read again.
        assert not any('FROM "organization"' in statement for statement in statements)
    assert counts[0] == counts[1], counts
