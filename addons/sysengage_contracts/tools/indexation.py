"""Price indexation of Sysengage contracts, on plain values (no ORM).

An indexation is a percentage applying from a date on. The prices of a period are multiplied by
the product of ``1 + percent / 100`` of every indexation dated on or before the period start
(compounded, in date order). See ``readme/USAGE.md`` for which prices an indexation moves.
"""


def indexation_factor(indexations, day):
    """Compounded factor of ``indexations`` (iterable of ``(date, percent)``) applying on ``day``.

    >>> import datetime
    >>> round(indexation_factor([(datetime.date(2026, 1, 1), 2.0), (datetime.date(2027, 1, 1), 3.0)],
    ...                         datetime.date(2027, 6, 1)), 6)
    1.0506
    """
    factor = 1.0
    for date, percent in sorted(indexations, key=lambda entry: entry[0]):
        if date <= day:
            factor *= 1.0 + percent / 100.0
    return factor
