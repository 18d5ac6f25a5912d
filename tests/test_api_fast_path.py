"""The fast executor (server/api/engine/fast.py) answers exactly as the reference executor does:
data, errors, their paths and null propagation, for hand-written and generated queries."""

from __future__ import annotations

import asyncio
import inspect
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as with_seed
from hypothesis_graphql import queries as graphql_queries

from server.accounts.models import ResourceKind, Role
from server.accounts.services import Viewer
from server.api import types
from server.api.context import Context
from server.api.schema import create_schema, export_schema
from server.billing.services import issue_due_invoices
from server.licensing import services
from server.settings import Settings
from tests.factories import make_org

FAST = create_schema()
REFERENCE = create_schema(fast=False)

QUERIES = [
    "{ resources { totalCount edges { cursor node { id name email kind role active loginAccess"
    " usesLicense startDate lastWorkDay scheduledTermination } } pageInfo { hasNextPage"
    " endCursor } } }",
    # Aliases, the same field twice, __typename at every level.
    "{ r: resources(first: 3) { __typename t: totalCount edges { __typename n: node {"
    " __typename who: name name again: name } } info: pageInfo { more: hasNextPage } } }",
    # Named and inline fragments, nested spreads.
    "query { resources(status: ALL) { ...Conn } } fragment Conn on ResourceConnection {"
    " totalCount edges { node { ...Person ... on Resource { kind } } } }"
    " fragment Person on Resource { id name ... { email } }",
    # Directives with variables.
    "query($with: Boolean!, $without: Boolean!) { resources { edges { node {"
    " name email @include(if: $with) role @skip(if: $without) kind @include(if: $without) } } } }",
    # Plain objects under fields with resolvers (history's actor and resource).
    "{ history(first: 50) { edges { cursor node { id occurredAt fromCount toCount reason"
    " effectiveOn actor { name apiToken { id } resource { name } } resource { id name } } }"
    " pageInfo { hasNextPage endCursor } } }",
    "{ seats { licenseCount used available reducibleBy __typename } me { id name role"
    " canManageLicenses organization { name timeZone } } }",
    "{ nextInvoice { periodStart periodEnd currency total lines { kind description quantity"
    " amount change { id reason actor { name } } resource { name } } } }",
    "{ invoices { edges { cursor node { number issuedAt periodStart periodEnd total lines {"
    " kind amount resource { name } } } } pageInfo { hasNextPage } } plan { name"
    " pricePerLicense currency billingPeriod } subscriptions { name kind status startsOn"
    " endsOn unitPrice quantity } }",
    # Errors: a bad argument beside good fields, a missing resource.
    '{ seats { used } resources(first: 0) { totalCount } resource(id: "0") { name } }',
]
VARIABLES = {"with": True, "without": False}


@pytest.fixture
async def viewer(db) -> Viewer:
    created = datetime(2026, 1, 10, 9, tzinfo=UTC)
    org = await make_org(time_zone="Europe/Stockholm", license_count=4, now=created)
    people = [
        await org.add(
            f"Person {i}",
            access=i % 2 == 0,
            start_date=date(2025, 1, 1),
            now=created,
            kind=ResourceKind.EXTERNAL_CONSULTANT if i == 3 else ResourceKind.EMPLOYEE,
            role=Role.RESOURCE_MANAGER if i == 1 else Role.MEMBER,
        )
        for i in range(8)
    ]
    await issue_due_invoices(datetime(2026, 2, 1, 1, tzinfo=UTC))
    await services.terminate(
        org.actor, people[2].id, date(2026, 2, 3), now=datetime(2026, 2, 5, tzinfo=UTC)
    )
    await services.terminate(org.actor, people[4].id, date(2030, 6, 30))
    return Viewer(organization=await org.refresh(), resource=org.admin)


def context(viewer: Viewer, settings_: Settings) -> Context:
    return Context(
        request=None, response=None, settings=settings_, viewer=viewer, session_token=None
    )


async def both(query: str, viewer: Viewer, settings_: Settings, variables=None):
    answers = []
    for schema in (FAST, REFERENCE):
        result = await schema.execute(
            query, variable_values=variables, context_value=context(viewer, settings_)
        )
        errors = sorted(
            (e.message, tuple(e.path or ()), tuple(sorted((e.extensions or {}).items())))
            for e in result.errors or []
        )
        answers.append((result.data, errors))
    return answers


@pytest.mark.parametrize("query", QUERIES)
async def test_the_fast_path_answers_as_the_reference_executor(viewer, settings, query):
    fast, reference = await both(query, viewer, settings, VARIABLES)
    assert fast == reference
    assert fast[0] is not None or fast[1]


