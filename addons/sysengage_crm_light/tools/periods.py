"""Period arithmetic for indicators: preset ranges, previous periods and period labels."""

import calendar
from datetime import date, timedelta

GRANULARITIES = ("month", "quarter", "year")


def shift_months(value, months):
    """``value`` moved by ``months`` months, the day clamped to the length of the target month."""
    month_index = value.year * 12 + value.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def period_start(value, granularity):
    """First day of the month, quarter or year holding ``value``."""
    if granularity == "month":
        return date(value.year, value.month, 1)
    if granularity == "quarter":
        return date(value.year, 3 * ((value.month - 1) // 3) + 1, 1)
    if granularity == "year":
        return date(value.year, 1, 1)
    raise ValueError(f"unknown granularity {granularity!r}")


def period_end(value, granularity):
    """Last day of the month, quarter or year holding ``value``."""
    length = {"month": 1, "quarter": 3, "year": 12}[granularity]
    return shift_months(period_start(value, granularity), length) - timedelta(days=1)


def preset_range(preset, today):
    """(date_from, date_to) of a named range relative to ``today``; ``(None, None)`` for "all"."""
    if preset == "all":
        return None, None
    if preset == "this_month":
        return period_start(today, "month"), period_end(today, "month")
    if preset == "this_quarter":
        return period_start(today, "quarter"), period_end(today, "quarter")
    if preset == "this_year":
        return period_start(today, "year"), period_end(today, "year")
    if preset == "last_month":
        previous = shift_months(period_start(today, "month"), -1)
        return previous, period_end(previous, "month")
    if preset == "last_year":
        previous = date(today.year - 1, 1, 1)
        return previous, date(today.year - 1, 12, 31)
    if preset == "last_12_months":
        return shift_months(period_start(today, "month"), -11), period_end(today, "month")
    raise ValueError(f"unknown range preset {preset!r}")


def _is_whole_months(date_from, date_to):
    return date_from.day == 1 and (date_to + timedelta(days=1)).day == 1


def previous_range(date_from, date_to, mode="previous_period"):
    """The range compared with [date_from, date_to].

    ``previous_period``: the range of the same length just before it; whole months shift by
    whole months (Jan-Mar compares with Oct-Dec), other ranges by their number of days.
    ``previous_year``: the same range one year earlier (29 February clamps to the 28th).
    """
    if date_from is None or date_to is None:
        raise ValueError("a comparison needs a bounded date range")
    if date_to < date_from:
        raise ValueError("the range ends before it starts")
    if mode == "previous_year":
        return shift_months(date_from, -12), _shift_end(date_to, -12)
    if mode != "previous_period":
        raise ValueError(f"unknown comparison mode {mode!r}")
    if _is_whole_months(date_from, date_to):
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        return shift_months(date_from, -months), date_from - timedelta(days=1)
    span = (date_to - date_from).days + 1
    return date_from - timedelta(days=span), date_from - timedelta(days=1)


def _shift_end(value, months):
    """Shift a range end, keeping "last day of month" a last day of month."""
    if (value + timedelta(days=1)).day == 1:
        return period_end(shift_months(date(value.year, value.month, 1), months), "month")
    return shift_months(value, months)


def period_label(value, granularity):
    """Short label of the period starting at ``value``: 2026-03, 2026 Q1, 2026."""
    if granularity == "month":
        return f"{value.year}-{value.month:02d}"
    if granularity == "quarter":
        return f"{value.year} Q{(value.month - 1) // 3 + 1}"
    if granularity == "year":
        return str(value.year)
    raise ValueError(f"unknown granularity {granularity!r}")


def period_keys(date_from, date_to, granularity):
    """Every period start between two dates, so that empty months still show as columns."""
    keys = []
    current = period_start(date_from, granularity)
    step = {"month": 1, "quarter": 3, "year": 12}[granularity]
    while current <= date_to:
        keys.append(current)
        current = shift_months(current, step)
    return keys
