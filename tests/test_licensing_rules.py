"""The pure license rules."""

from __future__ import annotations

from datetime import date

import pytest

from server.accounts.models import ResourceKind, Role
from server.errors import InvalidInput, LastAdministrator, LicenseLimitReached
from server.licensing import rules

E, X = ResourceKind.EMPLOYEE, ResourceKind.EXTERNAL_CONSULTANT


@pytest.mark.parametrize(
    ("kind", "active", "access", "uses"),
    [
        (E, True, True, True),
        (E, True, False, False),
        (E, False, True, False),
        (X, True, True, False),
        (X, False, False, False),
    ],
)
def test_r1_only_active_employees_with_access_use_a_license(kind, active, access, uses):
    assert rules.uses_license(kind, active, access) is uses


@pytest.mark.parametrize(("count", "used", "reducible"), [(5, 3, 2), (3, 3, 0), (0, 0, 0)])
def test_r3_reducible_by_is_the_free_licenses(count, used, reducible):
    assert rules.reducible_by(count, used) == reducible


@pytest.mark.parametrize("count", [0, 1, 100_000])
def test_r3_counts_from_zero_to_the_maximum_are_valid(count):
    rules.check_license_count(count, 100_000)


@pytest.mark.parametrize("count", [-1, 100_001])
def test_r3_counts_outside_the_range_are_refused(count):
    with pytest.raises(InvalidInput):
        rules.check_license_count(count, 100_000)


def test_r3_the_refusal_says_how_many_are_used_and_what_to_do():
    message = rules.below_usage_message(used=7, requested=5)
    assert "7 licenses are in use" in message
    assert "Remove login access" in message
    assert "1 license is in use" in rules.below_usage_message(used=1, requested=0)


@pytest.mark.parametrize(
    ("kind", "count", "used", "uses", "increase"),
    [(E, 3, 2, True, False), (E, 3, 3, True, True), (X, 3, 3, False, False)],
)
def test_r4_access_needs_an_increase_only_when_no_license_is_free(
    kind, count, used, uses, increase
):
    grant = rules.plan_access_grant(kind, count, used, maximum=100)
    assert (grant.uses_license, grant.needs_increase) == (uses, increase)


def test_r4_the_auto_increase_cannot_pass_the_maximum():
    with pytest.raises(LicenseLimitReached):
        rules.plan_access_grant(E, 100, 100, maximum=100)


def test_r7_the_last_active_admin_is_kept():
    with pytest.raises(LastAdministrator):
        rules.check_not_last_admin(Role.ADMIN, is_active_admin=True, active_admins=1)
    rules.check_not_last_admin(Role.ADMIN, is_active_admin=True, active_admins=2)
    rules.check_not_last_admin(Role.MEMBER, is_active_admin=False, active_admins=1)


@pytest.mark.parametrize(
    ("last_day", "today", "now"),
    [(date(2026, 3, 10), date(2026, 3, 10), True), (date(2026, 3, 11), date(2026, 3, 10), False)],
)
def test_r7_today_or_earlier_takes_effect_now(last_day, today, now):
    assert rules.takes_effect_now(last_day, today) is now


@pytest.mark.parametrize(
    ("last_day", "open_from", "effective"),
    [
        (date(2026, 3, 10), date(2026, 3, 1), date(2026, 3, 11)),
        (date(2026, 3, 31), date(2026, 3, 1), date(2026, 4, 1)),
        (date(2026, 1, 15), date(2026, 3, 1), date(2026, 3, 1)),
    ],
)
def test_r9_a_termination_counts_from_the_day_after_but_not_before_the_open_period(
    last_day, open_from, effective
):
    assert rules.termination_effective_on(last_day, open_from) == effective


def test_r7_a_last_work_day_before_the_start_is_refused():
    with pytest.raises(InvalidInput):
        rules.check_last_work_day(date(2026, 1, 1), date(2026, 1, 2))
    rules.check_last_work_day(date(2026, 1, 2), date(2026, 1, 2))
