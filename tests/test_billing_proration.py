"""R9: invoice proration. Hand-computed tables, then properties over random changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.billing.proration import (
    Change,
    adjustment,
    adjustments,
    base_amount,
    days_in_period,
    days_left,
    exact_adjustment,
    local_day,
    next_period_start,
    period_of,
    round_half_up,
)

# --- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "first", "last", "length"),
    [
        (date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28), 28),
        (date(2028, 2, 14), date(2028, 2, 1), date(2028, 2, 29), 29),  # leap year
        (date(2026, 4, 30), date(2026, 4, 1), date(2026, 4, 30), 30),
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 31), 31),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31), 31),
        (date(2100, 2, 10), date(2100, 2, 1), date(2100, 2, 28), 28),  # century, not leap
    ],
)
def test_r9_period_is_the_calendar_month(day: date, first: date, last: date, length: int) -> None:
    assert period_of(day) == (first, last)
    assert days_in_period(day) == length


@pytest.mark.parametrize(
    ("effective_on", "expected"),
    [
        (date(2026, 4, 1), 30),  # first day of a 30-day month: the whole period
        (date(2026, 4, 30), 1),  # last day: the effective day itself
        (date(2026, 1, 1), 31),
        (date(2026, 1, 31), 1),
        (date(2026, 2, 1), 28),
        (date(2026, 2, 15), 14),  # 15..28
        (date(2028, 2, 29), 1),
        (date(2028, 2, 15), 15),  # 15..29
    ],
)
def test_r9_days_left_includes_the_effective_day(effective_on: date, expected: int) -> None:
    assert days_left(effective_on) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 3, 1)),
        (date(2028, 2, 29), date(2028, 3, 1)),
        (date(2026, 12, 15), date(2027, 1, 1)),  # across the year
    ],
)
def test_r9_next_period_start(day: date, expected: date) -> None:
    assert next_period_start(day) == expected


# --- one line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_count", "to_count", "price", "effective_on", "expected"),
    [
        # 30-day month (April 2026)
        (10, 12, 1000, date(2026, 4, 1), 2000),  # 2 * 1000 * 30/30 = 2000
        (10, 12, 1000, date(2026, 4, 30), 67),  # 2 * 1000 * 1/30 = 66.67 → 67
        (10, 12, 1000, date(2026, 4, 16), 1000),  # 2 * 1000 * 15/30 = 1000
        # 31-day month (January 2026)
        (5, 6, 3100, date(2026, 1, 16), 1600),  # 1 * 3100 * 16/31 = 1600
        (5, 6, 1000, date(2026, 1, 1), 1000),  # 1 * 1000 * 31/31 = 1000
        (5, 6, 1000, date(2026, 1, 31), 32),  # 1 * 1000 * 1/31 = 32.26 → 32
        # 28-day month (February 2026)
        (0, 3, 2800, date(2026, 2, 15), 4200),  # 3 * 2800 * 14/28 = 4200 (first licenses)
        (0, 3, 1000, date(2026, 2, 28), 107),  # 3 * 1000 * 1/28 = 107.14 → 107
        # 29-day month (February 2028, leap)
        (1, 2, 2900, date(2028, 2, 15), 1500),  # 1 * 2900 * 15/29 = 1500
        (1, 2, 2900, date(2028, 2, 29), 100),  # 1 * 2900 * 1/29 = 100
        (1, 2, 1000, date(2028, 2, 1), 1000),  # 1 * 1000 * 29/29 = 1000
        # decreases are credits
        (12, 9, 999, date(2026, 4, 21), -999),  # -3 * 999 * 10/30 = -999
        (12, 9, 1001, date(2026, 4, 26), -501),  # -3 * 1001 * 5/30 = -500.5 → -501
        (2, 0, 1000, date(2026, 1, 31), -65),  # -2 * 1000 * 1/31 = -64.52 → -65
        (2, 0, 1000, date(2026, 1, 1), -2000),  # -2 * 1000 * 31/31 = -2000
        # exactly half: away from zero, in both directions
        (1, 2, 45, date(2026, 4, 30), 2),  # 1 * 45 * 1/30 = 1.5 → 2
        (2, 1, 45, date(2026, 4, 30), -2),  # -1 * 45 * 1/30 = -1.5 → -2
        (1, 2, 15, date(2026, 4, 30), 1),  # 1 * 15 * 1/30 = 0.5 → 1
        (2, 1, 15, date(2026, 4, 30), -1),  # -1 * 15 * 1/30 = -0.5 → -1
        (1, 2, 14, date(2026, 2, 28), 1),  # 1 * 14 * 1/28 = 0.5 → 1
        (3, 2, 42, date(2028, 2, 29), -1),  # -1 * 42 * 1/29 = -1.448 → -1
        # just under half: down, in both directions
        (1, 2, 44, date(2026, 4, 30), 1),  # 1 * 44 * 1/30 = 1.467 → 1
        (2, 1, 44, date(2026, 4, 30), -1),  # -1 * 44 * 1/30 = -1.467 → -1
        (1, 2, 14, date(2026, 4, 30), 0),  # 1 * 14 * 1/30 = 0.467 → 0
        (2, 1, 14, date(2026, 4, 30), 0),  # -1 * 14 * 1/30 = -0.467 → 0
        # no change, or a free plan
        (7, 7, 1000, date(2026, 4, 10), 0),  # 0 * … = 0
        (7, 9, 0, date(2026, 4, 10), 0),  # … * 0 = 0
    ],
)
def test_r9_adjustment_line(
    from_count: int, to_count: int, price: int, effective_on: date, expected: int
) -> None:
    assert adjustment(from_count, to_count, price, effective_on) == expected


@pytest.mark.parametrize(
    ("from_count", "to_count", "price", "effective_on"),
    [
        (1, 2, 45, date(2026, 4, 30)),
        (10, 13, 1001, date(2026, 4, 26)),
        (0, 7, 33, date(2028, 2, 29)),
        (4, 5, 14, date(2026, 2, 28)),
    ],
)
def test_r9_a_credit_mirrors_the_charge_it_undoes(
    from_count: int, to_count: int, price: int, effective_on: date
) -> None:
    up = adjustment(from_count, to_count, price, effective_on)
    down = adjustment(to_count, from_count, price, effective_on)
    assert down == -up


def test_r9_several_changes_on_one_day_each_get_a_line() -> None:
    day = date(2026, 4, 10)  # 21 days left of 30
    changes = [
        Change(10, 11, day),  # +1 * 600 * 21/30 = 420
        Change(11, 13, day),  # +2 * 600 * 21/30 = 840
        Change(13, 12, day),  # -1 * 600 * 21/30 = -420
    ]
    assert adjustments(changes, 600) == [420, 840, -420]
    # the lines add up to the net change 10 → 12: 2 * 600 * 21/30 = 840
    assert sum(adjustments(changes, 600)) == adjustment(10, 12, 600, day) == 840


def test_r9_an_increase_undone_the_same_day_nets_to_zero() -> None:
    day = date(2026, 4, 30)  # 1 day left of 30
    # +1 * 45 * 1/30 = 1.5 → 2, then -1.5 → -2: symmetric rounding leaves nothing behind
    assert adjustments([Change(10, 11, day), Change(11, 10, day)], 45) == [2, -2]


def test_r9_lines_keep_their_own_period() -> None:
    changes = [
        Change(0, 2, date(2026, 1, 31)),  # 2 * 3100 * 1/31 = 200
        Change(2, 3, date(2026, 2, 28)),  # 1 * 3100 * 1/28 = 110.71 → 111
    ]
    assert adjustments(changes, 3100) == [200, 111]


def test_r9_base_amount_is_licenses_times_price() -> None:
    assert base_amount(12, 1999) == 23988  # 12 * 1999
    assert base_amount(0, 1999) == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda: adjustment(-1, 2, 100, date(2026, 4, 1)),
        lambda: adjustment(1, -2, 100, date(2026, 4, 1)),
        lambda: adjustment(1, 2, -100, date(2026, 4, 1)),
        lambda: base_amount(-1, 100),
        lambda: base_amount(1, -100),
    ],
)
def test_r9_negative_counts_or_prices_are_refused(call) -> None:
    with pytest.raises(ValueError):
        call()


# --- the organisation's day ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "time_zone", "expected"),
    [
        # 23:30 CET on Jan 31 is 22:30 UTC the same day: Jan 31
        (datetime(2026, 1, 31, 22, 30, tzinfo=UTC), "Europe/Stockholm", date(2026, 1, 31)),
        # 23:30 CEST on Mar 31 (summer time since Mar 29) is 21:30 UTC: Mar 31
        (datetime(2026, 3, 31, 21, 30, tzinfo=UTC), "Europe/Stockholm", date(2026, 3, 31)),
        # east of UTC, the local day starts first: 00:30 CET on Feb 1 is 23:30 UTC on Jan 31
        (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "Europe/Stockholm", date(2026, 2, 1)),
        # west of UTC, the UTC day starts first: 23:30 EST on Jan 31 is 04:30 UTC on Feb 1
        (datetime(2026, 2, 1, 4, 30, tzinfo=UTC), "America/New_York", date(2026, 1, 31)),
        # the same instant given in local time
        (
            datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("America/New_York")),
            "America/New_York",
            date(2026, 1, 31),
        ),
        # a leap day, far east: 23:30 on Feb 29 in Tokyo is 14:30 UTC
        (datetime(2028, 2, 29, 14, 30, tzinfo=UTC), "Asia/Tokyo", date(2028, 2, 29)),
        # 00:30 on Mar 1 in Tokyo is still Feb 29 in UTC
        (datetime(2028, 2, 29, 15, 30, tzinfo=UTC), "Asia/Tokyo", date(2028, 3, 1)),
    ],
)
def test_r9_local_day_is_the_organisations_date(
    moment: datetime, time_zone: str, expected: date
) -> None:
    assert local_day(moment, time_zone) == expected


def test_r9_a_late_change_on_the_last_day_counts_one_day() -> None:
    moment = datetime(2026, 2, 1, 4, 30, tzinfo=UTC)  # Jan 31, 23:30 in New York
    day = local_day(moment, "America/New_York")
    assert days_left(day) == 1
    assert adjustment(4, 5, 3100, day) == 100  # 1 * 3100 * 1/31, not a full February


def test_r9_local_day_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError):
        local_day(datetime(2026, 1, 31, 23, 30), "Europe/Stockholm")


# --- rounding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 2), 1),
        (Fraction(-1, 2), -1),
        (Fraction(3, 2), 2),
        (Fraction(-3, 2), -2),
        (Fraction(149, 100), 1),
        (Fraction(-149, 100), -1),
        (Fraction(0), 0),
        (Fraction(7), 7),
        (Fraction(-7), -7),
        (Fraction(1, 3), 0),
        (Fraction(-2, 3), -1),
    ],
)
def test_r9_round_half_up_is_symmetric(value: Fraction, expected: int) -> None:
    assert round_half_up(value) == expected


@given(
    numerator=st.integers(-(10**12), 10**12),
    twos=st.integers(0, 6),
    fives=st.integers(0, 6),
)
def test_r9_round_half_up_matches_decimal(numerator: int, twos: int, fives: int) -> None:
    # denominators 2^a·5^b make the value exactly representable as a Decimal
    denominator = 2**twos * 5**fives
    value = Fraction(numerator, denominator)
    exact = Decimal(numerator) / Decimal(denominator)
    assert exact == Decimal(value.numerator) / Decimal(value.denominator)
    expected = abs(exact).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert round_half_up(value) == int(expected) * (1 if value >= 0 else -1)


# --- properties over a period -----------------------------------------------------------------


@st.composite
def changes_in_one_period(draw: st.DrawFn) -> tuple[date, int, list[Change]]:
    """A period, the count held before it, and a chain of changes inside it, sorted by date
    (several may share a day)."""
    start = date(draw(st.integers(2000, 2100)), draw(st.integers(1, 12)), 1)
    length = days_in_period(start)
    count_before = draw(st.integers(0, 500))
    offsets = sorted(draw(st.lists(st.integers(0, length - 1), max_size=12)))
    changes = []
    held = count_before
    for offset in offsets:
        new = draw(st.integers(0, 500))
        changes.append(Change(held, new, start + timedelta(days=offset)))
        held = new
    return start, count_before, changes


@given(period=changes_in_one_period(), price=st.integers(1, 100_000))
def test_r9_each_line_is_the_priced_license_days_rounded(
    period: tuple[date, int, list[Change]], price: int
) -> None:
    start, _, changes = period
    length = days_in_period(start)
    lines = adjustments(changes, price)
    assert len(lines) == len(changes)
    for line, change in zip(lines, changes, strict=True):
        exact = Fraction(
            (change.to_count - change.from_count)
            * price
            * ((length - change.effective_on.day) + 1),
            length,
        )
        assert line == round_half_up(exact)
        assert abs(line - exact) <= Fraction(1, 2)
        if change.to_count > change.from_count:
            assert line >= 0  # a charge
        elif change.to_count < change.from_count:
            assert line <= 0  # a credit
    assert sum(lines) == sum(
        round_half_up(exact_adjustment(c.from_count, c.to_count, price, c.effective_on))
        for c in changes
    )


@given(period=changes_in_one_period(), price=st.integers(1, 100_000))
def test_r9_adjustments_price_exactly_the_license_days_held(
    period: tuple[date, int, list[Change]], price: int
) -> None:
    start, count_before, changes = period
    first, last = period_of(start)
    length = days_in_period(start)

    # Walk the period day by day: the count held on a day is the `to` of the last change that
    # took effect on or before it, else the count billed in advance.
    license_days = 0
    day = first
    while day <= last:
        held = count_before
        for change in changes:
            if change.effective_on <= day:
                held = change.to_count
        license_days += held
        day += timedelta(days=1)

    owed = Fraction(price, length) * (license_days - count_before * length)
    exact = sum(
        (exact_adjustment(c.from_count, c.to_count, price, c.effective_on) for c in changes),
        Fraction(0),
    )
    assert exact == owed

    lines = adjustments(changes, price)
    assert abs(sum(lines) - owed) <= Fraction(len(lines), 2)
