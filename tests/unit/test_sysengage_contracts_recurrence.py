"""Recurrence date maths of sysengage_contracts, against hand-computed dates and ratios."""

from datetime import date
from fractions import Fraction

import pytest
from sysengage_contracts_tools.recurrence import (
    ARREARS,
    Recurrence,
    RecurrenceError,
    add_months,
    days_between,
    interval_months,
)


def bounds(periods):
    return [(p.start, p.end) for p in periods]


# ----------------------------------------------------------------------
# add_months / helpers
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "months", "anchor_day", "expected"),
    [
        (date(2026, 1, 31), 1, None, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, None, date(2028, 2, 29)),  # leap year
        (date(2026, 2, 28), 1, 31, date(2026, 3, 31)),  # anchor day restored
        (date(2026, 11, 30), 3, None, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, None, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, None, date(2027, 1, 15)),
        (date(2024, 2, 29), 12, None, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, None, date(2028, 2, 29)),
    ],
)
def test_add_months(day, months, anchor_day, expected):
    assert add_months(day, months, anchor_day) == expected


def test_days_between():
    assert days_between(date(2026, 2, 1), date(2026, 2, 28)) == 28
    assert days_between(date(2028, 2, 1), date(2028, 2, 29)) == 29
    assert days_between(date(2026, 3, 2), date(2026, 3, 1)) == 0


@pytest.mark.parametrize(
    ("periodicity", "custom", "months"),
    [("monthly", None, 1), ("quarterly", None, 3), ("semiannual", None, 6), ("annual", None, 12), ("custom", 5, 5)],
)
def test_interval_months(periodicity, custom, months):
    assert interval_months(periodicity, custom) == months


@pytest.mark.parametrize(("periodicity", "custom"), [("custom", 0), ("custom", None), ("weekly", None)])
def test_interval_months_invalid(periodicity, custom):
    with pytest.raises(RecurrenceError):
        interval_months(periodicity, custom)


def test_invalid_recurrences():
    with pytest.raises(RecurrenceError):
        Recurrence(date(2026, 1, 1), interval=0)
    with pytest.raises(RecurrenceError):
        Recurrence(date(2026, 1, 1), mode="sometimes")
    with pytest.raises(RecurrenceError):
        Recurrence(date(2026, 3, 1), date_end=date(2026, 2, 28))


# ----------------------------------------------------------------------
# Periodicities, full periods
# ----------------------------------------------------------------------
def test_monthly_from_first():
    rec = Recurrence(date(2026, 1, 1))
    assert bounds(rec.next_periods(None, 3)) == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
    ]
    assert all(p.ratio == 1 and p.is_full for p in rec.next_periods(None, 12))


def test_monthly_from_31st_does_not_drift():
    rec = Recurrence(date(2026, 1, 31))
    assert bounds(rec.next_periods(None, 4)) == [
        (date(2026, 1, 31), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2026, 3, 30)),
        (date(2026, 3, 31), date(2026, 4, 29)),
        (date(2026, 4, 30), date(2026, 5, 30)),
    ]


def test_monthly_from_31st_leap_year():
    rec = Recurrence(date(2028, 1, 31))
    assert bounds(rec.next_periods(None, 2)) == [
        (date(2028, 1, 31), date(2028, 2, 28)),
        (date(2028, 2, 29), date(2028, 3, 30)),
    ]


def test_quarterly_mid_month():
    rec = Recurrence(date(2026, 1, 15), interval=3)
    assert bounds(rec.next_periods(None, 3)) == [
        (date(2026, 1, 15), date(2026, 4, 14)),
        (date(2026, 4, 15), date(2026, 7, 14)),
        (date(2026, 7, 15), date(2026, 10, 14)),
    ]


def test_semiannual_from_aug_31():
    rec = Recurrence(date(2026, 8, 31), interval=6)
    assert bounds(rec.next_periods(None, 3)) == [
        (date(2026, 8, 31), date(2027, 2, 27)),
        (date(2027, 2, 28), date(2027, 8, 30)),
        (date(2027, 8, 31), date(2028, 2, 28)),
    ]


def test_annual_from_feb_29():
    rec = Recurrence(date(2024, 2, 29), interval=12)
    assert bounds(rec.next_periods(None, 5)) == [
        (date(2024, 2, 29), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2027, 2, 27)),
        (date(2027, 2, 28), date(2028, 2, 28)),
        (date(2028, 2, 29), date(2029, 2, 27)),
    ]


def test_every_five_months():
    rec = Recurrence(date(2026, 3, 1), interval=5)
    assert bounds(rec.next_periods(None, 3)) == [
        (date(2026, 3, 1), date(2026, 7, 31)),
        (date(2026, 8, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 5, 31)),
    ]


# ----------------------------------------------------------------------
# In advance / in arrears / offset
# ----------------------------------------------------------------------
def test_invoice_date_in_advance_and_arrears():
    advance = Recurrence(date(2026, 1, 1))
    arrears = Recurrence(date(2026, 1, 1), mode=ARREARS)
    assert [p.invoice_date for p in advance.next_periods(None, 3)] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert [p.invoice_date for p in arrears.next_periods(None, 3)] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]


def test_invoice_date_offset():
    before = Recurrence(date(2026, 1, 1), invoice_offset=-10)
    after = Recurrence(date(2026, 1, 1), mode=ARREARS, invoice_offset=5)
    assert before.first_period().invoice_date == date(2025, 12, 22)
    assert after.first_period().invoice_date == date(2026, 2, 5)
    assert after.next_invoice_date(date(2026, 2, 1)) == date(2026, 3, 5)


