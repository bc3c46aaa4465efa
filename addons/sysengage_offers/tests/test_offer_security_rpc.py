"""Adversarial checks of offers through a running server (XML-RPC, report and portal routes),
as plain salesmen of two companies (issue 13)."""

import json
from xmlrpc.client import Fault

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.sysengage_base.tests.common import SysengageRpcMixin

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferSecurityRpc(SysengageRpcMixin, SysengageOffersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._create_user("sg_sec_sales", "sysengage_offers.group_user")
        cls.salesman_2 = cls._create_user("sg_sec_sales2", "sysengage_offers.group_user")
        cls.manager = cls._create_user("sg_sec_manager", "sysengage_offers.group_manager")
        cls.company_b = cls.setup_other_company(name="Sysengage Filiale SA")["company"]
        cls.salesman_b = cls._create_user("sg_sec_sales_b", "sysengage_offers.group_user", company=cls.company_b)
        cls.big_service = cls._create_service("Data centre migration", price=30000.0)

    def _big_offer(self, user=None):
        user = user or self.salesman
        return self._create_offer(self.customer, [(self.big_service, 2)], user_id=user.id)

    def _approve(self, offer):
        offer.with_user(offer.user_id).action_sysengage_request_approval()
        offer.sysengage_approval_request_ids.filtered(lambda r: r.state == "pending").with_user(
            self.manager
        ).action_approve()

    # ------------------------------------------------------------------
    # state changes go through the guarded actions only
    # ------------------------------------------------------------------
    def test_write_state_sale_or_sent(self):
        offer = self._big_offer()
        for state in ("sale", "sent"):
            with self.assertRaisesRegex(Fault, "Approval is required"):
                self._rpc(self.salesman, "sale.order", "write", offer.ids, {"state": state})
            offer.invalidate_recordset()
            self.assertEqual(offer.state, "draft")

    def test_create_or_copy_into_sale(self):
        offer = self._big_offer()
        count = self.env["sale.order"].search_count([])
        vals = {
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.big_service.id, "product_uom_qty": 2})],
        }
        with self.assertRaisesRegex(Fault, "Approval is required"):
            self._rpc(self.salesman, "sale.order", "create", dict(vals, state="sale"))
        with self.assertRaisesRegex(Fault, "Approval is required"):
            self._rpc(self.salesman, "sale.order", "create", vals, context={"default_state": "sale"})
        with self.assertRaisesRegex(Fault, "Approval is required"):
            self._rpc(self.salesman, "sale.order", "copy", offer.ids, {"state": "sale"})
        with self.assertRaisesRegex(Fault, "Approval is required"):
            self._rpc(self.salesman, "sale.order", "copy", offer.ids, {"state": "sent"})
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    def test_forged_partial_acceptance_order(self):
        """An order claiming to come from a small approved offer is checked on its own lines."""
        small = self._create_offer(self.customer, [(self.service, 1)], user_id=self.salesman.id)
        vals = {
            "partner_id": self.customer.id,
            "sysengage_offer_id": small.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.big_service.id,
                        "product_uom_qty": 2,
                        "sysengage_offer_line_id": small.order_line.id,
                    }
                )
            ],
        }
        order_id = self._rpc(self.salesman, "sale.order", "create", vals)
        with self.assertRaisesRegex(Fault, "Approval is required"):
            self._rpc(self.salesman, "sale.order", "action_confirm", [order_id])

    def test_confirmed_order_grown_past_the_rule(self):
        """Confirmed small, then raised above 50,000: not printed as final, sent or invoiced until approved."""
        order = self._create_offer(self.customer, [(self.service, 2)], user_id=self.salesman.id)
        self._rpc(self.salesman, "sale.order", "action_confirm", order.ids)
        self._rpc(self.salesman, "sale.order.line", "write", order.order_line.ids, {"product_uom_qty": 400})
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
        self.assertGreater(order.amount_untaxed, 50000)
        with self.assertRaisesRegex(Fault, "Approval is required"):
            self._rpc(self.salesman, "sale.order", "action_quotation_send", order.ids)
        for method in ("delivered", "percentage"):
            wizard_id = self._rpc(
                self.salesman,
                "sale.advance.payment.inv",
                "create",
                {"sale_order_ids": [Command.set(order.ids)], "advance_payment_method": method, "amount": 10},
            )
            with self.assertRaisesRegex(Fault, "Approval is required"):
                self._rpc(self.salesman, "sale.advance.payment.inv", "create_invoices", [wizard_id])
        self.assertFalse(order.invoice_ids)
        self.authenticate(self.salesman.login, self.salesman.login)
        response = self.url_open(f"/report/html/sale.report_saleorder/{order.id}")
        self.assertNotEqual(response.status_code, 200, "the final print is refused")
        self._approve(order)
        response = self.url_open(f"/report/html/sale.report_saleorder/{order.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Awaiting internal approval", response.text)

    # ------------------------------------------------------------------
    # report and portal routes never show an unapproved offer as final
    # ------------------------------------------------------------------
    def test_report_routes_of_unapproved_offer(self):
        offer = self._big_offer()
        self.authenticate(self.salesman.login, self.salesman.login)
        for route in ("html", "pdf"):
            response = self.url_open(f"/report/{route}/sale.report_saleorder/{offer.id}")
            self.assertNotEqual(response.status_code, 200, f"/report/{route} refuses the final offer")
            response = self.url_open(f"/report/{route}/sale.report_saleorder_pro_forma/{offer.id}")
            self.assertNotEqual(response.status_code, 200, f"/report/{route} refuses the pro-forma")
        # asked as a draft (the context comes from the client): marked as such on the page
        context = json.dumps({"sysengage_offer_draft_print": True})
        response = self.url_open(f"/report/html/sale.report_saleorder/{offer.id}?context={context}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("DRAFT - not valid as an offer", response.text)
        self.assertIn("Awaiting internal approval", response.text)

    def test_portal_of_unapproved_offer(self):
        offer = self._big_offer()
        token = offer._portal_ensure_token()
        self.assertFalse(offer._has_to_be_signed(), "the customer cannot sign it yet")
        self.assertFalse(offer._has_to_be_paid())
        page = self.url_open(f"/my/orders/{offer.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("awaiting internal approval", page.text)
        report = self.url_open(f"/my/orders/{offer.id}?access_token={token}&report_type=html")
        self.assertEqual(report.status_code, 200)
        self.assertIn("Awaiting internal approval", report.text)
        self._approve(offer)
        offer.invalidate_recordset()
        self.assertTrue(offer._has_to_be_signed())
        page = self.url_open(f"/my/orders/{offer.id}?access_token={token}")
        self.assertNotIn("awaiting internal approval", page.text)

    # ------------------------------------------------------------------
    # formula errors, acceptance wizard, event history
    # ------------------------------------------------------------------
    def test_formula_error_does_not_echo_values(self):
        secret = self._create_offer(self.customer, [(self.service, 1)], user_id=self.salesman_2.id)
        secret.client_order_ref = "SECRET-7781"
        self.env["sysengage.approval.rule"].sudo().create(
            {
                "name": "Reference check",
                "model_id": self.env["ir.model"]._get("sale.order").id,
                "trigger": "action",
                "action": "offer",
                "condition_formula": "int(record.partner_id.sale_order_ids.sorted('id')[0].client_order_ref) > 0",
                "level_ids": [
                    Command.create(
                        {"approver_type": "group", "group_id": self.env.ref("sysengage_offers.group_manager").id}
                    )
                ],
            }
        )
        offer = self._create_offer(self.customer, [(self.service, 1)], user_id=self.salesman.id)
        with self.assertRaisesRegex(Fault, "cannot be evaluated") as caught:
            self._rpc(self.salesman, "sale.order", "action_confirm", offer.ids)
        self.assertNotIn("SECRET-7781", str(caught.exception))

    def test_acceptance_wizard_with_lines_of_another_offer(self):
        offer = self._create_offer(self.customer, [(self.service, 3)], user_id=self.salesman.id)
        others = [
            self._create_offer(self.customer, [(self.service_install, 2)], user_id=self.salesman_2.id),
            self.env["sale.order"]
            .with_company(self.company_b)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_b.id,
                    "user_id": self.salesman_b.id,
                    "order_line": [Command.create({"product_id": self.service_install.id, "product_uom_qty": 2})],
                }
            ),
        ]
        for other in others:
            line_vals = {
                "offer_line_id": other.order_line.id,
                "accept": False,
                "refuse": True,
                "refusal_reason": "forged",
            }
            with self.assertRaisesRegex(Fault, "does not belong to the offer"):
                self._rpc(
                    self.salesman,
                    "sysengage.offer.acceptance.wizard",
                    "create",
                    {"offer_id": offer.id, "line_ids": [Command.clear(), Command.create(line_vals)]},
                )
            self.assertFalse(other.order_line.sysengage_refused_qty)

    def test_history_of_another_salesman_offer(self):
        mine = self._create_offer(self.customer, [(self.service, 1)], user_id=self.salesman.id)
        theirs = self._create_offer(self.customer, [(self.service, 1)], user_id=self.salesman_2.id)
        theirs.client_order_ref = "THEIR-REF"
        found = self._rpc(
            self.salesman,
            "sysengage.event",
            "search_read",
            [("res_model", "=", "sale.order")],
            fields=["res_id", "res_name"],
        )
        ids = {event["res_id"] for event in found}
        self.assertIn(mine.id, ids)
        self.assertNotIn(theirs.id, ids, "the history of an offer he may not read is hidden")
        changes = self._rpc(self.salesman, "sysengage.event.change", "search_read", [], fields=["new_value"])
        self.assertNotIn("THEIR-REF", str(changes))
        found_b = self._rpc(self.salesman_b, "sysengage.event", "search", [("res_model", "=", "sale.order")])
        self.assertFalse(set(found_b) & {event["id"] for event in found}, "nor the other company's")