async def test_a_null_in_a_non_null_field_is_the_same_error_on_both(viewer, settings, monkeypatch):
    """The plan gives up on the object; the reference executor reports it and nulls up to
    the nearest nullable parent, exactly as without the fast path."""
    real = types.Resource.of

    def broken(resource):
        made = real(resource)
        if resource.name == "Person 5":
            made.name = None
        return made

    monkeypatch.setattr(types.Resource, "of", staticmethod(broken))
    query = "{ seats { used } resources { totalCount edges { node { id name } } } }"
    fast, reference = await both(query, viewer, settings)
    assert fast == reference
    assert fast[0] is None  # `resources` is non-null too: the null reaches the root
    [(_message, path, extensions)] = fast[1]
    assert path[:2] == ("resources", "edges") and path[-2:] == ("node", "name")
    assert dict(extensions)["code"] == "INTERNAL_SERVER_ERROR"  # masked, as unexpected


async def test_the_fast_path_is_taken_for_plain_objects(viewer, settings, resolved_fields):
    """It must not silently fall back: count resolver calls on the reference path."""
    query = "{ resources { edges { node { id name email kind } } } }"
    await FAST.execute(query, context_value=context(viewer, settings))
    fast_calls = len(resolved_fields)
    resolved_fields.clear()
    await REFERENCE.execute(query, context_value=context(viewer, settings))
    assert fast_calls == 1  # the resources field itself; every row is planned
    assert len(resolved_fields) > 9 * 4


async def test_the_lines_of_an_invoice_are_planned(viewer, settings, resolved_fields):
    """The page's look at the next invoice (web/lib/api.js): its lines, with their history
    rows and people, are plain once read, so no line costs a resolver call. With 10 000
    lines, a resolver per line and field cost more than a second."""
    query = (
        "{ nextInvoice { total lines { kind description quantity amount change { id }"
        " resource { id name } } } }"
    )
    result = await FAST.execute(query, context_value=context(viewer, settings))
    lines = result.data["nextInvoice"]["lines"]
    assert result.errors is None
    assert any(line["change"] is not None for line in lines)
    assert any(line["resource"] is not None for line in lines)
    assert resolved_fields == ["Query.nextInvoice", "NextInvoice.lines"]


async def test_a_failing_resolver_beside_plain_fields_is_the_same_error_on_both(
    viewer, settings, monkeypatch
):
    """Objects with both kinds of field: the plan answers the plain ones, the reference
    executor the others, with their errors, paths and null propagation."""
    real = types.named_person

    async def failing(info, resource_id):
        found = real(info, resource_id)
        if inspect.isawaitable(found):
            found = await found
        if found is not None and found.name == "Person 2":
            raise RuntimeError("the person's row is unreadable")
        return found

    monkeypatch.setattr(types, "named_person", failing)
    query = (
        "{ history(first: 50) { edges { node { id fromCount toCount reason actor { name } "
        "resource { id name } } } } }"
    )
    fast, reference = await both(query, viewer, settings)
    assert fast == reference
    assert fast[0]["history"]["edges"]  # `resource` is nullable: only it is null
    assert fast[1] and all(path[-1] == "resource" for _, path, _ in fast[1])


async def test_mixed_objects_resolve_only_their_other_fields(viewer, settings, resolved_fields):
    """History rows: their plain fields are planned; `resource` (a resolver) and the fields
    holding such objects (`edges`, `node`) take the reference path."""
    fields = resolved_fields
    query = "{ history(first: 50) { edges { node { id fromCount reason resource { name } } } } }"
    await FAST.execute(query, context_value=context(viewer, settings))
    assert set(fields) == {
        "Query.history",
        "LicenseChangeConnection.edges",
        "LicenseChangeEdge.node",
        "LicenseChange.resource",
    }
    assert fields.count("LicenseChange.resource") == fields.count("LicenseChangeEdge.node") > 3


@pytest.mark.parametrize("seed", range(3))
async def test_generated_queries_answer_the_same_on_both(viewer, settings, seed):
    """Queries generated from the schema (only queries: mutations would change the data
    between the two runs)."""
    loop = asyncio.get_running_loop()
    mismatches: list[str] = []

    @settings_for_generation(seed)
    @given(query=graphql_queries(export_schema()))
    def check(query: str) -> None:
        fast, reference = asyncio.run_coroutine_threadsafe(
            both(query, viewer, settings), loop
        ).result(timeout=30)
        if not same_answer(fast, reference):
            mismatches.append(f"{query}\nfast: {fast}\nreference: {reference}")

    await asyncio.to_thread(check)
    assert mismatches == []


def same_answer(fast, reference) -> bool:
    """Equal; or, when a null reached the root, both with errors: then graphql-core stops
    waiting for the other root fields (whose resolvers all take the reference path), and
    which root field fails first, and so which errors are reported, is a matter of timing."""
    if fast == reference:
        return True
    (fast_data, fast_errors), (reference_data, reference_errors) = fast, reference
    return fast_data is None and reference_data is None and bool(fast_errors and reference_errors)


def settings_for_generation(seed: int):
    def apply(test):
        return with_seed(seed)(
            settings(
                max_examples=40,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )(test)
        )

    return apply
