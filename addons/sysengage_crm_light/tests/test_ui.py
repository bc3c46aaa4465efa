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
