"""Issue 14 on PostgreSQL with 4 server processes: 50 SCIM creates at once when fewer licenses
are free (R2: never more used than paid for; R8: one unbroken history), deactivations sent
twice at once, which take a license off the count once (R7, R17), and 50 creates at once
against the license policy's cap (R16): the count ends exactly at the cap, the rest are
license requests, one per person however often and however concurrently they are asked for.
The invariants are checked in consistent snapshots while the requests run, as
tests/test_concurrency_postgres.py does for GraphQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import httpx
import pytest

from tests import bursts
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.scim import PATCH, SCIM_JSON, user
from tests.servers import Server, running_server
from tests.test_concurrency_postgres import watch_invariants

pytestmark = pytest.mark.postgres_only

ADMIN_EMAIL = "admin@scim.example.com"
ADMIN_PASSWORD = "a long enough password"
WORKERS = 4
CREATES = 50
LICENSES = 30  # the administrator uses one: 29 are free for the 50 creates
TWICE = 6  # people deactivated by two requests at once
ROOM = 10  # R16: how far the cap lets the identity provider raise the count by itself


@dataclass
class Deployment:
    server: Server
    database_url: str
    organization_id: int
    token: str


async def graphql(http: httpx.AsyncClient, query: str, **variables) -> dict:
    body = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture(scope="module")
async def deployment(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Deployment]:
    database_url = await create_postgres_database("seats_scim")
    try:
        organization_id = await bursts.create_organisation(
            database_url, "SCIM Ltd", ADMIN_EMAIL, ADMIN_PASSWORD
        )
        log_dir = tmp_path_factory.mktemp("server")
        async with running_server(database_url, log_dir, workers=WORKERS) as server:
            assert len(await server.workers_up(WORKERS)) == WORKERS
            async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
                await graphql(
                    http,
                    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
                    "{ __typename } }",
                    e=ADMIN_EMAIL,
                    p=ADMIN_PASSWORD,
                )
                await graphql(
                    http, f"mutation {{ setLicenseCount(count: {LICENSES}) {{ __typename }} }}"
                )
                created = await graphql(
                    http,
                    'mutation { createApiToken(name: "Okta", scopes: [SCIM]) '
                    "{ ... on CreateApiTokenSuccess { token } } }",
                )
            token = created["createApiToken"]["token"]
            yield Deployment(server, database_url, organization_id, token)
    finally:
        await drop_postgres_database(database_url)


def scim_client(deployment: Deployment) -> httpx.AsyncClient:
    http = bursts.burst_client(deployment.server.base_url, CREATES)
    http.headers.update({"Authorization": f"Bearer {deployment.token}", "Content-Type": SCIM_JSON})
    return http


async def watched(deployment: Deployment, work) -> list:
    """Run `work` while snapshots check R2 and R8; its result, once no problem was seen."""
    stop, problems = asyncio.Event(), []
    watcher = asyncio.create_task(
        watch_invariants(deployment.database_url, deployment.organization_id, stop, problems)
    )
    try:
        result = await work
    finally:
        stop.set()
        samples = await watcher
    assert samples > 0
    assert not problems, problems[:10]
    return result


async def final(deployment: Deployment) -> bursts.Snapshot:
    conn = await asyncpg.connect(bursts.asyncpg_url(deployment.database_url))
    try:
        return await bursts.snapshot(conn, deployment.organization_id)
    finally:
        await conn.close()


async def test_issue_14_r2_r8_hold_under_50_parallel_scim_creates_on_4_processes(deployment):
    async with scim_client(deployment) as http:
        sends = [
            http.post("/scim/v2/Users", json=user(f"person{n}@scim.example.com"))
            for n in range(CREATES)
        ]
        answers = await watched(deployment, asyncio.gather(*sends))
    statuses = Counter(answer.status_code for answer in answers)
    free = LICENSES - 1
    assert statuses == {201: free, 403: CREATES - free}, statuses
    for answer in answers:
        if answer.status_code == 403:
            body = answer.json()
            assert body["status"] == "403" and "licenses are in use" in body["detail"], body
    after = await final(deployment)
    assert not after.problems()
    # Every license used, none bought without a person confirming it: no history row since
    # the administrator set the count.
    assert (after.license_count, after.used) == (LICENSES, LICENSES)
    assert [row["reason"] for row in after.chain][-1] == "MANUAL"
    assert after.people["active_employees"] == LICENSES


async def test_issue_14_r7_a_deactivation_sent_twice_at_once_decreases_the_count_once(
    deployment,
):
    async with scim_client(deployment) as http:
        listed = (await http.get("/scim/v2/Users", params={"count": 100})).json()
        targets = [
            r["id"] for r in listed["Resources"] if r["userName"] != ADMIN_EMAIL and r["active"]
        ][:TWICE]
        assert len(targets) == TWICE
        before = await final(deployment)
        deactivate = {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        }
        sends = [
            http.patch(f"/scim/v2/Users/{target}", json=deactivate)
            for target in targets
            for _ in range(2)
        ]
        answers = await watched(deployment, asyncio.gather(*sends))
        assert {answer.status_code for answer in answers} <= {200, 204}, [
            a.text for a in answers if a.status_code not in (200, 204)
        ]
        # DELETE twice at once of someone still active: one 204, one 404, one decrease.
        last = next(
            r["id"]
            for r in listed["Resources"]
            if r["userName"] != ADMIN_EMAIL and r["active"] and r["id"] not in targets
        )
        deletes = await asyncio.gather(
            http.delete(f"/scim/v2/Users/{last}"), http.delete(f"/scim/v2/Users/{last}")
        )
        assert sorted(answer.status_code for answer in deletes) == [204, 404]
        for target in targets:
            got = (await http.get(f"/scim/v2/Users/{target}")).json()
            assert got["active"] is False
    after = await final(deployment)
    assert not after.problems()
    assert (after.license_count, after.used) == (
        before.license_count - TWICE - 1,
        before.used - TWICE - 1,
    )
    new_rows = after.chain[len(before.chain) :]
    assert [row["reason"] for row in new_rows] == ["TERMINATION"] * (TWICE + 1)


async def test_issue_14_r16_r2_r8_50_parallel_scim_creates_against_a_cap_end_exactly_at_it(
    deployment,
):
    before = await final(deployment)
    assert before.license_count == before.used  # every license in use: each create increases
    cap = before.license_count + ROOM
    async with httpx.AsyncClient(base_url=deployment.server.base_url, timeout=30) as admin:
        await graphql(
            admin,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }",
            e=ADMIN_EMAIL,
            p=ADMIN_PASSWORD,
        )
        await graphql(
            admin,
            "mutation($cap: Int!) { setLicensePolicy(mode: UP_TO_CAP, maxLicenseCount: $cap) "
            "{ __typename } }",
            cap=cap,
        )
    async with scim_client(deployment) as http:
        sends = [
            http.post("/scim/v2/Users", json=user(f"capped{n}@scim.example.com"))
            for n in range(CREATES)
        ]
        answers = await watched(deployment, asyncio.gather(*sends))
        statuses = Counter(answer.status_code for answer in answers)
        assert statuses == {201: ROOM, 403: CREATES - ROOM}, statuses
        refused = [
            f"capped{n}@scim.example.com"
            for n, answer in enumerate(answers)
            if answer.status_code == 403
        ]
        for answer in answers:
            if answer.status_code == 403:
                detail = answer.json()["detail"]
                assert "licenses are in use" in detail, detail
                assert "an administrator has been asked" in detail, detail
        # The identity provider retries every refused person twice at once: refused again,
        # and still one pending request each.
        retries = [
            http.post("/scim/v2/Users", json=user(email)) for email in refused for _ in range(2)
        ]
        again = await watched(deployment, asyncio.gather(*retries))
        assert {answer.status_code for answer in again} == {403}
    after = await final(deployment)
    assert not after.problems()
    assert (after.license_count, after.used) == (cap, cap)
    new_rows = after.chain[len(before.chain) :]
    assert [row["reason"] for row in new_rows] == ["AUTO_INCREASE"] * ROOM
    conn = await asyncpg.connect(bursts.asyncpg_url(deployment.database_url))
    try:
        pending = await conn.fetch(
            "SELECT email, count(*) AS n FROM license_request WHERE organization_id = $1 "
            "AND status = 'PENDING' AND email LIKE 'capped%' GROUP BY email",
            deployment.organization_id,
        )
    finally:
        await conn.close()
    assert sorted(row["email"] for row in pending) == sorted(refused)
    assert {row["n"] for row in pending} == {1}
