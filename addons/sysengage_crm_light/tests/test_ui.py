from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_indicator_tour(self):
        self.start_tour("/odoo", "sysengage_crm_light_indicator_tour", login="admin")
        indicator = self.env["sysengage.indicator"].search([("name", "=", "Tour: opportunities by rep")])
        self.assertEqual(indicator.source, "opportunity")
        self.assertEqual(indicator.grouping, "sales_rep")
        self.assertTrue(indicator.is_pinned)
