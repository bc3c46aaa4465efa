"""Credit of unused days and price indexation of sysengage_contracts, against hand-computed values."""

from datetime import date
from fractions import Fraction

import pytest
from sysengage_contracts_tools.indexation import indexation_factor
from sysengage_contracts_tools.recurrence import Recurrence, credit_ratio, unused_days


@pytest.mark.parametrize(
    ("start", "end", "termination", "line_start", "line_end", "expected"),
    [
        # 16..31 March of a full March: 16/31
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15), None, None, Fraction(16, 31)),
        # terminated before the period: all of it; on its last day: nothing
        (date(2026, 4, 1), date(2026, 4, 30), date(2026, 3, 15), None, None, Fraction(1)),
        (date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 30), None, None, Fraction(0)),
        # a year billed in advance, terminated on 30 April: 245 of 365 days
        (date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 30), None, None, Fraction(245, 365)),
        # leap year: 1 March .. 31 December 2028 = 306 of 366 days
        (date(2028, 1, 1), date(2028, 12, 31), date(2028, 2, 29), None, None, Fraction(306, 366)),
        # a line active from 11 March only was invoiced 21 days; 16 of them are unused
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15), date(2026, 3, 11), None, Fraction(16, 21)),
        # a line ending on 20 March: invoiced 20 days, 5 unused
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15), None, date(2026, 3, 20), Fraction(5, 20)),
        # a line outside the period was not invoiced: nothing to credit
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15), date(2026, 4, 1), None, Fraction(0)),
    ],
)
def test_credit_ratio(start, end, termination, line_start, line_end, expected):
    assert credit_ratio(start, end, termination, line_start, line_end) == expected


def test_credit_equals_pro_rata_of_the_full_price():
    """Crediting a pro rata first period gives the full price x unused days / nominal days."""
    recurrence = Recurrence(date(2026, 3, 15), interval=1, prorate_first=True)
    first = recurrence.first_period()
    assert (first.start, first.end, first.ratio) == (date(2026, 3, 15), date(2026, 3, 31), Fraction(17, 31))
    ratio = credit_ratio(first.start, first.end, date(2026, 3, 20))
    # 11 unused days (21..31 March) of the 17 invoiced, i.e. 11/31 of the full price
    assert first.ratio * ratio == Fraction(11, 31)


def test_unused_days():
    assert unused_days(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15)) == (
        date(2026, 3, 16),
        date(2026, 3, 31),
        16,
    )
    assert unused_days(date(2026, 4, 1), date(2026, 4, 30), date(2026, 3, 15)) == (
        date(2026, 4, 1),
        date(2026, 4, 30),
        30,
    )
    assert unused_days(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31)) == (None, None, 0)


def test_indexation_factor_compounds_in_date_order():
    entries = [(date(2027, 1, 1), 3.0), (date(2026, 1, 1), 2.0)]
    assert indexation_factor(entries, date(2025, 12, 31)) == 1.0
    assert indexation_factor(entries, date(2026, 1, 1)) == pytest.approx(1.02)
    # 1.02 x 1.03 = 1.0506
    assert indexation_factor(entries, date(2027, 6, 1)) == pytest.approx(1.0506)
    assert indexation_factor([], date(2027, 6, 1)) == 1.0
    # a price cut: -10 % then +5 % = 0.945
    assert indexation_factor([(date(2026, 1, 1), -10.0), (date(2026, 6, 1), 5.0)], date(2026, 6, 1)) == pytest.approx(
        0.945
    )
