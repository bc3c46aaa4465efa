import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import tagged

from .common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestIndicatorXlsx(CrmLightCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_sales()
        partners = (cls.customer_a | cls.customer_b | cls.customer_c).ids
        cls.indicator = cls.env["sysengage.indicator"].create(
            {
                "name": "Revenue by customer by month",
                "source": "invoice_line",
                "measure": "revenue",
                "grouping": "customer",
                "period": "month",
                "date_range": "custom",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "comparison": "previous_period",
                "chart_type": "bar",
                "filter_domain": repr([("partner_id", "in", partners)]),
            }
        )

    def test_excel_table_and_chart_read_back(self):
        workbook = load_workbook(io.BytesIO(self.indicator._xlsx_content()))
        sheet = workbook.active
        self.assertEqual(sheet["A1"].value, "Revenue by customer by month")
        header = [cell.value for cell in sheet[3]]
        self.assertEqual(header, ["Customer", "2026-01", "2026-02", "2026-03", "Total", "Previous period", "Change %"])
        rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, max_row=6, values_only=True)}
        self.assertEqual(rows["Alpha SA"][:4], (2400.0, 1500.0, 0.0, 3900.0))
        self.assertEqual(rows["Alpha SA"][4], 1000.0)
        self.assertAlmostEqual(rows["Alpha SA"][5], 290.0)
        self.assertEqual(rows["Gamma Sagl"][:4], (0.0, 0.0, 2320.0, 2320.0))
        totals = [cell.value for cell in sheet[7]]
        self.assertEqual(totals[:5], ["Total", 2400.0, 2600.0, 2320.0, 7320.0])
        self.assertEqual(len(sheet._charts), 1, "a native chart is embedded")
        chart = sheet._charts[0]
        self.assertEqual(chart.tagname, "barChart")
        self.assertEqual(len(chart.series), 3, "one series per month column")

    def test_excel_download_route(self):
        action = self.indicator.action_export_xlsx()
        self.assertEqual(action["url"], f"/sysengage_crm_light/indicator/{self.indicator.id}/xlsx")

    def test_pie_chart_uses_total_column(self):
        self.indicator.write({"chart_type": "pie", "period": "none", "comparison": "none"})
        sheet = load_workbook(io.BytesIO(self.indicator._xlsx_content())).active
        self.assertEqual([cell.value for cell in sheet[3]], ["Customer", "Total"])
        self.assertEqual(sheet._charts[0].tagname, "pieChart")
