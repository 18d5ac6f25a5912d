"""R1, R2 and R8 under random sequences of license operations.

A state machine drives the license services (add a person, give or remove login access, set
the count, terminate now or later, cancel a scheduled termination, reactivate, and let the
clock run the scheduled job) and, after every step, checks against the database that `used`
is the live count of the people it counts (R1), never exceeds the licenses (R2), and that the
history is one unbroken chain ending at the count (R8), with exactly one row for each step that
reported a change and none for a step that reported none. It also keeps a model of what each
step should do and compares every answer, and the people themselves, with it. A refused step
must change nothing at all.

The services are coroutines on the test run's single event loop while the state machine is
synchronous: it runs in a worker thread and hands each coroutine back to the loop.

A second test (PostgreSQL only) runs several tasks of seeded random operations at once against
one organisation, through the services, and then checks the same rules and that every change
an answer reported is in the history exactly once.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from tortoise import connections

from server.accounts.models import Organization, Resource, ResourceKind, Role
from server.errors import (
    DomainError,
    InvalidInput,
    LastAdministrator,
    LicenseCountChanged,
    LicenseLimitReached,
    ResourceAlreadyActive,
    ResourceInactive,
)
from server.jobs import run_due
from server.licensing import bulk, services
from server.licensing.models import ChangeReason, LicenseChange
from tests.conftest import empty_tables
from tests.factories import (
    MAXIMUM,
    Org,
    assert_invariants,
    live_people_counts,
    live_used,
    make_org,
)

T = TypeVar("T")

START = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
ZONES = [
    "UTC",
    "Europe/Stockholm",
    "America/Los_Angeles",
    "Pacific/Kiritimati",  # UTC+14: its day starts before UTC's
    "Pacific/Pago_Pago",  # UTC-11
]
EXPECTED_ERRORS = (
    ResourceInactive,
    ResourceAlreadyActive,
    LastAdministrator,
    InvalidInput,
    LicenseLimitReached,
)
KINDS = st.sampled_from(ResourceKind)
ROLES = st.sampled_from(Role)
# An integration's expectedLicenseCount, as an offset from the real count (None: not sent).
EXPECT = st.sampled_from([None, None, None, 0, 1])
STEP_TIMEOUT = 30  # seconds for one service call
_serial = itertools.count(1)


@dataclass(frozen=True)
class Stored:
    """Everything a step may change in one organisation, as stored."""

    license_count: int
    used: int
    history: tuple[LicenseChange, ...]
    people: dict[int, tuple[bool, bool, date | None]]  # id: (active, login access, last day)
    live_used: int
    people_counts: tuple[int, ...]
    live_people_counts: tuple[int, ...]

    @property
    def summary(self) -> tuple[int, int, tuple[int, ...], dict]:
        return (self.license_count, self.used, tuple(r.id for r in self.history), self.people)


async def stored_state(organization_id: int) -> Stored:
    org = await Organization.get(id=organization_id)
    history = await LicenseChange.filter(organization_id=organization_id).order_by("id")
    rows = await (
        Resource.filter(organization_id=organization_id)
        .order_by("id")
        .values_list("id", "active", "login_access", "last_work_day")
    )
    return Stored(
        license_count=org.license_count,
        used=org.used,
        history=tuple(history),
        people={rid: (active, access, last) for rid, active, access, last in rows},
        live_used=await live_used(organization_id),
        people_counts=org.people_counts,
        live_people_counts=await live_people_counts(organization_id),
    )


def check_chain(state: Stored) -> None:
    """R1, R2 and R8 on one stored state."""
    assert state.used == state.live_used, "R1: the cached used drifted from the people"
    assert state.people_counts == state.live_people_counts, "the kept people counts drifted"
    assert state.used <= state.license_count, "R2: more licenses used than paid for"
    assert state.history, "R8: the first license is in the history"
    assert state.history[0].from_count == 0, "R8: the chain starts from 0"
    for before, after in itertools.pairwise(state.history):
        assert after.from_count == before.to_count, f"R8: chain broken at change {after.id}"
        assert after.from_count != after.to_count, f"R8: change {after.id} changes nothing"
    assert state.history[-1].to_count == state.license_count, "R8: history ends off the count"


@dataclass
class Person:
    """The model of one resource."""

    kind: ResourceKind
    role: Role
    start_date: date
    active: bool = True
    access: bool = False
    last_work_day: date | None = None

    @property
    def uses_license(self) -> bool:
        return self.kind is ResourceKind.EMPLOYEE and self.active and self.access

    @property
    def stored(self) -> tuple[bool, bool, date | None]:
        return (self.active, self.access, self.last_work_day)


class LicensingMachine(RuleBasedStateMachine):
    """One organisation, one simulated clock, and a model of what each step should do."""

    people = Bundle("people")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.now = START
        self.time_zone = "UTC"
        self.maximum = MAXIMUM
        self.org: Org | None = None
        self.count = 0
        self.history_size = 0
        self.model: dict[int, Person] = {}

    # --- running coroutines on the test's loop -------------------------------------------

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=STEP_TIMEOUT)

    def stored(self) -> Stored:
        assert self.org is not None
        return self.run(stored_state(self.org.id))

    def refused(self, error: type[DomainError], call: Callable[[], Coroutine]) -> None:
        """The step must raise `error` and leave everything as it was."""
        before = self.stored()
        with pytest.raises(error):
            self.run(call())
        assert self.stored().summary == before.summary, f"a refused step ({error.__name__}) wrote"

    def unchanged(self, call: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """A step that answers without changing anything (a question, a no-op)."""
        before = self.stored()
        outcome = self.run(call())
        assert self.stored().summary == before.summary, f"{type(outcome).__name__} wrote"
        return outcome

    def expect_change(
        self,
        change: LicenseChange | None,
        reason: ChangeReason,
        to_count: int,
        resource_id: int | None,
    ) -> LicenseChange:
        """R8: the step reported a change; it is the newest history row and the only new one
        (the invariant counts the rows)."""
        assert change is not None, f"a {reason} change was not reported"
        newest = self.stored().history[-1]
        assert newest.id == change.id, "the reported change is not the newest history row"
        assert (newest.from_count, newest.to_count) == (self.count, to_count)
        assert (change.from_count, change.to_count) == (self.count, to_count)
        assert newest.reason == reason
        assert newest.resource_id == resource_id
        assert newest.actor_id == self.admin_id
        self.count = to_count
        self.history_size += 1
        return newest

    # --- the model ------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.time_zone)).date()

    @property
    def used(self) -> int:
        return sum(p.uses_license for p in self.model.values())

    @property
    def seats(self) -> services.Seats:
        return services.Seats(license_count=self.count, used=self.used)

    @property
    def actor(self) -> services.Actor:
        assert self.org is not None
        return self.org.actor

    @property
    def admin_id(self) -> int:
        assert self.org is not None
        return self.org.admin.id

    def pick(self, data: st.DataObject, person_id: int, fits: Callable[[Person], Any]) -> int:
        """Mostly someone a step applies to, when there is one; else the person drawn (whom
        the step may refuse)."""
        fitting = sorted(rid for rid, p in self.model.items() if fits(p))
        if fitting and data.draw(st.booleans(), label="prefer a fitting person"):
            return data.draw(st.sampled_from(fitting), label="fitting person")
        return person_id

    def expected_count(self, expect: int | None) -> int | None:
        return None if expect is None else self.count + expect

    def is_last_admin(self, person: Person) -> bool:
        if not (person.role is Role.ADMIN and person.active and person.access):
            return False
        admins = [p for p in self.model.values() if p.role is Role.ADMIN and p.active and p.access]
        return len(admins) <= 1

    def needs_increase(self, person: Person) -> bool:
        return person.kind is ResourceKind.EMPLOYEE and self.used >= self.count

    # --- rules ----------------------------------------------------------------------------

    @initialize(
        target=people,
        time_zone=st.sampled_from(ZONES),
        start=st.datetimes(
            min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
        ),
        maximum=st.sampled_from([4, 40, 40]),
        staff=st.lists(st.tuples(KINDS, ROLES, st.booleans()), max_size=6),
    )
    def new_organisation(
        self,
        time_zone: str,
        start: datetime,
        maximum: int,
        staff: list[tuple[ResourceKind, Role, bool]],
    ):
        """A new organisation on empty tables, with its administrator and a first staff
        (people whose access would exceed the maximum are refused)."""
        self.run(empty_tables())
        self.time_zone, self.now, self.maximum = time_zone, start, maximum
        self.org = self.run(make_org(time_zone=time_zone, now=start))
        self.count, self.history_size = 1, 1
        self.model = {
            self.admin_id: Person(ResourceKind.EMPLOYEE, Role.ADMIN, self.today, access=True)
        }
        added = [self.add(kind, role, access, True, -30) for kind, role, access in staff]
        return multiple(self.admin_id, *(rid for rid in added if rid is not None))

    @rule(
        target=people,
        kind=KINDS,
        role=ROLES,
        access=st.booleans(),
        accept=st.booleans(),
        start_offset=st.integers(-30, 3),
        expect=EXPECT,
    )
    def add_person(
        self,
        kind: ResourceKind,
        role: Role,
        access: bool,
        accept: bool,
        start_offset: int,
        expect: int | None,
    ):
        rid = self.add(kind, role, access, accept, start_offset, expect)
        return multiple() if rid is None else rid

    def add(
        self,
        kind: ResourceKind,
        role: Role,
        access: bool,
        accept: bool,
        start_offset: int,
        expect: int | None = None,
    ) -> int | None:
        """R6: a new person; their id, or None when the service added nobody."""
        n = next(_serial)
        person = Person(kind, role, self.today + timedelta(days=start_offset))
        new = services.NewResource(
            name=f"Person {n}",
            email=f"stateful{n}@example.com",
            kind=kind,
            role=role,
            login_access=access,
            start_date=person.start_date,
        )

        def call():
            return services.add_resource(
                self.actor,
                new,
                accept_increase=accept,
                maximum=self.maximum,
                now=self.now,
                expected_count=self.expected_count(expect),
            )

        if expect:
            self.refused(LicenseCountChanged, call)
            return None
        increase = access and self.needs_increase(person)
        if increase and self.count + 1 > self.maximum:
            self.refused(LicenseLimitReached, call)
            return None
        if increase and not accept:
            question = self.unchanged(call)
            assert isinstance(question, services.LicenseIncreaseRequired)
            assert (question.current_count, question.new_count) == (self.count, self.count + 1)
            return None
        outcome = self.run(call())
        assert isinstance(outcome, services.ResourceAdded)
        rid = outcome.resource.id
        person.access = access
        self.model[rid] = person
        if increase:
            self.expect_change(outcome.change, ChangeReason.AUTO_INCREASE, self.count + 1, rid)
        else:
            assert outcome.change is None
        assert outcome.seats == self.seats
        return rid

    @rule(person_id=people, enabled=st.booleans(), accept=st.booleans(), expect=EXPECT)
    def toggle_access(
        self, person_id: int, enabled: bool, accept: bool, expect: int | None
    ) -> None:
        person = self.model[person_id]

        def call():
            return services.toggle_access(
                self.actor,
                person_id,
                enabled,
                accept_increase=accept,
                maximum=self.maximum,
                now=self.now,
                expected_count=self.expected_count(expect),
            )

        if expect:
            self.refused(LicenseCountChanged, call)
            return
        if person.access == enabled:
            outcome = self.unchanged(call)
            assert isinstance(outcome, services.AccessChanged)
            assert outcome.change is None
            assert outcome.seats == self.seats
            return
        if enabled:
            if not person.active:
                self.refused(ResourceInactive, call)
                return
            increase = self.needs_increase(person)
            if increase and self.count + 1 > self.maximum:
                self.refused(LicenseLimitReached, call)
                return
            if increase and not accept:
                question = self.unchanged(call)
                assert isinstance(question, services.LicenseIncreaseRequired)
                assert (question.current_count, question.new_count) == (
                    self.count,
                    self.count + 1,
                )
                return
            outcome = self.run(call())
            assert isinstance(outcome, services.AccessChanged)
            person.access = True
            if increase:
                self.expect_change(
                    outcome.change, ChangeReason.AUTO_INCREASE, self.count + 1, person_id
                )
            else:
                assert outcome.change is None
        else:
            if self.is_last_admin(person):
                self.refused(LastAdministrator, call)
                return
            outcome = self.run(call())
            assert isinstance(outcome, services.AccessChanged)
            assert outcome.change is None, "R5: removing access never changes the count"
            person.access = False
        assert outcome.seats == self.seats

    @rule(
        chosen=st.lists(people, min_size=1, max_size=5, unique=True),
        enabled=st.booleans(),
        accept=st.booleans(),
        reduce=st.booleans(),
    )
    def bulk_set_access(self, chosen: list[int], enabled: bool, accept: bool, reduce: bool) -> None:
        """Issue 15: access given or removed for several people in one change, as the single
        changes would, skipping whom it does not apply to; removing may reduce the count by
        the licenses freed (R3), giving may need an increase for them all (R4)."""
        request = bulk.BulkRequest.of(
            bulk.BulkAction.GIVE_ACCESS if enabled else bulk.BulkAction.REMOVE_ACCESS,
            chosen,
            reduce_count=reduce and not enabled,
            accept_increase=accept,
        )

        def call():
            return bulk.bulk_change(self.actor, request, maximum=self.maximum, now=self.now)

        if enabled:
            takers = [
                rid for rid in chosen if not self.model[rid].access and self.model[rid].active
            ]
            free = self.count - self.used
            employees = [rid for rid in takers if self.model[rid].kind is ResourceKind.EMPLOYEE]
            increase = max(0, len(employees) - free)
            if self.count + increase > self.maximum:
                self.refused(LicenseLimitReached, call)
                return
            if increase and not accept:
                question = self.unchanged(call)
                assert isinstance(question, services.LicenseIncreaseRequired)
                assert question.new_count == self.count + increase
                return
            outcome = self.run(call())
            assert isinstance(outcome, bulk.BulkChanged)
            for rid in takers:
                self.model[rid].access = True
            rows = [p.change for p in outcome.people if p.change is not None]
            assert [(c.reason, c.to_count) for c in rows] == [
                (ChangeReason.AUTO_INCREASE, self.count + n + 1) for n in range(increase)
            ]
            self.count += increase
            self.history_size += increase
        else:
            used_before = self.used
            for rid in chosen:
                person = self.model[rid]
                if person.access and not self.is_last_admin(person):
                    person.access = False
            freed = used_before - self.used
            outcome = self.run(call())
            assert isinstance(outcome, bulk.BulkChanged)
            if reduce and freed:
                assert [(c.reason, c.to_count) for c in outcome.changes] == [
                    (ChangeReason.MANUAL, self.count - freed)
                ]
                self.count -= freed
                self.history_size += 1
            else:
                assert outcome.changes == [], "R5: removing access alone writes no history"
        assert [p.resource.id for p in outcome.people] == chosen
        assert outcome.seats == self.seats

    @rule(count=st.integers(-2, 40), expect=EXPECT)
    def set_license_count(self, count: int, expect: int | None) -> None:
        def call():
            return services.set_license_count(
                self.actor,
                count,
                maximum=self.maximum,
                now=self.now,
                expected_count=self.expected_count(expect),
            )

        if count < 0 or count > self.maximum:
            self.refused(InvalidInput, call)
        elif expect:
            self.refused(LicenseCountChanged, call)
        elif count < self.used:
            outcome = self.unchanged(call)
            assert isinstance(outcome, services.LicenseBelowUsage)
            assert (outcome.used, outcome.requested) == (self.used, count)
        elif count == self.count:
            outcome = self.unchanged(call)
            assert isinstance(outcome, services.LicenseCountSet)
            assert outcome.change is None, "R3: the same count writes no history"
            assert outcome.seats == self.seats
        else:
            outcome = self.run(call())
            assert isinstance(outcome, services.LicenseCountSet)
            self.expect_change(outcome.change, ChangeReason.MANUAL, count, None)
            assert outcome.seats == self.seats

    @rule(person_id=people, offset=st.integers(-5, 3), expect=EXPECT, data=st.data())
    def terminate(
        self, person_id: int, offset: int, expect: int | None, data: st.DataObject
    ) -> None:
        person_id = self.pick(data, person_id, lambda p: p.active and p.access)
        person = self.model[person_id]
        last_work_day = self.today + timedelta(days=offset)

        def call():
            return services.terminate(
                self.actor,
                person_id,
                last_work_day,
                now=self.now,
                expected_count=self.expected_count(expect),
            )

        if expect:
            self.refused(LicenseCountChanged, call)
        elif not person.active:
            self.refused(ResourceInactive, call)
        elif last_work_day < person.start_date:
            self.refused(InvalidInput, call)
        elif self.is_last_admin(person):
            self.refused(LastAdministrator, call)
        elif last_work_day <= self.today:
            released = person.uses_license
            outcome = self.run(call())
            assert isinstance(outcome, services.Terminated)
            person.active, person.access, person.last_work_day = False, False, last_work_day
            if released:
                row = self.expect_change(
                    outcome.change, ChangeReason.TERMINATION, self.count - 1, person_id
                )
                assert row.effective_on > last_work_day, "R9: effective the day after"
            else:
                assert outcome.change is None, "R7: nobody's license, no count change"
            assert outcome.seats == self.seats
        else:
            before = self.stored()
            outcome = self.run(call())
            after = self.stored()
            assert after.history == before.history, "R7: scheduling writes no history"
            assert (after.license_count, after.used) == (before.license_count, before.used)
            assert isinstance(outcome, services.TerminationScheduled)
            assert outcome.seats == self.seats
            person.last_work_day = last_work_day

    @precondition(lambda self: any(p.active and p.last_work_day for p in self.model.values()))
    @rule(person_id=people, data=st.data())
    def cancel_termination(self, person_id: int, data: st.DataObject) -> None:
        person_id = self.pick(data, person_id, lambda p: p.active and p.last_work_day)
        person = self.model[person_id]

        def call():
            return services.cancel_termination(self.actor, person_id)

        if not person.active:
            self.refused(ResourceInactive, call)
        elif person.last_work_day is None:
            self.refused(InvalidInput, call)
        else:
            outcome = self.run(call())
            assert isinstance(outcome, services.TerminationCancelled)
            assert outcome.seats == self.seats
            person.last_work_day = None

    @precondition(lambda self: any(not p.active for p in self.model.values()))
    @rule(person_id=people, data=st.data())
    def reactivate(self, person_id: int, data: st.DataObject) -> None:
        person_id = self.pick(data, person_id, lambda p: not p.active)
        person = self.model[person_id]

        def call():
            return services.reactivate(self.actor, person_id)

        if person.active:
            self.refused(ResourceAlreadyActive, call)
            return
        outcome = self.run(call())
        assert isinstance(outcome, services.Reactivated)
        person.active, person.access, person.last_work_day = True, False, None
        assert outcome.seats == self.seats

    @rule(hours=st.sampled_from([0, 1, 12, 23, 24, 25, 36, 48, 72, 96]))
    def time_passes(self, hours: int) -> None:
        """The clock moves on and the scheduled job runs: every termination whose last work
        day has ended takes effect, once, except the last administrator's (which waits)."""
        self.now += timedelta(hours=hours)
        today = self.today
        due = sorted(
            rid
            for rid, p in self.model.items()
            if p.active and p.last_work_day is not None and p.last_work_day < today
        )
        expected_rows = []
        applied = 0
        count = self.count
        for rid in due:
            person = self.model[rid]
            if self.is_last_admin(person):
                continue
            if person.uses_license:
                expected_rows.append((rid, count, count - 1))
                count -= 1
            person.active, person.access = False, False
            applied += 1
        before = self.stored()
        assert self.run(run_due(self.now)) == applied
        new_rows = self.stored().history[len(before.history) :]
        assert [(r.resource_id, r.from_count, r.to_count) for r in new_rows] == expected_rows
        for row in new_rows:
            assert row.reason == ChangeReason.TERMINATION
            assert row.actor_id == self.admin_id, "R8: the person who scheduled it"
            assert row.effective_on > self.model[row.resource_id].last_work_day
        self.count = count
        self.history_size += len(expected_rows)

    # --- after every step -----------------------------------------------------------------

    @invariant()
    def r1_r2_r8_hold_and_match_the_model(self) -> None:
        if self.org is None:
            return
        state = self.stored()
        check_chain(state)
        assert len(state.history) == self.history_size, "R8: a row per reported change"
        assert state.license_count == self.count
        assert state.used == self.used
        assert state.people == {rid: p.stored for rid, p in self.model.items()}


