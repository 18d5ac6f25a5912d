"""The license rules of the specification, as pure functions: no I/O, no clock.

Services read the state under a lock, ask these functions what to do, then write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from server.accounts.models import LicensePolicy, Organization, ResourceKind, Role
from server.errors import (
    InvalidInput,
    LastAdministrator,
    LicenseCountChanged,
    LicenseLimitReached,
)
from server.text import plural

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


def bulk_increase_message(current: int, new: int) -> str:
    """The question before giving several people login access takes `new - current` more
    licenses (R4, once for the batch)."""
    return (
        f"{plural(new - current, 'more license is', 'more licenses are')} needed: giving login "
        f"access raises the license count from {current:,} to {new:,}; confirm to go ahead."
    )


# R16: the question's last words when the policy leaves the increase to an administrator.
NEEDS_APPROVAL = "The license policy needs an administrator: confirming asks one."
BULK_NEEDS_APPROVAL = (
    "The license policy lets only an administrator add licenses: give access one person at "
    "a time to ask one."
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


# --- The license policy (R16) --------------------------------------------------------------

# A declined license request stands this long (unless the policy is saved again since): the
# same person asked for again in that time is refused without a new request.
DECLINED_STANDS = timedelta(days=30)
# The largest monthly amount a cap may name, in minor units: a GraphQL Int.
MAX_MONTHLY_AMOUNT = 2**31 - 1


@dataclass(frozen=True)
class Policy:
    """R16: whether an increase may happen without a person confirming it (`mode`), and the
    caps no increase passes (None: no cap). The amount is the monthly amount, the license
    count times the plan's price, in minor units of the plan's currency."""

    mode: LicensePolicy
    max_count: int | None
    max_monthly_amount: int | None

    @classmethod
    def of(cls, org: Organization) -> Policy:
        return cls(org.license_policy, org.max_license_count, org.max_monthly_amount)


class Verdict(StrEnum):
    ALLOW = "allow"  # the increase may happen
    REQUEST = "request"  # it becomes a license request for an administrator
    OVER_CAP = "over cap"  # an administrator's own increase would pass a cap: refused


def passes_cap(policy: Policy, new_count: int, new_monthly_amount: int | None) -> bool:
    over_count = policy.max_count is not None and new_count > policy.max_count
    over_amount = (
        policy.max_monthly_amount is not None
        and new_monthly_amount is not None
        and new_monthly_amount > policy.max_monthly_amount
    )
    return over_count or over_amount


def judge_increase(
    policy: Policy, new_count: int, new_monthly_amount: int | None, *, by_administrator: bool
) -> Verdict:
    """R16: an increase to `new_count` (costing `new_monthly_amount` a month, or None when no
    amount cap needs it). An administrator signed in as a person confirms it themself: allowed
    up to the caps, refused past them. Anyone else (an API token, an identity provider, a
    resource manager): allowed up to the caps when the policy says UP_TO_CAP, else, and past
    a cap, a license request."""
    if passes_cap(policy, new_count, new_monthly_amount):
        return Verdict.OVER_CAP if by_administrator else Verdict.REQUEST
    if by_administrator or policy.mode is LicensePolicy.UP_TO_CAP:
        return Verdict.ALLOW
    return Verdict.REQUEST


def cap_message(policy: Policy, new_count: int, amount_text: str | None) -> str:
    """Why an increase to `new_count` passes a cap, for an administrator."""
    if policy.max_count is not None and new_count > policy.max_count:
        return (
            f"The license policy caps the count at {policy.max_count:,}: it cannot go to "
            f"{new_count:,}. Raise the cap first."
        )
    return (
        f"The license policy caps the monthly amount at {amount_text}: {new_count:,} licenses "
        "would pass it. Raise the cap first."
    )


def check_policy(
    mode: LicensePolicy, max_count: int | None, max_monthly_amount: int | None, maximum: int
) -> None:
    """R16: caps are whole numbers from 0 (a count up to the configured maximum)."""
    if max_count is not None and not 0 <= max_count <= maximum:
        raise InvalidInput(
            f"The cap on the license count is a number from 0 to {maximum:,}.",
            field="maxLicenseCount",
        )
    if max_monthly_amount is not None and not 0 <= max_monthly_amount <= MAX_MONTHLY_AMOUNT:
        raise InvalidInput(
            "The cap on the monthly amount is a whole number of minor units from 0 to "
            f"{MAX_MONTHLY_AMOUNT:,}.",
            field="maxMonthlyAmount",
        )


def declined_stands(
    decided_at: datetime, policy_changed_at: datetime | None, now: datetime
) -> bool:
    """R16: a declined request refuses the same person again, without a new request, for
    DECLINED_STANDS, and only while the policy has not been saved since the decision."""
    if policy_changed_at is not None and policy_changed_at > decided_at:
        return False
    return now - decided_at < DECLINED_STANDS
