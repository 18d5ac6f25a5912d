"""Issue 11: every change of licenses or access runs in one skeleton, `seat_change`.

The skeleton's promises, proven on the skeleton itself: the idempotency key (R13), the usage
point and the announcement come with the change's commit and never without it; and the shape
that keeps them in one place: no change keeps its own copy of the steps, no attribute is put
on an ORM instance, and the history and the changes do not import each other.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server import events
from server.idempotency import Idempotency, IdempotencyKey
from server.licensing import history, outcomes, services
from server.licensing.models import SeatUsage
from tests.factories import make_org

LICENSING = Path(services.__file__).parent


@pytest.fixture
async def local_broker(db: None) -> AsyncIterator[events.LocalBroker]:
    before = events.broker
    broker = events.LocalBroker()
    events.use(broker)
    yield broker
    events.use(before)


def key(name: str) -> Idempotency:
    idempotency = Idempotency.of(name, "test", n=1)
    assert idempotency is not None
    return idempotency


class Refused(Exception):
    pass


async def test_issue_11_r13_a_change_keeps_its_key_and_point_and_announces_after_commit(
    local_broker,
):
    org = await make_org(license_count=2)
    points = await SeatUsage.filter(organization_id=org.id).count()
    async with local_broker.listen(org.id) as heard:
        async with services.seat_change(org.actor, idempotency=key("k1")) as change:
            assert change.replayed is None
            change.org.license_count = 3
            await change.org.save(using_db=change.conn, update_fields=["license_count"])
            answer = change.done(services.Seats.of(change.org))
            assert heard.empty(), "nothing is announced before the commit"
        await asyncio.wait_for(heard.get(), timeout=10)
    assert await IdempotencyKey.filter(organization_id=org.id, key="k1").count() == 1
    assert await SeatUsage.filter(organization_id=org.id).count() == points + 1

    async with services.seat_change(org.actor, idempotency=key("k1")) as change:
        assert change.replayed == answer
        assert change.outcome is None


async def test_issue_11_r13_r14_a_change_that_fails_keeps_nothing_and_announces_nothing(
    local_broker,
):
    org = await make_org(license_count=2)
    points = await SeatUsage.filter(organization_id=org.id).count()
    async with local_broker.listen(org.id) as heard:
        with pytest.raises(Refused):
            async with services.seat_change(org.actor, idempotency=key("k2")) as change:
                change.org.license_count = 3
                await change.org.save(using_db=change.conn, update_fields=["license_count"])
                change.done(services.Seats.of(change.org))
                raise Refused
        assert heard.empty()
    assert (await org.refresh()).license_count == 2
    assert not await IdempotencyKey.filter(organization_id=org.id, key="k2").exists()
    assert await SeatUsage.filter(organization_id=org.id).count() == points


async def test_issue_11_r13_an_answer_that_changed_nothing_spends_no_key(local_broker):
    org = await make_org(license_count=2)
    async with local_broker.listen(org.id) as heard:
        async with services.seat_change(org.actor, idempotency=key("k3")) as change:
            assert change.replayed is None  # a question: returned without done()
        assert heard.empty()
    assert not await IdempotencyKey.filter(organization_id=org.id, key="k3").exists()


def _functions(tree: ast.Module) -> dict[str, ast.AST]:
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_issue_11_every_change_runs_in_the_skeleton_and_nowhere_repeats_its_steps():
    functions = _functions(ast.parse(inspect.getsource(services)))
    changes = [
        "set_license_count",
        "toggle_access",
        "add_resource",
        "set_role",
        "terminate",
        "cancel_termination",
        "reactivate",
        "apply_due_terminations",
    ]
    for name in changes:
        assert "seat_change" in _calls(functions[name]), name
    steps = {"transaction", "replay", "remember", "record_usage", "check_expected_count"}
    for name, function in functions.items():
        if name != "seat_change":
            assert not steps & _calls(function), name


def test_issue_11_no_attribute_is_put_on_an_orm_instance_at_run_time():
    server = LICENSING.parent
    for path in server.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr":
                raise AssertionError(f"setattr in {path}")
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                assert node.attr not in {"news", "announce"}, f"{path}:{node.lineno}"


def test_issue_11_history_and_changes_share_the_actor_without_importing_each_other():
    imported = {
        node.module
        for node in ast.walk(ast.parse(inspect.getsource(history)))
        if isinstance(node, ast.ImportFrom)
    }
    assert "server.licensing.services" not in imported
    assert history.Actor is outcomes.Actor is services.Actor