SETTINGS = settings(
    max_examples=40,
    stateful_step_count=35,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


async def test_r1_r2_r8_hold_after_every_step_of_random_license_operations(orm):
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(
        run_state_machine_as_test, lambda: LicensingMachine(loop), settings=SETTINGS
    )


# --- concurrency ------------------------------------------------------------------------------

TASKS = 6
OPERATION_MIX = ["add", "toggle", "toggle", "toggle", "count", "terminate", "cancel"]
OPERATION_MIX += ["reactivate", "job"]
OPERATIONS = 40
SEED = 20_261_129


@pytest.mark.postgres_only
async def test_r1_r2_r8_concurrent_service_calls_on_one_organisation(db):
    """Several tasks at once against one organisation. Service calls use the clock START and
    the scheduled job a later one, which tells the job's history rows from the services'."""
    org = await make_org(license_count=4, now=START)
    second_admin = await org.add(role=Role.ADMIN, now=START)
    ids = [org.admin.id, second_admin.id]
    for kind, access in [(ResourceKind.EMPLOYEE, True)] * 3 + [
        (ResourceKind.EMPLOYEE, False),
        (ResourceKind.EXTERNAL_CONSULTANT, True),
    ]:
        ids.append((await org.add(kind=kind, access=access, now=START)).id)
    setup_ids = set(await LicenseChange.filter(organization_id=org.id).values_list("id", flat=True))
    today = START.date()
    reported: list[LicenseChange] = []
    job_applied = 0
    done = asyncio.Event()
    watched = 0

    async def step(rng: random.Random) -> Any:
        nonlocal job_applied
        op = rng.choice(OPERATION_MIX)
        person = rng.choice(ids)
        accept = rng.random() < 0.7
        if op == "add":
            n = next(_serial)
            outcome = await services.add_resource(
                org.actor,
                services.NewResource(
                    name=f"Concurrent {n}",
                    email=f"concurrent{n}@example.com",
                    kind=rng.choice(list(ResourceKind)),
                    login_access=rng.random() < 0.8,
                    start_date=today - timedelta(days=10),
                ),
                accept_increase=accept,
                maximum=MAXIMUM,
                now=START,
            )
            if isinstance(outcome, services.ResourceAdded):
                ids.append(outcome.resource.id)
            return outcome
        if op == "toggle":
            return await services.toggle_access(
                org.actor,
                person,
                rng.random() < 0.6,
                accept_increase=accept,
                maximum=MAXIMUM,
                now=START,
            )
        if op == "count":
            return await services.set_license_count(
                org.actor, rng.randint(0, 14), maximum=MAXIMUM, now=START
            )
        if op == "terminate":
            last_day = today + timedelta(days=rng.randint(-3, 4))
            return await services.terminate(org.actor, person, last_day, now=START)
        if op == "cancel":
            return await services.cancel_termination(org.actor, person)
        if op == "reactivate":
            return await services.reactivate(org.actor, person)
        applied = await run_due(START + timedelta(days=rng.randint(1, 6)))
        job_applied += applied  # after the await: `x += await f()` would read x before it
        return None

    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(OPERATIONS):
            try:
                outcome = await step(rng)
            except EXPECTED_ERRORS:
                continue
            change = getattr(outcome, "change", None)
            if change is not None:
                reported.append(change)

    async def watcher() -> None:
        """R1 and R2 at any moment, read in one statement (one snapshot)."""
        nonlocal watched
        conn = connections.get("default")
        sql = (
            "SELECT o.used, o.license_count, (SELECT count(*) FROM resource r"
            " WHERE r.organization_id = o.id AND r.kind = 'EMPLOYEE' AND r.active"
            " AND r.login_access) AS live FROM organization o WHERE o.id = $1"
        )
        while not done.is_set():
            (row,) = await conn.execute_query_dict(sql, [org.id])
            assert row["used"] == row["live"], f"R1 during the burst: {row}"
            assert row["used"] <= row["license_count"], f"R2 during the burst: {row}"
            watched += 1
            await asyncio.sleep(0.005)

    watching = asyncio.create_task(watcher())
    try:
        await asyncio.gather(*(worker(SEED + i) for i in range(TASKS)))
    finally:
        done.set()
        await watching
    assert watched > 0

    await assert_invariants(org.id)
    state = await stored_state(org.id)
    check_chain(state)
    written = [row for row in state.history if row.id not in setup_ids]
    by_services = {row.id: row for row in written if row.occurred_at == START}
    by_job = [row for row in written if row.occurred_at != START]

    reported_ids = [change.id for change in reported]
    assert reported, "the burst changed the count at least once"
    assert len(reported_ids) == len(set(reported_ids)), "R8: one change reported twice"
    assert set(reported_ids) == set(by_services), "R8: a reported change is not in the history"
    for change in reported:
        row = by_services[change.id]
        assert (row.from_count, row.to_count, row.reason) == (
            change.from_count,
            change.to_count,
            change.reason,
        )
    assert all(row.reason == ChangeReason.TERMINATION for row in by_job)
    assert len(by_job) <= job_applied, "R8: history rows nobody wrote"
