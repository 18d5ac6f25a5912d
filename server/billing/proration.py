"""R9, invoice proration, as pure functions: no I/O, no clock.

Billing periods are calendar months in the organisation's time zone. An invoice charges
licenses * price in advance for its period, plus one adjustment line per license change since
the previous invoice:

    (to - from) * price * days left / days in the period

where *days left* runs from the effective date to the end of its period, both included. All
amounts are integers in minor units (cents, öre, …).

Rounding: each line is computed exactly (``Fraction``) and then rounded half-up *symmetrically*:
``ROUND_HALF_UP`` on the absolute value with the sign kept, so 1.5 → 2 and -1.5 → -2. A credit
therefore mirrors the charge it undoes exactly (an increase and a decrease of the same size on
the same day net to zero), and the rounding error of a line is at most half a minor unit.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo


def period_of(day: date) -> tuple[date, date]:
    """The billing period containing ``day``: the first and last day of its calendar month."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def days_in_period(day: date) -> int:
    """How many days the period containing ``day`` has (28, 29, 30 or 31)."""
    return calendar.monthrange(day.year, day.month)[1]


def days_left(effective_on: date) -> int:
    """Days from ``effective_on`` to the end of its period, both included: a change on the 1st
    of a 30-day month counts 30 days, one on the 30th counts 1."""
    _, last = period_of(effective_on)
    return (last - effective_on).days + 1


def next_period_start(day: date) -> date:
    """The first day of the period after the one containing ``day``."""
    _, last = period_of(day)
    return last + timedelta(days=1)


def local_day(moment: datetime, time_zone: str) -> date:
    """The date of an aware ``moment`` in ``time_zone`` (an IANA name such as
    ``"Europe/Stockholm"``). A change at 23:30 local time on the last day of a month belongs to
    that day, whatever the date is in UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_day needs an aware datetime, not a naive one.")
    return moment.astimezone(ZoneInfo(time_zone)).date()


def round_half_up(value: Fraction) -> int:
    """Round exactly to an integer, halves away from zero: the same result as
    ``Decimal.quantize(..., ROUND_HALF_UP)`` on the absolute value with the sign kept, but
    without going through a Decimal that would round at its precision first.
    0.5 → 1, -0.5 → -1, 1.49 → 1, -1.49 → -1."""
    value = Fraction(value)
    return _round_ratio(value.numerator, value.denominator)


def _round_ratio(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (denominator > 0) rounded half-up symmetrically."""
    # floor(|n|/d + 1/2) == floor((2|n| + d) / 2d), all in integers.
    whole = (2 * abs(numerator) + denominator) // (2 * denominator)
    return whole if numerator >= 0 else -whole


def _check(from_count: int, to_count: int, price: int) -> None:
    if from_count < 0 or to_count < 0:
        raise ValueError(f"License counts cannot be negative (got {from_count} → {to_count}).")
    if price < 0:
        raise ValueError(f"The price per license cannot be negative (got {price}).")


def exact_adjustment(from_count: int, to_count: int, price: int, effective_on: date) -> Fraction:
    """The unrounded adjustment of one change, in minor units:
    ``(to - from) * price * days left / days in the period``."""
    _check(from_count, to_count, price)
    return Fraction(
        (to_count - from_count) * price * days_left(effective_on), days_in_period(effective_on)
    )


def adjustment(from_count: int, to_count: int, price: int, effective_on: date) -> int:
    """One invoice line for a change of the license count, in minor units, rounded half-up
    symmetrically. Positive for an increase (a charge), negative for a decrease (a credit)."""
    _check(from_count, to_count, price)
    days = days_in_period(effective_on)
    return prorated(to_count - from_count, price, days_left(effective_on), days)


def prorated(change: int, price: int, left: int, days: int) -> int:
    """``change * price * left / days`` rounded half-up symmetrically, in integers: the
    arithmetic of `adjustment` for a caller that knows the days of many changes' dates (the
    next invoice, with thousands of changes on a few dates)."""
    return _round_ratio(change * price * left, days)


def base_amount(license_count: int, price: int) -> int:
    """The in-advance charge for a whole period: licenses * price."""
    _check(license_count, license_count, price)
    return license_count * price


@dataclass(frozen=True)
class Change:
    """One change of the license count as billing sees it: from, to, and the date it takes
    effect for billing (in the organisation's time zone)."""

    from_count: int
    to_count: int
    effective_on: date


def adjustments(changes: Iterable[Change], price: int) -> list[int]:
    """One rounded line per change, in the order given. Lines are rounded one by one, so their
    sum may differ from the rounded sum of the exact values by at most half a unit per line."""
    return [adjustment(c.from_count, c.to_count, price, c.effective_on) for c in changes]


def format_amount(amount: int, currency: str) -> str:
    """Minor units as a person reads them: 1200 EUR → "12.00 EUR"."""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole:,}.{cents:02d} {currency}"
