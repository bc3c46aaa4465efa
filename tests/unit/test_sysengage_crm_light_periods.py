from datetime import date

import pytest
from sysengage_crm_light_tools.periods import (
    period_end,
    period_keys,
    period_label,
    period_start,
    preset_range,
    previous_range,
    shift_months,
)


def test_shift_months_clamps_day():
    assert shift_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert shift_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert shift_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert shift_months(date(2026, 1, 15), -13) == date(2024, 12, 15)


@pytest.mark.parametrize(
    ("granularity", "start", "end"),
    [
        ("month", date(2026, 5, 1), date(2026, 5, 31)),
        ("quarter", date(2026, 4, 1), date(2026, 6, 30)),
        ("year", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_period_bounds(granularity, start, end):
    assert period_start(date(2026, 5, 17), granularity) == start
    assert period_end(date(2026, 5, 17), granularity) == end


def test_presets():
    today = date(2026, 5, 17)
    assert preset_range("this_month", today) == (date(2026, 5, 1), date(2026, 5, 31))
    assert preset_range("last_month", today) == (date(2026, 4, 1), date(2026, 4, 30))
    assert preset_range("this_quarter", today) == (date(2026, 4, 1), date(2026, 6, 30))
    assert preset_range("last_year", today) == (date(2025, 1, 1), date(2025, 12, 31))
    assert preset_range("last_12_months", today) == (date(2025, 6, 1), date(2026, 5, 31))
    assert preset_range("all", today) == (None, None)
    with pytest.raises(ValueError):
        preset_range("someday", today)


def test_previous_period_of_whole_months():
    assert previous_range(date(2026, 1, 1), date(2026, 3, 31)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert previous_range(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert previous_range(date(2026, 1, 1), date(2026, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_previous_period_of_days():
    assert previous_range(date(2026, 3, 10), date(2026, 3, 19)) == (date(2026, 2, 28), date(2026, 3, 9))


def test_previous_year():
    assert previous_range(date(2024, 2, 1), date(2024, 2, 29), "previous_year") == (date(2023, 2, 1), date(2023, 2, 28))
    assert previous_range(date(2026, 3, 10), date(2026, 3, 19), "previous_year") == (
        date(2025, 3, 10),
        date(2025, 3, 19),
    )


def test_previous_range_errors():
    with pytest.raises(ValueError):
        previous_range(None, date(2026, 1, 1))
    with pytest.raises(ValueError):
        previous_range(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        previous_range(date(2026, 1, 1), date(2026, 2, 1), "previous_decade")


def test_labels_and_keys():
    assert period_label(date(2026, 3, 1), "month") == "2026-03"
    assert period_label(date(2026, 7, 1), "quarter") == "2026 Q3"
    assert period_label(date(2026, 1, 1), "year") == "2026"
    assert period_keys(date(2026, 1, 15), date(2026, 4, 2), "month") == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
    assert period_keys(date(2025, 11, 1), date(2026, 5, 1), "quarter") == [
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
    ]
