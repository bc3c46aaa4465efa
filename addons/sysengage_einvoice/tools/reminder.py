"""Payment reminder dates: which reminder level an overdue invoice reaches on a given day.

Plain Python (no ORM). Levels are given by their delays in days after the invoice's due date, in
ascending order, e.g. ``[10, 30, 45]`` for 1st reminder, 2nd reminder and last notice.
"""

from datetime import timedelta


def due_level(today, date_due, delays, reached=0, last_date=None):
    """The index (0-based) of the reminder level due on ``today``, or ``None``.

    ``reached`` is the number of levels the invoice already had (0: never reminded), ``last_date``
    the date of its last reminder. Levels are never skipped: an invoice gets level ``reached``
    when it is ``delays[reached]`` days past its due date and, after a first reminder, at least
    the gap between the two levels' delays has passed since the last reminder (so a late first
    reminder does not trigger the second one the next day).
    """
    if not date_due or reached >= len(delays):
        return None
    delay = delays[reached]
    if today < date_due + timedelta(days=delay):
        return None
    if reached and last_date:
        gap = max(delay - delays[reached - 1], 0)
        if today < last_date + timedelta(days=gap):
            return None
    return reached


def days_overdue(today, date_due):
    """Days past the due date (0 when not yet due)."""
    if not date_due:
        return 0
    return max((today - date_due).days, 0)
