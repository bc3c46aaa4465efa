from datetime import date

from sysengage_einvoice_tools.reminder import days_overdue, due_level

DELAYS = [10, 30, 45]  # 1st reminder, 2nd reminder, last notice (days after the due date)
DUE = date(2026, 10, 31)


def test_nothing_before_the_first_delay():
    assert due_level(date(2026, 11, 9), DUE, DELAYS) is None  # 9 days overdue
    assert due_level(date(2026, 11, 10), DUE, DELAYS) == 0  # 10 days overdue
    assert due_level(date(2026, 11, 10), None, DELAYS) is None


def test_second_level_after_its_delay_and_the_gap():
    # first reminder sent on 10.11 (day 10): the second is due on day 30 = 30.11
    assert due_level(date(2026, 11, 29), DUE, DELAYS, reached=1, last_date=date(2026, 11, 10)) is None
    assert due_level(date(2026, 11, 30), DUE, DELAYS, reached=1, last_date=date(2026, 11, 10)) == 1
    # last notice on day 45 = 15.12 (15 days after the second on 30.11)
    assert due_level(date(2026, 12, 15), DUE, DELAYS, reached=2, last_date=date(2026, 11, 30)) == 2
    assert due_level(date(2027, 3, 1), DUE, DELAYS, reached=3, last_date=date(2026, 12, 15)) is None


def test_levels_are_never_skipped_and_a_late_reminder_resets_the_gap():
    # never reminded and 60 days overdue: the first reminder, not the last notice
    assert due_level(date(2026, 12, 30), DUE, DELAYS) == 0
    # first reminder only on 30.12 (day 60): the second waits 20 days (30 - 10) → 19.01.2027
    assert due_level(date(2027, 1, 18), DUE, DELAYS, reached=1, last_date=date(2026, 12, 30)) is None
    assert due_level(date(2027, 1, 19), DUE, DELAYS, reached=1, last_date=date(2026, 12, 30)) == 1


def test_days_overdue():
    assert days_overdue(date(2026, 11, 10), DUE) == 10
    assert days_overdue(date(2026, 10, 1), DUE) == 0
    assert days_overdue(date(2026, 10, 1), None) == 0
