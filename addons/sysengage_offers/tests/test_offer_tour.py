from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestOfferTour(HttpCase):
    def test_offer_approval_and_partial_acceptance_tour(self):
        admin = self.env.ref("base.user_admin")
        rule = self.env.ref("sysengage_offers.sysengage_approval_rule_offer_amount")
        # one person plays the sales rep and the approver in the tour
        rule.allow_self_approval = True
        rule.level_ids = [Command.clear(), Command.create({"approver_type": "users", "user_ids": admin.ids})]
        customer = self.env["res.partner"].create({"name": "Tour Muster AG", "is_company": True})
        migration = self.env["product.product"].create(
            {"name": "Data centre migration", "type": "service", "list_price": 30000.0}
        )
        audit = self.env["product.product"].create({"name": "Security audit", "type": "service", "list_price": 8000.0})
        offer = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": admin.id,
                "order_line": [
                    Command.create({"product_id": migration.id, "product_uom_qty": 2}),
                    Command.create({"product_id": audit.id, "product_uom_qty": 1}),
                ],
            }
        )
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{offer.id}", "sysengage_offers_tour", login="admin"
        )
        order = offer.sysengage_acceptance_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_id, migration)
        self.assertEqual(order.order_line.product_uom_qty, 1.0)
        self.assertEqual(offer.sysengage_acceptance_state, "partial")
