"""Issue 10 item 10: the subscribers of one organisation are served from one read per change.
Many subscriptions of `seatsChanged` must not each read the seats (and check their
credential) after every change: that made each change cost two statements per subscription.
Run in-process against the schema, counting the SQL statements the ORM sends."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from server import events
from server.accounts import services as accounts
from server.api.context import Context
from server.api.schema import create_schema
from server.settings import Settings
from tests.factories import PASSWORD, make_org
from tests.test_api_query_count import StatementCounter

SUBSCRIBE = "subscription { seatsChanged { licenseCount used available } }"


@pytest.fixture
async def local_broker(db: None) -> AsyncIterator[None]:
    before = events.broker
    events.use(events.LocalBroker())
    yield
    events.use(before)


async def statements_per_change(settings: Settings, subscribers: int) -> list[str]:
    """The statements the server sends for one change of the count while `subscribers`
    subscriptions of one administrator's session listen, until every one has the change."""
    org = await make_org(license_count=2)
    signed_in = await accounts.login(org.admin.email, PASSWORD, session_hours=1)
    viewer = await accounts.viewer_for_session(signed_in.token)
    context = Context(
        request=None,
        response=None,
        settings=settings,
        viewer=viewer,
        session_token=signed_in.token,
    )
    schema = create_schema()
    streams = [await schema.subscribe(SUBSCRIBE, context_value=context) for _ in range(subscribers)]
    try:
        for stream in streams:
            assert (await anext(stream)).data["seatsChanged"]["licenseCount"] == 2
        logger = logging.getLogger("tortoise.db_client")
        counter, level = StatementCounter(), logger.level
        logger.addHandler(counter)
        logger.setLevel(logging.DEBUG)
        try:
            await org.set_count(5)
            for stream in streams:
                assert (await anext(stream)).data["seatsChanged"] == {
                    "licenseCount": 5,
                    "used": 1,
                    "available": 4,
                }
        finally:
            logger.removeHandler(counter)
            logger.setLevel(level)
    finally:
        for stream in streams:
            await stream.aclose()
    return counter.statements


async def test_one_read_per_change_however_many_subscribe(local_broker, settings):
    """Issue 10 item 10: 50 subscribers cost the same statements per change as one."""
    alone = await statements_per_change(settings, 1)
    crowd = await statements_per_change(settings, 50)
    assert len(crowd) == len(alone), crowd
    # The change ends with its point of the usage series; after it, the one read for all.
    change_ends = max(i for i, s in enumerate(crowd) if s.startswith('INSERT INTO "seat_usage"'))
    after = crowd[change_ends + 1 :]
    assert len(after) == 1 and 'FROM "organization"' in after[0], after
