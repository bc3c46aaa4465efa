"""Shaping of grouped figures into an indicator table (rows x columns, totals, comparison)."""

OTHERS = "__others__"
TOTAL = "__total__"


def build_table(cells, columns=None, limit=0):
    """Pivot ``cells`` -- an iterable of (row_key, column_key, value) -- into a table.

    Rows are sorted by their total, largest first; with ``limit`` the rows past it are summed
    into one :data:`OTHERS` row. ``columns`` fixes the column order (missing cells count 0);
    otherwise the columns found are sorted. Returns a dict with ``rows``, ``columns``,
    ``matrix`` ({row: {col: value}}), ``row_totals``, ``column_totals`` and ``total``.
    """
    matrix = {}
    found_columns = []
    for row, column, value in cells:
        matrix.setdefault(row, {})
        matrix[row][column] = matrix[row].get(column, 0.0) + (value or 0.0)
        if column not in found_columns:
            found_columns.append(column)
    if columns is None:
        columns = sorted(found_columns, key=_sort_key)
    else:
        columns = list(columns) + [c for c in sorted(found_columns, key=_sort_key) if c not in columns]
    row_totals = {row: sum(values.values()) for row, values in matrix.items()}
    rows = sorted(matrix, key=lambda r: (-row_totals[r], _sort_key(r)))
    if limit and len(rows) > limit:
        others = {}
        for row in rows[limit:]:
            for column, value in matrix.pop(row).items():
                others[column] = others.get(column, 0.0) + value
            row_totals.pop(row)
        rows = rows[:limit] + [OTHERS]
        matrix[OTHERS] = others
        row_totals[OTHERS] = sum(others.values())
    column_totals = {column: sum(matrix[row].get(column, 0.0) for row in rows) for column in columns}
    return {
        "rows": rows,
        "columns": columns,
        "matrix": {row: {column: matrix[row].get(column, 0.0) for column in columns} for row in rows},
        "row_totals": row_totals,
        "column_totals": column_totals,
        "total": sum(row_totals.values()),
    }


def ratio_table(numerator, denominator, factor=100.0):
    """Cell-by-cell ratio of two tables built on the same keys (e.g. won offers / all offers).

    Totals are ratios of totals, never sums of ratios; a zero denominator gives 0.
    """

    def div(num, den):
        return (num or 0.0) * factor / den if den else 0.0

    rows = list(denominator["rows"])
    columns = denominator["columns"]
    num_matrix = numerator["matrix"]
    return {
        "rows": rows,
        "columns": columns,
        "matrix": {
            row: {
                column: div(num_matrix.get(row, {}).get(column), denominator["matrix"][row][column])
                for column in columns
            }
            for row in rows
        },
        "row_totals": {row: div(numerator["row_totals"].get(row), denominator["row_totals"][row]) for row in rows},
        "column_totals": {
            column: div(numerator["column_totals"].get(column), denominator["column_totals"][column])
            for column in columns
        },
        "total": div(numerator["total"], denominator["total"]),
    }


def compare(current, previous):
    """(difference, percentage change or None when the previous value is 0)."""
    current = current or 0.0
    previous = previous or 0.0
    delta = current - previous
    if not previous:
        return delta, None
    return delta, delta * 100.0 / abs(previous)


def _sort_key(key):
    if key in (OTHERS, TOTAL):
        return (2, "")
    if key is None or key is False:
        return (1, "")
    return (0, key)
