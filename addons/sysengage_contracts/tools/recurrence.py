"""Recurrence date maths of Sysengage contracts, on plain ``datetime.date`` values (no ORM).

Conventions (documented in ``readme/USAGE.md`` too):

* A period is a closed interval of days ``[start, end]``; both ends are invoiced.
* Periods of ``interval`` months are laid out from an *anchor*: period ``k`` starts on
  ``anchor + k * interval`` months. The day of the month is taken from the anchor every time and
  clamped to the month end (31 Jan → 28/29 Feb → 31 Mar), so the periods never drift; a period
  ends the day before the next one starts.
* Without pro rata of the first period, the anchor is the contract start: every period is full.
  With it, periods are aligned on the calendar: on the 1st of the month, and, when the interval
  divides 12, on calendar quarters, halves or years (every 2, 3, 4, 6 or 12 months counted from
  January); the first period then runs from the contract start to the end of its calendar period.
* Pro rata temporis is *actual/actual*: the ratio is the number of days invoiced divided by the
  number of days of the full (nominal) period that contains them, both counted inclusively.
  It is returned as an exact :class:`fractions.Fraction`; amounts are rounded only once, by the
  currency, when the invoice is computed.
* The last period is cut at the contract end (end date or termination date) and invoiced pro rata.
* In advance, a period is invoiced on its first day; in arrears, on its last day; the invoice date
  offset (days, may be negative) moves that date.
* The catch-up lists every period whose invoice date is on or before the reference date, starting
  at the first period not yet invoiced.
* A termination inside a period already invoiced credits the unused days: the invoiced amount of a
  line times ``unused days / invoiced days`` (:func:`credit_ratio`). As the invoiced amount is the
  full price times ``invoiced days / nominal days``, this is the full price times ``unused days /
  nominal days``: the same actual/actual rule as the pro rata of a first or last period.
"""

import calendar
import datetime
from dataclasses import dataclass
from fractions import Fraction

ONE_DAY = datetime.timedelta(days=1)

#: months per named periodicity; ``custom`` uses the contract's own number of months
PERIODICITY_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}

ADVANCE = "advance"
ARREARS = "arrears"


class RecurrenceError(ValueError):
    """Raised when the recurrence parameters cannot describe a schedule."""


def add_months(day, months, anchor_day=None):
    """``day`` moved by ``months`` months.

    The day of month (``anchor_day`` or ``day.day``) is clamped to the month end.
    """
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(anchor_day or day.day, last))


def days_between(start, end):
    """Number of days of the closed interval ``[start, end]`` (0 when empty)."""
    return max((end - start).days + 1, 0)


def interval_months(periodicity, custom_months=None):
    """Number of months of a periodicity (``monthly`` ... ``annual``, or ``custom`` with ``custom_months``)."""
    if periodicity == "custom":
        months = custom_months or 0
    else:
        months = PERIODICITY_MONTHS.get(periodicity, 0)
    if not isinstance(months, int) or months < 1:
        raise RecurrenceError(f"invalid periodicity {periodicity!r} / {custom_months!r}")
    return months


def credit_ratio(start, end, termination_date, line_start=None, line_end=None):
    """Share of the amount invoiced for ``[start, end]`` that falls after ``termination_date``.

    ``line_start``/``line_end`` (either may be None) restrict the days the line was invoiced for.
    Returns a :class:`fractions.Fraction` between 0 and 1: unused days / invoiced days, both inclusive.
    """
    first = max(start, line_start) if line_start else start
    last = min(end, line_end) if line_end else end
    invoiced = days_between(first, last)
    if not invoiced:
        return Fraction(0)
    unused = days_between(max(first, termination_date + ONE_DAY), last)
    return Fraction(unused, invoiced)


def unused_days(start, end, termination_date):
    """``(first, last, days)`` of the days of ``[start, end]`` after ``termination_date`` (None, None, 0 if none)."""
    first = max(start, termination_date + ONE_DAY)
    days = days_between(first, end)
    if not days:
        return None, None, 0
    return first, end, days


