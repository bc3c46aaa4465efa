import io

from openpyxl import load_workbook

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_indicator_tour(self):
        admin = self.env.ref("base.user_admin")
        self.env["crm.lead"].create(
            [
                {"name": "Tour deal 1", "type": "opportunity", "user_id": admin.id, "expected_revenue": 12000.0},
                {"name": "Tour deal 2", "type": "opportunity", "user_id": admin.id, "expected_revenue": 8000.0},
            ]
        )
        self.start_tour("/odoo", "sysengage_crm_light_indicator_tour", login="admin")
        indicator = self.env["sysengage.indicator"].search([("name", "=", "Tour: opportunities by rep")])
        self.assertEqual(indicator.source, "opportunity")
        self.assertEqual(indicator.grouping, "sales_rep")
        self.assertTrue(indicator.is_pinned)

    def test_excel_download_route(self):
        self.env["crm.lead"].create({"name": "Excel deal", "type": "opportunity", "expected_revenue": 4200.0})
        indicator = self.env["sysengage.indicator"].create(
            {
                "name": "Opportunities",
                "source": "opportunity",
                "measure": "revenue",
                "grouping": "none",
                "date_range": "all",
                "filter_domain": "[('name', '=', 'Excel deal')]",
                "company_id": False,
            }
        )
        self.authenticate("admin", "admin")
        response = self.url_open(f"/sysengage_crm_light/indicator/{indicator.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["A1"].value, "Opportunities")
        self.assertEqual(sheet["B4"].value, 4200.0)
        self.assertEqual(len(sheet._charts), 1)
