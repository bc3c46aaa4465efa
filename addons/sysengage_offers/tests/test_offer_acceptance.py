from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferAcceptance(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.condition = cls._create_condition("Payment 30 days")
        cls.offer = cls._create_offer(
            cls.customer,
            [(cls.service, 10), (cls.service_install, 1), (cls.article, 4)],
            sysengage_intro_text="<p>Our offer</p>",
        )
        cls.line_hours, cls.line_install, cls.line_switch = cls.offer.order_line

    def _accept(self, decisions, offer=None):
        """decisions: {offer line: dict(accept=qty or None, refuse=reason or None)}"""
        offer = offer or self.offer
        with Form(self.env["sysengage.offer.acceptance.wizard"].with_context(default_offer_id=offer.id)) as form:
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as wiz_line:
                    decision = decisions.get(wiz_line.offer_line_id)
                    if not decision:
                        continue
                    if decision.get("accept") is not None:
                        wiz_line.accept = True
                        wiz_line.quantity = decision["accept"]
                    if decision.get("refuse"):
                        wiz_line.refuse = True
                        wiz_line.refusal_reason = decision["refuse"]
        action = form.record.action_accept()
        return self.env["sale.order"].browse(action.get("res_id"))

    def test_partial_acceptance_over_two_orders(self):
        order1 = self._accept({self.line_hours: {"accept": 6}, self.line_switch: {"accept": 4}})
        self.assertEqual(order1.state, "sale")
        self.assertEqual(order1.sysengage_offer_id, self.offer)
        self.assertEqual(order1.order_line.product_id, self.service | self.article)
        self.assertEqual(order1.order_line.mapped("product_uom_qty"), [6.0, 4.0])
        self.assertIn("Our offer", order1.sysengage_intro_text)
        self.assertEqual(order1.sysengage_condition_line_ids.condition_id, self.condition)
        self.assertEqual(self.offer.state, "draft", "the offer stays an offer until all is decided")
        self.assertEqual(self.offer.sysengage_acceptance_state, "partial")
        self.assertEqual(self.line_hours.sysengage_remaining_qty, 4.0)
        self.assertEqual(self.line_switch.sysengage_acceptance_state, "accepted")

        # the second acceptance only lists what is left
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": self.offer.id})
        self.assertEqual(wizard.line_ids.offer_line_id, self.line_hours | self.line_install)
        order2 = self._accept(
            {self.line_hours: {"accept": 2, "refuse": "Done in-house"}, self.line_install: {"refuse": "Too expensive"}}
        )
        self.assertEqual(order2.order_line.product_uom_qty, 2.0)
        self.assertEqual(self.line_hours.sysengage_accepted_qty, 8.0)
        self.assertEqual(self.line_hours.sysengage_refused_qty, 2.0)
        self.assertEqual(self.line_hours.sysengage_refusal_reason, "Done in-house")
        self.assertEqual(self.line_install.sysengage_acceptance_state, "refused")
        self.assertEqual(self.line_install.sysengage_refusal_reason, "Too expensive")
        self.assertEqual(self.offer.sysengage_acceptance_state, "done")
        self.assertEqual(self.offer.sysengage_acceptance_order_ids, order1 | order2)
        self.assertEqual(self.offer.sysengage_acceptance_order_count, 2)

    def test_sections_follow_their_lines(self):
        offer = self._create_offer(self.customer, [])
        offer.write(
            {
                "order_line": [
                    self._section("Hardware"),
                    (0, 0, {"product_id": self.article.id, "product_uom_qty": 2}),
                    self._section("Services"),
                    (0, 0, {"product_id": self.service.id, "product_uom_qty": 5}),
                ]
            }
        )
        order = self._accept({offer.order_line[3]: {"accept": 5}}, offer=offer)
        self.assertEqual(order.order_line.mapped("name")[0], "Services")
        self.assertEqual(len(order.order_line), 2)

    def test_accepting_more_than_offered(self):
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": self.offer.id})
        wizard.line_ids.filtered(lambda line: line.offer_line_id == self.line_switch).write(
            {"accept": True, "quantity": 5}
        )
        orders_before = self.env["sale.order"].search_count([])
        with self.assertRaisesRegex(UserError, "only 4"):
            wizard.action_accept()
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before, "no order half-created")
        self.assertEqual(self.line_switch.sysengage_accepted_qty, 0.0)

    def test_accepting_a_line_twice(self):
        # two wizards opened on the same offer: the second one comes too late
        first = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": self.offer.id})
        second = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": self.offer.id})
        for wizard in first | second:
            wizard.line_ids.filtered(lambda line: line.offer_line_id == self.line_install).write(
                {"accept": True, "quantity": 1}
            )
        first.action_accept()
        with self.assertRaisesRegex(UserError, "already accepted or refused in full"):
            second.action_accept()
        self.assertEqual(len(self.offer.sysengage_acceptance_order_ids), 1)

    def test_bad_inputs(self):
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": self.offer.id})
        with self.assertRaisesRegex(UserError, "Tick at least one line"):
            wizard.action_accept()
        hours = wizard.line_ids.filtered(lambda line: line.offer_line_id == self.line_hours)
        hours.write({"accept": True, "quantity": 0})
        with self.assertRaisesRegex(UserError, "positive quantity"):
            wizard.action_accept()
        hours.write({"accept": False, "refuse": True, "refusal_reason": False})
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_accept()
        hours.write({"accept": True, "quantity": 10, "refuse": True, "refusal_reason": "No"})
        with self.assertRaisesRegex(UserError, "nothing is left to refuse"):
            wizard.action_accept()
        self.assertFalse(self.offer.sysengage_acceptance_order_ids)
        self.assertFalse(self.line_hours.sysengage_refused_qty)

    def test_failed_confirmation_leaves_nothing(self):
        # the order is created, then its confirmation fails: neither the order nor the refusals remain
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": self.offer.id})
        wizard.line_ids[0].write({"accept": True, "quantity": 5})
        wizard.line_ids[1].write({"refuse": True, "refusal_reason": "Too expensive"})
        order_class = type(self.env["sale.order"])
        with (
            patch.object(order_class, "action_confirm", side_effect=UserError("Confirmation refused")),
            self.assertRaisesRegex(UserError, "Confirmation refused"),
        ):
            wizard.action_accept()
        self.env.invalidate_all()
        self.assertFalse(self.env["sale.order"].search([("sysengage_offer_id", "=", self.offer.id)]))
        self.assertFalse(self.line_install.sysengage_refused_qty)
        self.assertEqual(self.offer.sysengage_acceptance_state, "open")

    def test_offer_accepted_in_part_cannot_be_confirmed_whole(self):
        self._accept({self.line_hours: {"accept": 1}})
        with self.assertRaisesRegex(UserError, "already accepted in part"):
            self.offer.action_confirm()
        with self.assertRaisesRegex(UserError, "accepted in part cannot be revised"):
            self.offer.action_sysengage_new_revision()

    def test_cancelled_order_frees_the_quantity(self):
        order = self._accept({self.line_install: {"accept": 1}})
        self.assertEqual(self.line_install.sysengage_remaining_qty, 0.0)
        order._action_cancel()
        self.assertEqual(self.line_install.sysengage_remaining_qty, 1.0)