# ----------------------------------------------------------------------
# Pro rata
# ----------------------------------------------------------------------
def test_first_period_pro_rata_monthly():
    rec = Recurrence(date(2026, 3, 15), prorate_first=True)
    first, second = rec.next_periods(None, 2)
    assert (first.start, first.end) == (date(2026, 3, 15), date(2026, 3, 31))
    assert first.ratio == Fraction(17, 31)
    assert (second.start, second.end, second.ratio) == (date(2026, 4, 1), date(2026, 4, 30), 1)


def test_first_period_pro_rata_february_leap():
    rec = Recurrence(date(2028, 2, 10), prorate_first=True)
    assert rec.first_period().ratio == Fraction(20, 29)
    rec = Recurrence(date(2027, 2, 10), prorate_first=True)
    assert rec.first_period().ratio == Fraction(19, 28)


def test_first_period_pro_rata_quarterly_is_calendar_quarter():
    rec = Recurrence(date(2026, 5, 20), interval=3, prorate_first=True)
    first, second = rec.next_periods(None, 2)
    assert (first.nominal_start, first.nominal_end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (first.start, first.end) == (date(2026, 5, 20), date(2026, 6, 30))
    assert first.ratio == Fraction(42, 91)
    assert (second.start, second.end) == (date(2026, 7, 1), date(2026, 9, 30))


def test_first_period_pro_rata_annual_leap_year():
    rec = Recurrence(date(2028, 7, 1), interval=12, prorate_first=True)
    first = rec.first_period()
    assert (first.nominal_start, first.nominal_end) == (date(2028, 1, 1), date(2028, 12, 31))
    assert first.ratio == Fraction(184, 366)


def test_first_period_pro_rata_semiannual():
    rec = Recurrence(date(2026, 9, 1), interval=6, prorate_first=True)
    first = rec.first_period()
    assert (first.nominal_start, first.end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert first.ratio == Fraction(122, 184)


def test_first_period_pro_rata_on_boundary_is_full():
    rec = Recurrence(date(2026, 4, 1), interval=3, prorate_first=True)
    assert rec.first_period().is_full and rec.first_period().ratio == 1


def test_first_period_pro_rata_custom_interval_anchors_on_month():
    rec = Recurrence(date(2026, 3, 11), interval=5, prorate_first=True)
    first = rec.first_period()
    assert (first.nominal_start, first.nominal_end) == (date(2026, 3, 1), date(2026, 7, 31))
    assert first.ratio == Fraction(143, 153)


def test_last_period_pro_rata_on_end_date():
    rec = Recurrence(date(2026, 1, 1), date_end=date(2026, 3, 10))
    periods = list(rec.iter_periods())
    assert bounds(periods) == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 10)),
    ]
    assert periods[-1].ratio == Fraction(10, 31)
    assert rec.next_invoice_date(date(2026, 3, 11)) is None


def test_last_period_pro_rata_in_arrears_invoiced_on_termination():
    rec = Recurrence(date(2026, 1, 1), interval=3, mode=ARREARS, date_end=date(2026, 5, 15))
    last = list(rec.iter_periods())[-1]
    assert (last.start, last.end, last.invoice_date) == (date(2026, 4, 1), date(2026, 5, 15), date(2026, 5, 15))
    assert last.ratio == Fraction(45, 91)


def test_first_and_last_in_same_period():
    rec = Recurrence(date(2026, 6, 10), prorate_first=True, date_end=date(2026, 6, 19))
    (only,) = list(rec.iter_periods())
    assert only.ratio == Fraction(10, 30)


def test_line_overlap_ratio():
    rec = Recurrence(date(2026, 1, 1))
    january = rec.first_period()
    assert january.overlap_ratio(date(2026, 1, 11), None) == Fraction(21, 31)
    assert january.overlap_ratio(None, date(2026, 1, 10)) == Fraction(10, 31)
    assert january.overlap_ratio(date(2026, 2, 1), None) == 0


# ----------------------------------------------------------------------
# Catch-up
# ----------------------------------------------------------------------
def test_catch_up_lists_every_missed_period():
    rec = Recurrence(date(2026, 1, 1))
    due = rec.due_periods(date(2026, 1, 1), date(2026, 4, 15))
    assert [p.start for p in due] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
    # nothing due before the next invoice date; resumes after the last invoiced period
    assert rec.due_periods(date(2026, 5, 1), date(2026, 4, 30)) == []
    assert [p.start for p in rec.due_periods(date(2026, 5, 1), date(2026, 5, 1))] == [date(2026, 5, 1)]


def test_catch_up_in_arrears_excludes_open_period():
    rec = Recurrence(date(2026, 1, 1), mode=ARREARS)
    due = rec.due_periods(date(2026, 1, 1), date(2026, 3, 30))
    assert [p.end for p in due] == [date(2026, 1, 31), date(2026, 2, 28)]


def test_catch_up_stops_at_end_and_limit():
    rec = Recurrence(date(2026, 1, 1), date_end=date(2026, 2, 14))
    due = rec.due_periods(date(2026, 1, 1), date(2027, 1, 1))
    assert bounds(due) == [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 14))]
    assert len(Recurrence(date(2020, 1, 1)).due_periods(date(2020, 1, 1), date(2026, 1, 1), limit=10)) == 10


def test_catch_up_pro_rata_first_then_full():
    rec = Recurrence(date(2026, 1, 20), prorate_first=True)
    due = rec.due_periods(date(2026, 1, 20), date(2026, 3, 1))
    assert [(p.start, p.ratio) for p in due] == [
        (date(2026, 1, 20), Fraction(12, 31)),
        (date(2026, 2, 1), 1),
        (date(2026, 3, 1), 1),
    ]


def test_next_start_before_contract_start_is_clamped():
    rec = Recurrence(date(2026, 1, 15))
    assert rec.period_starting(date(2025, 1, 1)).start == date(2026, 1, 15)
