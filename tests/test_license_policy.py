"""R16 (issue 14): the license policy of an organisation, and the license requests an increase
it stops makes. Through the domain's services, as every transport calls them; the SCIM and
GraphQL transports have tests of their own (test_scim_license_requests.py,
test_api_license_policy.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from server import events
from server.accounts import tokens
from server.accounts.models import LicensePolicy, Organization, Resource, Role, Scope
from server.billing.services import current_plan
from server.errors import (
    Forbidden,
    InvalidInput,
    LicenseLimitReached,
    LicenseRequestDeclined,
    LicenseRequestPending,
    NotFound,
)
from server.idempotency import Idempotency
from server.licensing import rules, services
from server.licensing.models import ChangeReason, LicenseChange, LicenseRequest, RequestStatus
from tests.factories import MAXIMUM, actor_for, assert_invariants, make_org

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
async def local_broker(db: None) -> AsyncIterator[events.LocalBroker]:
    before = events.broker
    broker = events.LocalBroker()
    events.use(broker)
    yield broker
    events.use(before)


async def full_org(count: int = 2):
    """An organisation whose every license is in use, a resource manager, and a person
    without access (the one increases are asked for)."""
    org = await make_org(license_count=count)
    manager = await org.add("Rita Manager", role=Role.RESOURCE_MANAGER)
    while (await org.refresh()).used < org.org.license_count:
        await org.add()
    waiting = await org.add("Wanda Waiting", access=False)
    await org.refresh()
    return org, manager, waiting


async def token_actor(org, scopes=(Scope.SEATS_WRITE,)) -> services.Actor:
    _, token = await tokens.create_api_token(
        org.id, "HR sync", list(scopes), created_by_id=org.admin.id
    )
    return services.Actor.token(token)


async def state(org) -> tuple[int, int, int]:
    row = await Organization.get(id=org.id)
    rows = await LicenseChange.filter(organization_id=org.id).count()
    return row.license_count, row.used, rows


async def set_policy(org, mode, max_count=None, max_amount=None, now=None):
    return await services.set_license_policy(
        org.actor, mode, max_count, max_amount, maximum=MAXIMUM, now=now
    )


def key(name: str, **arguments) -> Idempotency:
    made = Idempotency.of(name, "toggleAccess", **arguments)
    assert made is not None
    return made


# --- The policy's verdict, as a pure rule ---------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "max_count", "max_amount", "new_count", "amount", "admin", "verdict"),
    [
        (LicensePolicy.NEVER, None, None, 10, None, False, rules.Verdict.REQUEST),
        (LicensePolicy.NEVER, None, None, 10, None, True, rules.Verdict.ALLOW),
        (LicensePolicy.UP_TO_CAP, None, None, 10, None, False, rules.Verdict.ALLOW),
        (LicensePolicy.UP_TO_CAP, 10, None, 10, None, False, rules.Verdict.ALLOW),
        (LicensePolicy.UP_TO_CAP, 10, None, 11, None, False, rules.Verdict.REQUEST),
        (LicensePolicy.UP_TO_CAP, 10, None, 11, None, True, rules.Verdict.OVER_CAP),
        (LicensePolicy.NEVER, 10, None, 11, None, True, rules.Verdict.OVER_CAP),
        (LicensePolicy.UP_TO_CAP, None, 5000, 5, 5000, False, rules.Verdict.ALLOW),
        (LicensePolicy.UP_TO_CAP, None, 5000, 6, 6000, False, rules.Verdict.REQUEST),
        (LicensePolicy.UP_TO_CAP, 100, 5000, 6, 6000, True, rules.Verdict.OVER_CAP),
    ],
)
def test_r16_the_verdict_on_an_increase(
    mode, max_count, max_amount, new_count, amount, admin, verdict
):
    policy = rules.Policy(mode, max_count, max_amount)
    assert rules.judge_increase(policy, new_count, amount, by_administrator=admin) is verdict


def test_r16_a_decline_stands_30_days_and_until_the_policy_is_saved_again():
    decided = NOW
    assert rules.declined_stands(decided, None, decided + timedelta(days=29))
    assert not rules.declined_stands(decided, None, decided + timedelta(days=30))
    assert rules.declined_stands(decided, decided - timedelta(days=1), decided + timedelta(1))
    assert not rules.declined_stands(decided, decided + timedelta(hours=1), decided + timedelta(1))


async def test_r16_the_default_policy_is_never_with_no_cap(db):
    org = await make_org()
    assert rules.Policy.of(org.org) == rules.Policy(LicensePolicy.NEVER, None, None)


# --- An increase the policy stops -----------------------------------------------------------


async def test_r16_r4_a_resource_managers_confirmed_increase_becomes_a_request_and_changes_nothing(
    local_broker,
):
    org, manager, waiting = await full_org()
    before = await state(org)
    async with local_broker.listen(org.id) as heard:
        with pytest.raises(LicenseRequestPending) as refused:
            await services.toggle_access(
                actor_for(manager),
                waiting.id,
                True,
                accept_increase=True,
                maximum=MAXIMUM,
                now=NOW,
            )
        # The live subscription hears of the request (R16), once it is committed.
        await asyncio.wait_for(heard.get(), timeout=10)
    assert "an administrator has been asked" in refused.value.message
    assert "Wanda Waiting" in refused.value.message
    assert refused.value.code == "LICENSE_REQUEST_PENDING"
    assert await state(org) == before
    assert not (await Resource.get(id=waiting.id)).login_access
    [request] = await LicenseRequest.filter(organization_id=org.id)
    assert request.status is RequestStatus.PENDING
    assert (request.resource_id, request.email, request.name) == (
        waiting.id,
        waiting.email,
        "Wanda Waiting",
    )
    assert (request.requested_by_id, request.requested_by_token_id) == (manager.id, None)
    assert request.requested_by_name == "Rita Manager"
    assert request.created_at == NOW
    await assert_invariants(org.id)


async def test_r16_r4_without_accepting_the_question_says_an_administrator_will_be_asked(db):
    org, manager, waiting = await full_org()
    answer = await services.toggle_access(actor_for(manager), waiting.id, True, maximum=MAXIMUM)
    assert isinstance(answer, services.LicenseIncreaseRequired)
    assert "confirming asks one" in answer.message and answer.needs_approval
    # An administrator is asked the plain question: their confirmation is the increase.
    mine = await services.toggle_access(org.actor, waiting.id, True, maximum=MAXIMUM)
    assert isinstance(mine, services.LicenseIncreaseRequired) and not mine.needs_approval
    assert not await LicenseRequest.filter(organization_id=org.id).exists()


async def test_r16_r13_asking_again_makes_no_second_request_and_a_key_replays_the_refusal(db):
    org, _, waiting = await full_org()
    token = await token_actor(org)
    messages = []
    for attempt in range(2):
        with pytest.raises(LicenseRequestPending) as refused:
            await services.toggle_access(
                token,
                waiting.id,
                True,
                accept_increase=True,
                maximum=MAXIMUM,
                idempotency=key(f"grant-wanda-{attempt}"),
            )
        messages.append(refused.value.message)
    # The same key again: the first answer, word for word; still one request.
    with pytest.raises(LicenseRequestPending) as replayed:
        await services.toggle_access(
            token,
            waiting.id,
            True,
            accept_increase=True,
            maximum=MAXIMUM,
            idempotency=key("grant-wanda-0"),
        )
    assert replayed.value.message == messages[0]
    assert await LicenseRequest.filter(organization_id=org.id).count() == 1
    [request] = await LicenseRequest.all()
    assert request.requested_by_token_id == token.token_id
    assert request.requested_by_name == "API token “HR sync”"


async def test_r16_r6_an_add_the_policy_stops_registers_no_one(db):
    org, manager, _ = await full_org()
    before = await state(org)
    with pytest.raises(LicenseRequestPending):
        await services.add_resource(
            actor_for(manager),
            services.NewResource(name="Nina New", email="Nina@Example.com", login_access=True),
            accept_increase=True,
            maximum=MAXIMUM,
        )
    assert not await Resource.filter(email="nina@example.com").exists()
    assert await state(org) == before
    [request] = await LicenseRequest.all()
    assert (request.resource_id, request.email, request.name) == (
        None,
        "nina@example.com",
        "Nina New",
    )


async def test_r16_up_to_a_cap_increases_happen_by_themselves_then_become_requests(db):
    org, manager, waiting = await full_org(count=2)
    await set_policy(org, LicensePolicy.UP_TO_CAP, max_count=3)
    token = await token_actor(org)
    other = await org.add("Otto Other", access=False)
    answer = await services.toggle_access(
        token, waiting.id, True, accept_increase=True, maximum=MAXIMUM
    )
    assert answer.change is not None and answer.change.to_count == 3
    before = await state(org)
    with pytest.raises(LicenseRequestPending):
        await services.toggle_access(
            actor_for(manager), other.id, True, accept_increase=True, maximum=MAXIMUM
        )
    assert await state(org) == before == (3, 3, before[2])
    await assert_invariants(org.id)


async def test_r16_r9_a_cap_on_the_monthly_amount_counts_the_plans_price(db):
    org, _, waiting = await full_org(count=2)
    price = (await current_plan(org.id)).price_per_license
    await set_policy(org, LicensePolicy.UP_TO_CAP, max_amount=3 * price - 1)
    token = await token_actor(org)
    with pytest.raises(LicenseRequestPending):
        await services.toggle_access(token, waiting.id, True, accept_increase=True, maximum=MAXIMUM)
    await set_policy(org, LicensePolicy.UP_TO_CAP, max_amount=3 * price)
    answer = await services.toggle_access(
        token, waiting.id, True, accept_increase=True, maximum=MAXIMUM
    )
    assert answer.change is not None and answer.change.to_count == 3


async def test_r16_an_administrator_confirms_under_never_but_never_past_a_cap(db):
    org, _, waiting = await full_org(count=2)
    answer = await services.toggle_access(
        org.actor, waiting.id, True, accept_increase=True, maximum=MAXIMUM
    )
    assert answer.change.reason is ChangeReason.AUTO_INCREASE
    await set_policy(org, LicensePolicy.NEVER, max_count=3)
    other = await org.add("Otto Other", access=False)
    before = await state(org)
    with pytest.raises(LicenseLimitReached) as refused:
        await services.toggle_access(
            org.actor, other.id, True, accept_increase=True, maximum=MAXIMUM
        )
    assert "caps the count at 3" in refused.value.message
    # R3 too: setting the count by hand does not pass the cap; going down does.
    with pytest.raises(LicenseLimitReached):
        await services.set_license_count(org.actor, 4, maximum=MAXIMUM)
    assert await state(org) == before
    assert not await LicenseRequest.exists()


async def test_r16_only_an_administrator_signed_in_as_a_person_sets_the_policy(db):
    org, manager, _ = await full_org()
    token = await token_actor(org)
    for actor in (actor_for(manager), token):
        with pytest.raises(Forbidden):
            await services.set_license_policy(
                actor, LicensePolicy.UP_TO_CAP, None, None, maximum=MAXIMUM
            )
    with pytest.raises(InvalidInput):
        await set_policy(org, LicensePolicy.UP_TO_CAP, max_count=-1)
    with pytest.raises(InvalidInput):
        await set_policy(org, LicensePolicy.UP_TO_CAP, max_amount=-5)
    assert (await Organization.get(id=org.id)).license_policy is LicensePolicy.NEVER


# --- Approving and declining ------------------------------------------------------------------


async def pending_for(org, waiting, manager) -> LicenseRequest:
    with pytest.raises(LicenseRequestPending):
        await services.toggle_access(
            actor_for(manager), waiting.id, True, accept_increase=True, maximum=MAXIMUM
        )
    return await LicenseRequest.get(organization_id=org.id, status=RequestStatus.PENDING)


async def test_r16_r2_r4_r8_approving_increases_and_gives_access_in_one_transaction(db):
    org, manager, waiting = await full_org()
    request = await pending_for(org, waiting, manager)
    count, used, rows = await state(org)
    decided = await services.approve_license_request(
        org.actor, request.id, maximum=MAXIMUM, idempotency=key("approve", id=request.id)
    )
    assert decided.request.status is RequestStatus.APPROVED
    assert await state(org) == (count + 1, used + 1, rows + 1)
    assert (await Resource.get(id=waiting.id)).login_access
    row = await LicenseChange.filter(organization_id=org.id).order_by("-id").first()
    assert (row.reason, row.from_count, row.to_count) == (
        ChangeReason.AUTO_INCREASE,
        count,
        count + 1,
    )
    assert (row.actor_id, row.resource_id) == (org.admin.id, waiting.id)
    stored = await LicenseRequest.get(id=request.id)
    assert (stored.decided_by_id, stored.decided_by_name) == (org.admin.id, org.admin.name)
    # R13: the same key answers the same and changes nothing more; without it, refused.
    again = await services.approve_license_request(
        org.actor, request.id, maximum=MAXIMUM, idempotency=key("approve", id=request.id)
    )
    assert again.message == decided.message
    with pytest.raises(InvalidInput, match="already approved"):
        await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    assert await state(org) == (count + 1, used + 1, rows + 1)
    await assert_invariants(org.id)


async def test_r16_approving_a_request_for_someone_not_yet_registered_registers_them(db):
    org, manager, _ = await full_org()
    with pytest.raises(LicenseRequestPending):
        await services.add_resource(
            actor_for(manager),
            services.NewResource(name="Nina New", email="nina@example.com", login_access=True),
            accept_increase=True,
            maximum=MAXIMUM,
        )
    request = await LicenseRequest.get(organization_id=org.id)
    count, used, _ = await state(org)
    await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    nina = await Resource.get(organization_id=org.id, email="nina@example.com")
    assert (nina.name, nina.role, nina.active, nina.login_access) == (
        "Nina New",
        Role.MEMBER,
        True,
        True,
    )
    assert (await state(org))[:2] == (count + 1, used + 1)
    assert (await LicenseRequest.get(id=request.id)).resource_id == nina.id
    await assert_invariants(org.id)


async def test_r16_approving_past_a_cap_is_refused_until_the_cap_is_raised(db):
    org, manager, waiting = await full_org(count=2)
    await set_policy(org, LicensePolicy.NEVER, max_count=2)
    request = await pending_for(org, waiting, manager)
    before = await state(org)
    with pytest.raises(LicenseLimitReached, match="Raise the cap first"):
        await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    assert await state(org) == before
    assert (await LicenseRequest.get(id=request.id)).status is RequestStatus.PENDING
    await set_policy(org, LicensePolicy.NEVER, max_count=3)
    await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    assert (await state(org))[:2] == (3, 3)


async def test_r16_approving_when_a_license_was_freed_meanwhile_uses_it(db):
    org, manager, waiting = await full_org(count=2)
    request = await pending_for(org, waiting, manager)
    await services.toggle_access(org.actor, manager.id, False, maximum=MAXIMUM)
    count, used, rows = await state(org)
    decided = await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    assert decided.change is None
    assert await state(org) == (count, used + 1, rows)


async def test_r16_only_an_administrator_signed_in_as_a_person_decides(db):
    org, manager, waiting = await full_org()
    request = await pending_for(org, waiting, manager)
    token = await token_actor(org)
    for actor in (actor_for(manager), token):
        with pytest.raises(Forbidden):
            await services.approve_license_request(actor, request.id, maximum=MAXIMUM)
        with pytest.raises(Forbidden):
            await services.decline_license_request(actor, request.id)
    other = await make_org("Other Ltd")
    # R12: a request of another organisation does not exist for its administrator.
    with pytest.raises(NotFound):
        await services.approve_license_request(other.actor, request.id, maximum=MAXIMUM)
    assert (await LicenseRequest.get(id=request.id)).status is RequestStatus.PENDING


async def test_r16_a_decline_refuses_the_same_person_again_without_a_new_request(db):
    org, manager, waiting = await full_org()
    request = await pending_for(org, waiting, manager)
    before = await state(org)
    await services.decline_license_request(org.actor, request.id, now=NOW)
    with pytest.raises(InvalidInput, match="already declined"):
        await services.approve_license_request(org.actor, request.id, maximum=MAXIMUM)
    with pytest.raises(LicenseRequestDeclined) as refused:
        await services.toggle_access(
            actor_for(manager),
            waiting.id,
            True,
            accept_increase=True,
            maximum=MAXIMUM,
            now=NOW + timedelta(days=29),
        )
    assert refused.value.code == "LICENSE_REQUEST_DECLINED"
    assert "declined" in refused.value.message
    assert await LicenseRequest.filter(organization_id=org.id).count() == 1
    assert await state(org) == before
    # After 30 days the decline no longer stands: asking again makes a new request.
    with pytest.raises(LicenseRequestPending):
        await services.toggle_access(
            actor_for(manager),
            waiting.id,
            True,
            accept_increase=True,
            maximum=MAXIMUM,
            now=NOW + timedelta(days=30),
        )
    assert await LicenseRequest.filter(organization_id=org.id).count() == 2


async def test_r16_saving_the_policy_ends_the_declines_that_stood(db):
    org, manager, waiting = await full_org()
    request = await pending_for(org, waiting, manager)
    await services.decline_license_request(org.actor, request.id, now=NOW)
    await set_policy(org, LicensePolicy.NEVER, now=NOW + timedelta(hours=1))
    with pytest.raises(LicenseRequestPending):
        await services.toggle_access(
            actor_for(manager),
            waiting.id,
            True,
            accept_increase=True,
            maximum=MAXIMUM,
            now=NOW + timedelta(hours=2),
        )
    assert await LicenseRequest.filter(status=RequestStatus.PENDING).count() == 1


async def test_r16_r9_the_cost_of_approving_is_one_license_when_none_is_free(db):
    org, manager, _ = await full_org()
    price = (await current_plan(org.id)).price_per_license
    cost = await services.approval_cost(org.id)
    assert (cost.adds_licenses, cost.monthly_amount) == (1, price)
    assert cost.adds_to_next_invoice >= cost.prorated_cost > 0
    await services.toggle_access(org.actor, manager.id, False, maximum=MAXIMUM)
    free = await services.approval_cost(org.id)
    assert (free.adds_licenses, free.monthly_amount, free.adds_to_next_invoice) == (0, 0, 0)
