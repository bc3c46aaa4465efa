from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferApproval(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._create_user("approval_salesman", "sysengage_offers.group_user")
        cls.manager = cls._create_user("approval_manager", "sysengage_offers.group_manager")
        cls.big_service = cls._create_service("Data centre migration", price=30000.0)
        cls.amount_rule = cls.env.ref("sysengage_offers.sysengage_approval_rule_offer_amount")
        cls.discount_rule = cls.env.ref("sysengage_offers.sysengage_approval_rule_offer_discount")

    def _big_offer(self):
        offer = self._create_offer(self.customer, [(self.big_service, 2)], user_id=self.salesman.id)
        return offer.with_user(self.salesman)

    def _approve(self, offer):
        offer.action_sysengage_request_approval()
        self.assertEqual(offer.sysengage_approval_state, "pending")
        requests = offer.sysengage_approval_request_ids.filtered(lambda r: r.state == "pending")
        requests.with_user(self.manager).action_approve()
        offer.invalidate_recordset()
        self.assertEqual(offer.sysengage_approval_state, "approved")

    def test_small_offer_needs_no_approval(self):
        offer = self._create_offer(self.customer, [(self.service, 3)], user_id=self.salesman.id)
        offer = offer.with_user(self.salesman)
        self.assertEqual(offer.sysengage_approval_state, "not_required")
        offer.action_quotation_sent()
        offer.action_confirm()
        self.assertEqual(offer.state, "sale")

    def test_big_offer_blocked_until_approved(self):
        offer = self._big_offer()
        self.assertEqual(offer.sysengage_approval_state, "required")
        # every guarded path, called directly as the salesman would through RPC
        with self.assertRaisesRegex(UserError, "Offer above 50,000"):
            offer.action_confirm()
        with self.assertRaisesRegex(UserError, "Approval is required"):
            offer.action_quotation_send()
        with self.assertRaisesRegex(UserError, "Approval is required"):
            offer.action_quotation_sent()
        with self.assertRaisesRegex(UserError, "Approval is required"):
            offer.with_context(mark_so_as_sent=True).message_post(body="Here is our offer")
        with self.assertRaisesRegex(UserError, "Approval is required"):
            self.env["ir.actions.report"].with_user(self.salesman)._render_qweb_pdf(
                "sale.action_report_saleorder", offer.ids
            )
        with self.assertRaisesRegex(UserError, "Approval is required"):
            offer.action_sysengage_accept()
        with self.assertRaisesRegex(UserError, "Approval is required"):
            self.env["sysengage.offer.acceptance.wizard"].with_user(self.salesman).create(
                {"offer_id": offer.id, "line_ids": []}
            ).action_accept()
        self.assertEqual(offer.state, "draft")
        # the draft print stays possible (it is marked as a draft)
        html, _ = (
            self.env["ir.actions.report"]
            .with_user(self.salesman)
            .with_context(sysengage_offer_draft_print=True)
            ._render_qweb_html("sale.action_report_saleorder", offer.ids)
        )
        self.assertIn(b"sysengage_draft_banner", html)

        self._approve(offer)
        offer.action_quotation_sent()
        self.assertEqual(offer.state, "sent")
        offer.action_confirm()
        self.assertEqual(offer.state, "sale")

    def test_amount_change_resets_the_approval(self):
        offer = self._big_offer()
        self._approve(offer)
        # a change through the line itself
        offer.order_line.product_uom_qty = 3
        offer.invalidate_recordset()
        self.assertEqual(offer.sysengage_approval_state, "required")
        self.assertEqual(offer.sysengage_approval_request_ids.mapped("state"), ["cancelled"])
        with self.assertRaisesRegex(UserError, "Offer above 50,000"):
            offer.action_confirm()
        # approved again, then a change through the order
        self._approve(offer)
        offer.write({"order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 1})]})
        offer.invalidate_recordset()
        self.assertEqual(offer.sysengage_approval_state, "required")
        with self.assertRaises(UserError):
            offer.action_confirm()

    def test_change_without_amount_keeps_the_approval(self):
        offer = self._big_offer()
        self._approve(offer)
        offer.write({"client_order_ref": "PO-4711", "sysengage_intro_text": "<p>Hello</p>"})
        offer.invalidate_recordset()
        self.assertEqual(offer.sysengage_approval_state, "approved")
        offer.action_confirm()

    def test_discount_rule(self):
        offer = self._create_offer(self.customer, [(self.service, 2)], user_id=self.salesman.id)
        offer = offer.with_user(self.salesman)
        offer.order_line.discount = 25
        self.assertEqual(offer.sysengage_max_discount, 25)
        with self.assertRaisesRegex(UserError, "discount above 20"):
            offer.action_confirm()
        offer.order_line.discount = 15
        offer.action_confirm()

    def test_margin_rules(self):
        self.env.ref("sysengage_offers.sysengage_approval_rule_offer_margin_percent").active = True
        self.env.ref("sysengage_offers.sysengage_approval_rule_offer_margin_amount").active = True
        # cost 75 per hour: 50 % margin at 150, 16.7 % at 90, negative at 60
        offer = self._create_offer(self.customer, [(self.service, 10, 90.0)], user_id=self.salesman.id)
        offer = offer.with_user(self.salesman)
        self.assertAlmostEqual(offer.sysengage_margin, 150.0)
        self.assertAlmostEqual(offer.sysengage_margin_percent, 16.67, places=2)
        with self.assertRaisesRegex(UserError, "margin below 20"):
            offer.action_confirm()
        offer.order_line.price_unit = 60.0
        with self.assertRaisesRegex(UserError, "negative margin"):
            offer.action_confirm()
        offer.order_line.price_unit = 150.0
        offer.action_confirm()

    def test_accepted_order_follows_the_offer_approval(self):
        offer = self._big_offer()
        self._approve(offer)
        wizard = self.env["sysengage.offer.acceptance.wizard"].with_user(self.salesman).create({"offer_id": offer.id})
        wizard.line_ids.write({"accept": True, "quantity": 1})
        order = self.env["sale.order"].browse(wizard.action_accept()["res_id"])
        self.assertEqual(order.state, "sale")
        self.assertEqual(offer.sysengage_approval_state, "approved", "accepting does not change the offer amounts")
