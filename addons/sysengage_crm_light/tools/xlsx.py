"""Excel export of an indicator table with a native chart (openpyxl, no ORM)."""

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
# A text starting with one of these is taken by spreadsheets for a formula (formula injection)
FORMULA_PREFIXES = ("=", "+", "-", "@")


def build_workbook(title, header, rows, totals, chart_type="bar", series_columns=None, number_format="#,##0.00"):
    """Workbook bytes: one sheet with the table and a chart drawn from it.

    :param header: column titles, the first one naming the row labels
    :param rows: lists of [label, value, value, ...]
    :param totals: the total row ([label, value, ...]) or None
    :param series_columns: 1-based indexes (in ``header``) of the columns charted; by default all
        value columns but a trailing "Total" when there are several
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or "Indicator")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(header)
    header_row = 3
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append(row)
    last_data_row = header_row + len(rows)
    if totals:
        sheet.append(totals)
        for cell in sheet[last_data_row + 1]:
            cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1, min_col=2):
        for cell in row:
            if isinstance(cell.value, (int, float)):
                cell.number_format = number_format
    _write_texts_as_text(sheet)
    sheet.column_dimensions["A"].width = 36
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    if rows:
        _add_chart(sheet, title, header, header_row, last_data_row, chart_type, series_columns)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _write_texts_as_text(sheet):
    """Store every text cell as a string: a label such as ``=HYPERLINK(...)`` stays text, never a live formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                cell.data_type = "s"
                # shown with a quote prefix: editing the cell in a spreadsheet keeps it text
                cell.quotePrefix = True


def _add_chart(sheet, title, header, header_row, last_data_row, chart_type, series_columns):
    if series_columns is None:
        series_columns = list(range(2, len(header) + 1))
        if len(series_columns) > 1 and header[-1] == "Total":
            series_columns = series_columns[:-1]
    if chart_type == "pie":
        chart = PieChart()
        series_columns = series_columns[:1]
    elif chart_type == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "col"
    chart.title = title
    chart.height = 9
    chart.width = 18
    categories = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_data_row)
    for column in series_columns:
        data = Reference(sheet, min_col=column, min_row=header_row, max_row=last_data_row)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    anchor_column = get_column_letter(len(header) + 2)
    sheet.add_chart(chart, f"{anchor_column}{header_row}")
