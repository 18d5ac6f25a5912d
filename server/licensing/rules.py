"""The license rules of the specification, as pure functions: no I/O, no clock.

Services read the state under a lock, ask these functions what to do, then write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from server.accounts.models import ResourceKind, Role
from server.errors import (
    InvalidInput,
    LastAdministrator,
    LicenseCountChanged,
    LicenseLimitReached,
)

# R1, the one definition of who uses a license, as the values of a person's columns: an
# active employee with login access; a consultant never does. `uses_license` asks it of one
# person; a query of the people who hold licenses compares these columns with these values
# (the unused licenses of R19: server/accounts/activity.py).
LICENSE_HOLDER: tuple[tuple[str, object], ...] = (
    ("kind", ResourceKind.EMPLOYEE),
    ("active", True),
    ("login_access", True),
)
_HOLDER_VALUES = tuple(value for _, value in LICENSE_HOLDER)


def uses_license(kind: ResourceKind, active: bool, login_access: bool) -> bool:
    """R1: whether a person of this kind, status and access holds a license (LICENSE_HOLDER)."""
    return (kind, bool(active), bool(login_access)) == _HOLDER_VALUES


def reducible_by(license_count: int, used: int) -> int:
    """How far the license count can go down without refusing anyone access."""
    return max(license_count - used, 0)


def check_license_count(requested: int, maximum: int) -> None:
    """R3: the count is an integer from 0 to the configured maximum."""
    if requested < 0:
        raise InvalidInput(
            f"The number of licenses cannot be negative (got {requested}).", field="count"
        )
    if requested > maximum:
        raise InvalidInput(
            f"The number of licenses can be at most {maximum:,} (got {requested:,}).",
            field="count",
        )


def below_usage_message(used: int, requested: int) -> str:
    noun = "license is" if used == 1 else "licenses are"
    return (
        f"{used} {noun} in use, so the count cannot go down to {requested}. "
        "Remove login access from someone first, or terminate a leaver."
    )


@dataclass(frozen=True)
class AccessGrant:
    """What granting login access takes: whether a license is used and whether the count
    must grow by one (the auto-increase, R4) to make room."""

    uses_license: bool
    needs_increase: bool


def plan_access_grant(
    kind: ResourceKind, license_count: int, used: int, maximum: int
) -> AccessGrant:
    if kind is ResourceKind.EXTERNAL_CONSULTANT:
        return AccessGrant(uses_license=False, needs_increase=False)
    needs_increase = used >= license_count
    if needs_increase and license_count + 1 > maximum:
        raise LicenseLimitReached(
            f"All {license_count:,} licenses are in use and the count is at its maximum."
        )
    return AccessGrant(uses_license=True, needs_increase=needs_increase)


def increase_required_message(current: int, new: int) -> str:
    return (
        f"All {current} licenses are in use. Giving login access raises the license count "
        f"from {current} to {new}; confirm to go ahead."
    )


def license_released_message(license_count: int, used: int) -> str:
    n = reducible_by(license_count, used)
    return f"A license is now available: the license count can be reduced by {n}."


def check_not_last_admin(role: Role, is_active_admin: bool, active_admins: int) -> None:
    """R7: an organisation keeps at least one administrator who can sign in."""
    if role is Role.ADMIN and is_active_admin and active_admins <= 1:
        raise LastAdministrator(
            "This is the last administrator who can sign in. Make someone else an "
            "administrator first."
        )


def check_last_work_day(last_work_day: date, start_date: date) -> None:
    if last_work_day < start_date:
        raise InvalidInput(
            f"The last work day ({last_work_day.isoformat()}) cannot be before the start date "
            f"({start_date.isoformat()}).",
            field="lastWorkDay",
        )


def takes_effect_now(last_work_day: date, today: date) -> bool:
    """R7: a last work day of today or earlier terminates now; a later one is scheduled."""
    return last_work_day <= today


def termination_effective_on(last_work_day: date, open_period_start: date) -> date:
    """R9: a termination counts for billing from the day after the last work day, but never
    before the start of the period not yet invoiced."""
    return max(last_work_day + timedelta(days=1), open_period_start)


def check_expected_count(expected: int | None, actual: int) -> None:
    """Optimistic concurrency for integrations: refuse a change made against a stale count."""
    if expected is not None and expected != actual:
        raise LicenseCountChanged(
            f"The license count is {actual}, not {expected} as expected: it changed in the "
            "meantime. Read it again and decide anew.",
            field="expectedLicenseCount",
            currentCount=actual,
        )
