"""R19, issue 15: when each person last signed in and was last active (written at most once an
hour), and the unused licenses: holders not active for the organisation's N days, with what
each costs a month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tortoise import connections

from server import sql
from server.accounts import activity
from server.accounts import services as account_services
from server.accounts.models import Organization, Resource, ResourceKind, Role
from server.accounts.rules import time_to_note_use
from server.api import ids
from server.billing.services import current_plan
from server.licensing import services
from tests.conftest import ON_POSTGRES
from tests.factories import PASSWORD, error_codes, make_org
from tests.test_api_query_count import recorded
from tests.test_api_tokens import new_token

UNUSED = """query($first: Int, $after: String) { unusedLicenses(first: $first, after: $after) {
  totalCount totalMonthlyCost monthlyCost currency unusedAfterDays inactiveSince
  edges { cursor node { monthlyCost currency resource { id name lastActiveAt } } }
  pageInfo { hasNextPage endCursor } } }"""
SET_DAYS = """mutation($days: Int!) { setUnusedAfterDays(days: $days) {
  ... on SetUnusedAfterDaysSuccess { unusedAfterDays } } }"""
ME_ACTIVITY = """query($id: ID!) { resource(id: $id) { lastSignedInAt lastActiveAt } }"""


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]


async def set_times(resource_id: int, **moments: datetime) -> None:
    await Resource.filter(id=resource_id).update(**moments)


async def test_issue_15_last_active_signing_in_keeps_the_time(client):
    """issue 15: last active, R19: signing in writes the last sign-in and the last activity;
    both are null before, and shown on the person (the licenses list, the person's page)."""
    org = await make_org(license_count=3)
    person = await org.add(password=PASSWORD)
    assert (person.last_signed_in_at, person.last_active_at) == (None, None)
    before = datetime.now(UTC)
    await client.login(person.email)
    after = datetime.now(UTC)
    kept = await Resource.get(id=person.id)
    assert before <= kept.last_signed_in_at <= after
    assert kept.last_active_at == kept.last_signed_in_at
    client.http.cookies.clear()
    await client.login(org.admin.email)
    shown = await client.data(ME_ACTIVITY, id=ids.encode(ids.RESOURCE, person.id))
    assert datetime.fromisoformat(shown["resource"]["lastSignedInAt"]) == kept.last_signed_in_at
    listed = await client.data("{ resources { edges { node { id lastActiveAt } } } }")
    never = {e["node"]["id"]: e["node"]["lastActiveAt"] for e in listed["resources"]["edges"]}
    assert datetime.fromisoformat(never[ids.encode(ids.RESOURCE, person.id)]) == kept.last_active_at


async def test_issue_15_last_active_is_written_at_most_once_an_hour(client):
    """issue 15: last active, R19: a request with the session writes the activity only when
    the kept one is older than an hour: one UPDATE then, and none for the next requests of
    the hour (the session lookup stays one statement)."""
    org = await make_org()
    await client.login(org.admin.email)
    query = "{ seats { used } }"
    async with recorded() as fresh:
        await client.data(query)
    assert writes(fresh) == []
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    await set_times(org.admin.id, last_active_at=two_hours_ago)
    async with recorded() as stale:
        await client.data(query)
    assert len(writes(stale)) == 1 and 'UPDATE "resource"' in writes(stale)[0]
    assert len(stale) == len(fresh) + 1
    touched = (await Resource.get(id=org.admin.id)).last_active_at
    assert touched > two_hours_ago + timedelta(hours=1)
    async with recorded() as again:
        await client.data(query)
    assert writes(again) == [] and len(again) == len(fresh)
    assert (await Resource.get(id=org.admin.id)).last_active_at == touched


def test_issue_15_last_active_the_hour_rule():
    """issue 15: last active: written when never, after an hour, or when the kept time is in
    the future; not within the hour."""
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert time_to_note_use(None, now, activity.TOUCH_EVERY)
    assert not time_to_note_use(now - timedelta(minutes=59), now, activity.TOUCH_EVERY)
    assert not time_to_note_use(now, now, activity.TOUCH_EVERY)
    assert time_to_note_use(now - timedelta(hours=1), now, activity.TOUCH_EVERY)
    assert time_to_note_use(now + timedelta(minutes=5), now, activity.TOUCH_EVERY)


async def test_issue_15_last_active_a_token_is_nobody_s_activity(client):
    """issue 15: last active: requests with an API token are the token's activity, not the
    activity of the administrator who made it (nor anyone else's)."""
    org = await make_org()
    await client.login(org.admin.email)
    token = (await new_token(client, "SEATS_READ"))["token"]
    long_ago = datetime.now(UTC) - timedelta(days=40)
    await set_times(org.admin.id, last_active_at=long_ago)
    client.http.cookies.clear()
    response = await client.http.post(
        "/graphql",
        json={"query": "{ seats { used } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert "errors" not in response.json()
    assert (await Resource.get(id=org.admin.id)).last_active_at == long_ago


@pytest.fixture
async def org(client):
    made = await make_org(license_count=20)
    await client.login(made.admin.email)
    return made


async def test_issue_15_unused_licences_n_is_30_and_bounded(client, org):
    """issue 15: unused licences, R19, R14: N is 30 unless chosen; 1 to 365, anything else is
    BAD_USER_INPUT on `days` and changes nothing."""
    assert (await client.data(UNUSED))["unusedLicenses"]["unusedAfterDays"] == 30
    for wrong in (0, -1, 366, 100_000):
        body = await client(SET_DAYS, days=wrong)
        assert error_codes(body) == ["BAD_USER_INPUT"], body
        assert body["errors"][0]["extensions"]["field"] == "days"
        assert "1 to 365" in body["errors"][0]["message"]
        assert (await Organization.get(id=org.id)).unused_after_days == 30
    for right in (1, 365, 45):
        saved = await client.data(SET_DAYS, days=right)
        assert saved["setUnusedAfterDays"]["unusedAfterDays"] == right
        assert (await client.data(UNUSED))["unusedLicenses"]["unusedAfterDays"] == right


async def people_for_the_list(org):
    """Holders and others, with activity at known distances from now (days)."""
    now = datetime.now(UTC)

    async def person(name, *, active_days=None, created_days=0, **kwargs):
        made = await org.add(name, **kwargs)
        moments = {"created_at": now - timedelta(days=created_days)}
        if active_days is not None:
            moments["last_active_at"] = now - timedelta(days=active_days)
        await set_times(made.id, **moments)
        return made

    made = {
        "old never": await person("Old Never", created_days=90),
        "older never": await person("Older Never", created_days=200),
        "new never": await person("New Never", created_days=3),
        "future start never": await person(
            "Future Start", created_days=90, start_date=(now + timedelta(days=5)).date()
        ),
        "idle 40": await person("Idle Forty", active_days=40, created_days=100),
        "idle 100": await person("Idle Hundred", active_days=100, created_days=300),
        "idle 31": await person("Idle ThirtyOne", active_days=31, created_days=100),
        "recent 2": await person("Recent Two", active_days=2, created_days=100),
        "recent 29": await person("Recent TwentyNine", active_days=29, created_days=100),
        "consultant": await person(
            "Consultant", active_days=100, kind=ResourceKind.EXTERNAL_CONSULTANT
        ),
        "no access": await person("No Access", active_days=100, created_days=100, access=False),
        "manager idle": await person(
            "Manager Idle", active_days=60, created_days=100, role=Role.RESOURCE_MANAGER
        ),
    }
    terminated = await person("Terminated", active_days=100, created_days=100)
    await services.terminate(org.actor, terminated.id, date(2025, 6, 1))
    return made


async def test_issue_15_unused_licences_membership_and_order(client, org):
    """issue 15: unused licences, R19, R1: license holders only (no consultant, nobody without
    access, nobody terminated), not active for 30 days, or never active and registered and
    started before that; never active first by id, then oldest activity first."""
    made = await people_for_the_list(org)
    listed = (await client.data(UNUSED))["unusedLicenses"]
    names = [e["node"]["resource"]["name"] for e in listed["edges"]]
    assert names == [
        "Old Never",
        "Older Never",
        "Idle Hundred",
        "Manager Idle",
        "Idle Forty",
        "Idle ThirtyOne",
    ]
    assert listed["totalCount"] == 6
    assert listed["edges"][0]["node"]["resource"]["lastActiveAt"] is None
    assert listed["edges"][2]["node"]["resource"]["id"] == ids.encode(
        ids.RESOURCE, made["idle 100"].id
    )
    # A longer N leaves out the recently idle; a shorter one takes them in.
    await client.data(SET_DAYS, days=50)
    names = [
        e["node"]["resource"]["name"]
        for e in (await client.data(UNUSED))["unusedLicenses"]["edges"]
    ]
    assert names == ["Old Never", "Older Never", "Idle Hundred", "Manager Idle"]
    await client.data(SET_DAYS, days=1)
    listed = (await client.data(UNUSED))["unusedLicenses"]
    names = [e["node"]["resource"]["name"] for e in listed["edges"]]
    assert names[:2] == ["Old Never", "Older Never"]
    assert names[-2:] == ["Recent TwentyNine", "Recent Two"]
    assert "New Never" in names and "Future Start" not in names
    assert listed["totalCount"] == len(names) == 9


async def test_issue_15_unused_licences_pages_follow_one_another(client, org):
    """issue 15: unused licences, R19: pages of one follow the order across the never active
    and the idle, each person once; a cursor not given out is BAD_USER_INPUT."""
    await people_for_the_list(org)
    whole = [
        e["node"]["resource"]["id"]
        for e in (await client.data(UNUSED, first=50))["unusedLicenses"]["edges"]
    ]
    for size in (1, 2, 4):
        seen, after = [], None
        while True:
            page = (await client.data(UNUSED, first=size, after=after))["unusedLicenses"]
            seen += [e["node"]["resource"]["id"] for e in page["edges"]]
            assert len(page["edges"]) <= size
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
            assert page["edges"][-1]["cursor"] == after
        assert seen == whole, size
    for wrong in ("nonsense", "WyJub3QgYSB0aW1lIiwgMV0=", ""):
        body = await client(UNUSED, first=2, after=wrong)
        assert error_codes(body) == ["BAD_USER_INPUT"], (wrong, body)


async def test_issue_15_unused_licences_cost_a_month(client, org):
    """issue 15: unused licences, R19, R10: each unused license costs the plan's price of one
    license a month, in minor units with the plan's currency; the total is that times the
    number of unused licenses on all pages."""
    await people_for_the_list(org)
    plan = await current_plan(org.id)
    listed = (await client.data(UNUSED, first=2))["unusedLicenses"]
    assert listed["monthlyCost"] == plan.price_per_license > 0
    assert listed["currency"] == plan.currency
    assert {e["node"]["monthlyCost"] for e in listed["edges"]} == {plan.price_per_license}
    assert {e["node"]["currency"] for e in listed["edges"]} == {plan.currency}
    assert listed["totalCount"] == 6
    assert listed["totalMonthlyCost"] == 6 * plan.price_per_license


async def test_issue_15_unused_licences_another_organisation_is_not_seen(client, org):
    """issue 15: unused licences, R12: the list holds the organisation's own people only."""
    other = await make_org("Other", license_count=5)
    stranger = await other.add("Stranger")
    await set_times(stranger.id, created_at=datetime.now(UTC) - timedelta(days=90))
    made = await people_for_the_list(org)
    listed = (await client.data(UNUSED))["unusedLicenses"]
    shown = {e["node"]["resource"]["id"] for e in listed["edges"]}
    assert ids.encode(ids.RESOURCE, stranger.id) not in shown
    assert ids.encode(ids.RESOURCE, made["old never"].id) in shown


async def test_issue_15_unused_licences_statements_do_not_grow_with_the_page(client, org):
    """issue 15: unused licences: a page of 2 and a page of 12 cost the same statements."""
    await people_for_the_list(org)
    counts = []
    for first in (2, 12):
        async with recorded() as statements:
            await client.data(UNUSED, first=first)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 5, counts


async def sqlite_plan(statement: str, params: list) -> str:
    query = "EXPLAIN QUERY PLAN " + sql._for_dialect(statement, True)
    rows = await connections.get("default").execute_query_dict(query, params)
    return "\n".join(row["detail"] for row in rows)


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's query plan")
async def test_issue_15_unused_licences_read_the_index(client, org, monkeypatch):
    """issue 15: unused licences: every statement of the list (both parts of a page, from the
    start and after a cursor, and the count) seeks the index of migration 13, (organisation,
    R1's columns, last activity, id): no scan of the organisation's people, no sort."""
    await people_for_the_list(org)
    ran: list[tuple[str, list]] = []
    fetch = sql.fetch

    async def recording(statement, params, conn=None):
        ran.append((statement, list(params)))
        return await fetch(statement, params, conn)

    monkeypatch.setattr(sql, "fetch", recording)
    first = (await client.data(UNUSED, first=1))["unusedLicenses"]
    after_never = first["pageInfo"]["endCursor"]
    page = (await client.data(UNUSED, first=3, after=after_never))["unusedLicenses"]
    await client.data(UNUSED, first=2, after=page["pageInfo"]["endCursor"])
    statements = [(s, p) for s, p in ran if 'FROM "resource"' in s]
    assert len(statements) >= 5
    assert any('"last_active_at">=' in s for s, _ in statements)
    for statement, params in statements:
        plan = await sqlite_plan(statement, params)
        assert "idx_resource_organiz_287a7d" in plan, (statement, plan)
        assert "SCAN resource" not in plan, plan
        assert "TEMP B-TREE" not in plan, plan


async def test_issue_15_last_active_the_server_s_own_checks_are_nobody_s_activity(db):
    """issue 15: last active, R19: a session looked up again by the server itself (a
    websocket's credential after a reconnection to the database) writes no activity; the same
    lookup for a request of the person does."""
    org = await make_org()
    signed = await account_services.login(org.admin.email, PASSWORD, session_hours=1)
    assert isinstance(signed, account_services.SignedIn)
    long_ago = datetime.now(UTC) - timedelta(days=3)
    await set_times(org.admin.id, last_active_at=long_ago)
    viewer = await account_services.viewer_for_session(signed.token, active=False)
    assert viewer is not None and viewer.resource.id == org.admin.id
    assert (await Resource.get(id=org.admin.id)).last_active_at == long_ago
    await account_services.viewer_for_session(signed.token)
    assert (await Resource.get(id=org.admin.id)).last_active_at > long_ago + timedelta(days=2)


@pytest.mark.postgres_only
async def test_issue_15_unused_licences_read_the_index_on_postgres(client, org, monkeypatch):
    """issue 15: unused licences: on PostgreSQL too, in an organisation of 20 000 people (a
    fifth of them holding licenses, a third of those never active), each page's statements
    read the index of migration 13 in its order, from the start and after cursors in both
    parts, with no sort; the planner may read the few ids after a cursor near the end of the
    never active by the primary key instead. Never a sequential scan."""
    db = connections.get("default")
    await db.execute_script(
        f"""INSERT INTO "resource" ("organization_id", "name", "email", "kind", "role", "active",
            "login_access", "start_date", "created_at", "last_active_at")
        SELECT {org.id}, 'Bulk ' || g, 'bulk' || g || '@example.com',
            CASE WHEN g % 10 = 0 THEN 'EXTERNAL_CONSULTANT' ELSE 'EMPLOYEE' END, 'MEMBER',
            g % 7 <> 0, g % 5 = 0, DATE '2025-01-01', now() - interval '400 days',
            CASE WHEN g % 3 = 0 THEN NULL ELSE now() - (g % 200) * interval '1 day' END
        FROM generate_series(1, 20000) AS g;
        ANALYZE "resource";"""
    )
    try:
        ran: list[tuple[str, list]] = []
        fetch = sql.fetch

        async def recording(statement, params, conn=None):
            ran.append((statement, list(params)))
            return await fetch(statement, params, conn)

        monkeypatch.setattr(sql, "fetch", recording)
        after, pages = None, 0
        while pages < 40:
            page = (await client.data(UNUSED, first=50, after=after))["unusedLicenses"]
            pages += 1
            after = page["pageInfo"]["endCursor"]
            if page["edges"][-1]["node"]["resource"]["lastActiveAt"] is not None:
                break
        page = (await client.data(UNUSED, first=50, after=after))["unusedLicenses"]
        monkeypatch.setattr(sql, "fetch", fetch)
        listed = [(s, p) for s, p in ran if 'FROM "resource"' in s and "COUNT(" not in s]
        assert any('"last_active_at" IS NULL' in s for s, _ in listed)
        assert any('"last_active_at">=' in s for s, _ in listed)
        for statement, params in listed:
            rows = await fetch("EXPLAIN " + statement, params)
            plan = "\n".join(row["QUERY PLAN"] for row in rows)
            assert "Seq Scan" not in plan, plan
            if "Index Scan using resource_pkey" in plan:
                # Near the end of the never active, the few ids after the cursor are read
                # by the primary key (the planner's choice, as cheap): a range, never a scan.
                assert "Index Cond: (id > " in plan, plan
                continue
            assert "Index Scan using idx_resource_organiz_287a7d" in plan, plan
            assert "Sort" not in plan, plan
    finally:
        await db.execute_query(
            'DELETE FROM "resource" WHERE "organization_id"=$1 AND "email" LIKE $2',
            [org.id, "bulk%"],
        )
