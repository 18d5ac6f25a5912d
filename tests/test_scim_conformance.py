"""Issue 14: an RFC 7643/7644 compliance run of scim2-tester against a running server (a real
`serve` process), on SQLite and on PostgreSQL: no check fails among what ServiceProviderConfig
declares supported (R17)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import httpx2
from pydantic import Field
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import Required, ResourceType, ScimProvider, Uniqueness
from scim2_tester import Status, check_server

from server.scim import schema
from tests.servers import running_server
from tests.test_live_updates import live_database, mutate, sign_in


class NewAddresses(list):
    """Examples of userName for the checker: a new e-mail address each time one is drawn
    (its one item, read by index)."""

    def __init__(self) -> None:
        super().__init__(["someone@example.com"])

    def __getitem__(self, index):  # type: ignore[override]
        super().__getitem__(index)
        return f"{uuid.uuid4().hex}@example.com"


class User(schema.User):
    """The server's User, as its client knows it: the userName is an e-mail address (the
    schema cannot say so; the checker would send random text, which Seats refuses)."""

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = Field(
        None, examples=NewAddresses()
    )


def client_provider() -> ScimProvider:
    resource_type = ResourceType.from_resource(User[schema.SeatsUser])
    return ScimProvider(models=[User, schema.SeatsUser], resource_types=[resource_type])


def conformance(base_url: str, token: str) -> list:
    with httpx2.Client(
        base_url=f"{base_url}/scim/v2",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ) as http:
        client = SyncSCIMClient(http, provider=client_provider())
        return check_server(client)


async def test_issue_14_scim2_tester_finds_no_failure(tmp_path):
    async with live_database(tmp_path) as url, running_server(url, tmp_path) as server:
        cookie = await sign_in(server)
        created = await mutate(
            server,
            cookie,
            'mutation { createApiToken(name: "Conformance", scopes: [SCIM]) '
            "{ ... on CreateApiTokenSuccess { token } } }",
        )
        token = created["createApiToken"]["token"]
        # Licenses to spare: the checker creates people with login access.
        await mutate(
            server,
            cookie,
            "mutation { setLicenseCount(count: 1000) { __typename } }",
        )
        results = await asyncio.to_thread(conformance, server.base_url, token)
    assert results, "the checker ran no check"
    failures = [
        (result.status.name, result.title, result.reason, result.data)
        for result in results
        if result.status in (Status.ERROR, Status.CRITICAL, Status.DEVIATION)
    ]
    assert not failures, "\n".join(map(str, failures))
    # What ServiceProviderConfig declares was checked, not skipped: discovery, every CRUD
    # operation, PATCH add/replace/remove, and the listing and search with attributes.
    passed = set().union(*(result.tags for result in results if result.status is Status.SUCCESS))
    for tag in ("discovery", "crud:create", "crud:read", "crud:update", "crud:delete"):
        assert tag in passed, (tag, passed)
    assert {"patch:add", "patch:replace", "patch:remove"} <= passed, passed