@dataclass(frozen=True)
class Period:
    """One invoicing period: the days invoiced and the full period they belong to."""

    start: datetime.date
    end: datetime.date
    nominal_start: datetime.date
    nominal_end: datetime.date
    invoice_date: datetime.date

    @property
    def days(self):
        return days_between(self.start, self.end)

    @property
    def nominal_days(self):
        return days_between(self.nominal_start, self.nominal_end)

    @property
    def ratio(self):
        """Pro rata factor (actual/actual) of the period, 1 when the period is full."""
        return Fraction(self.days, self.nominal_days)

    @property
    def is_full(self):
        return self.start == self.nominal_start and self.end == self.nominal_end

    def overlap_ratio(self, line_start=None, line_end=None):
        """Pro rata factor of a line active from ``line_start`` to ``line_end`` (either may be None) in this period."""
        start = max(self.start, line_start) if line_start else self.start
        end = min(self.end, line_end) if line_end else self.end
        return Fraction(days_between(start, end), self.nominal_days)


@dataclass(frozen=True)
class Recurrence:
    """The schedule of a contract."""

    date_start: datetime.date
    interval: int = 1
    mode: str = ADVANCE
    invoice_offset: int = 0
    prorate_first: bool = False
    date_end: datetime.date | None = None

    def __post_init__(self):
        if not isinstance(self.interval, int) or self.interval < 1:
            raise RecurrenceError(f"interval must be a positive number of months, not {self.interval!r}")
        if self.mode not in (ADVANCE, ARREARS):
            raise RecurrenceError(f"mode must be {ADVANCE!r} or {ARREARS!r}, not {self.mode!r}")
        if self.date_end and self.date_end < self.date_start:
            raise RecurrenceError("the end date is before the start date")

    # ------------------------------------------------------------------
    # Layout of the nominal periods
    # ------------------------------------------------------------------
    @property
    def anchor(self):
        """First day of the nominal period that contains the contract start."""
        if not self.prorate_first:
            return self.date_start
        month = self.date_start.month
        if 12 % self.interval == 0:
            month -= (month - 1) % self.interval
        return datetime.date(self.date_start.year, month, 1)

    def nominal_bounds(self, index):
        """``(start, end)`` of nominal period ``index`` (0 = the period containing the contract start)."""
        anchor = self.anchor
        start = add_months(anchor, index * self.interval, anchor.day)
        end = add_months(anchor, (index + 1) * self.interval, anchor.day) - ONE_DAY
        return start, end

    def index_of(self, day):
        """Index of the nominal period containing ``day`` (negative before the anchor)."""
        anchor = self.anchor
        months = (day.year - anchor.year) * 12 + day.month - anchor.month
        index = months // self.interval
        # the month estimate is off by at most one period around clamped month ends
        while self.nominal_bounds(index)[0] > day:
            index -= 1
        while self.nominal_bounds(index)[1] < day:
            index += 1
        return index

    # ------------------------------------------------------------------
    # Effective periods
    # ------------------------------------------------------------------
    def invoice_date_of(self, start, end):
        base = start if self.mode == ADVANCE else end
        return base + datetime.timedelta(days=self.invoice_offset)

    def period_starting(self, start):
        """The period that starts on ``start`` (the contract start or the day after an invoiced period).

        Returns None once ``start`` is past the contract end.
        """
        if start < self.date_start:
            start = self.date_start
        if self.date_end and start > self.date_end:
            return None
        nominal_start, nominal_end = self.nominal_bounds(self.index_of(start))
        end = min(nominal_end, self.date_end) if self.date_end else nominal_end
        return Period(start, end, nominal_start, nominal_end, self.invoice_date_of(start, end))

    def first_period(self):
        return self.period_starting(self.date_start)

    def iter_periods(self, start=None):
        """Periods from ``start`` (default: the contract start) on, until the contract end (or forever)."""
        period = self.period_starting(start or self.date_start)
        while period is not None:
            yield period
            period = self.period_starting(period.end + ONE_DAY)

    def due_periods(self, next_start, reference_date, limit=None):
        """Catch-up: every period from ``next_start`` whose invoice date is on or before ``reference_date``."""
        due = []
        for period in self.iter_periods(next_start):
            if period.invoice_date > reference_date or (limit and len(due) >= limit):
                break
            due.append(period)
        return due

    def next_periods(self, next_start, count):
        """The next ``count`` periods from ``next_start`` (forecast)."""
        result = []
        for period in self.iter_periods(next_start):
            if len(result) >= count:
                break
            result.append(period)
        return result

    def next_invoice_date(self, next_start):
        """Invoice date of the first period not yet invoiced, None when the contract is fully invoiced."""
        period = self.period_starting(next_start)
        return period.invoice_date if period else None
