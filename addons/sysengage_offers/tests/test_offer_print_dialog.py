from odoo.tests import tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferPrintDialog(SysengageOffersCommon):
    def test_print_dialog_in_the_print_menu_of_offers(self):
        action = self.env.ref("sysengage_offers.sysengage_print_wizard_action_sale_order")
        bindings = self.env["ir.actions.actions"].get_bindings("sale.order")
        self.assertIn(action.id, [item["id"] for item in bindings["report"]], "listed in the Print menu")

    def test_offer_printed_in_the_browser(self):
        offer = self._create_offer(self.customer_fr, [(self.service, 2)])
        wizard = (
            self.env["sysengage.print.wizard"]
            .with_context(active_model="sale.order", active_ids=offer.ids)
            .create({"mode": "browser"})
        )
        self.assertEqual(wizard.report_id.model, "sale.order")
        self.assertEqual(wizard.record_count, 1)
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/report/pdf/{wizard.report_id.report_name}/{offer.id}")
        self.assertTrue(
            self.env["sysengage.event"].search(
                [("res_model", "=", "sale.order"), ("res_id", "=", offer.id), ("event_type", "=", "print")]
            )
        )
