"""The options of the report pipeline (``sysengage_base/tools/report_options.py``): only server code
holding a ``ReportOptions`` sets them; what a client sends as JSON counts as nothing."""

import json

import pytest
from sysengage_base_tools.report_options import OPTIONS_KEY, ReportOptions, get_options, with_options


def test_defaults_without_options():
    assert get_options(None) == ReportOptions()
    assert get_options({}) == ReportOptions()
    assert not get_options({"report_type": "pdf"}).force_payment_part


@pytest.mark.parametrize(
    "forged",
    [True, "1", {"force_payment_part": True, "batch": True}, ["force_payment_part"], {"__class__": "ReportOptions"}],
)
def test_json_values_are_ignored(forged):
    # what the report routes hand over from ``options``/``context``: parsed JSON
    data = json.loads(json.dumps({OPTIONS_KEY: forged}))
    assert get_options(data) == ReportOptions()


def test_with_options_copies_and_changes():
    data = {"report_type": "pdf"}
    forced = with_options(data, force_payment_part=True)
    assert data == {"report_type": "pdf"}, "the caller's data is left as it was"
    assert get_options(forced) == ReportOptions(force_payment_part=True)
    nested = with_options(forced, print_profile_id=7)
    assert get_options(nested) == ReportOptions(force_payment_part=True, print_profile_id=7)
    assert get_options(with_options({}, ReportOptions(batch=True))).batch


def test_options_are_immutable_and_hashable():
    options = ReportOptions(force_payment_part=True)
    with pytest.raises(AttributeError):
        options.force_payment_part = False
    assert {options: 1}[ReportOptions(force_payment_part=True)] == 1  # a cache key of the dispatch
