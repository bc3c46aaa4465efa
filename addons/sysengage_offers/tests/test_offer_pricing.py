from datetime import datetime

from odoo.tests import Form, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferPricing(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sale.group_discount_per_so_line")
        cls.price_rule = cls.env["sysengage.price.rule"]
        # Muster AG pays 130 for a consulting hour; every customer gets 10 % on the switch from 5 pieces
        cls.price_rule.create(
            {
                "customer_scope": "partner",
                "partner_id": cls.customer.id,
                "article_scope": "product",
                "product_tmpl_id": cls.service.product_tmpl_id.id,
                "price_type": "fixed",
                "fixed_price": 130.0,
            }
        )
        cls.price_rule.create(
            {
                "customer_scope": "all",
                "article_scope": "product",
                "product_tmpl_id": cls.article.product_tmpl_id.id,
                "min_quantity": 5,
                "price_type": "discount",
                "discount": 10.0,
            }
        )

    def test_price_table_fills_price_and_discount(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            with form.order_line.new() as line:
                line.product_id = self.service
                self.assertEqual(line.price_unit, 130.0)
            with form.order_line.new() as line:
                line.product_id = self.article
                line.product_uom_qty = 2
                self.assertEqual((line.price_unit, line.discount), (480.0, 0.0))
                line.product_uom_qty = 6
                self.assertEqual((line.price_unit, line.discount), (480.0, 10.0))
        offer = form.record
        self.assertTrue(offer.order_line[0].sysengage_price_rule_id)
        self.assertEqual(offer.order_line.mapped("discount"), [0.0, 10.0])

    def test_other_customer_gets_the_list_price(self):
        offer = self._create_offer(self.customer_fr, [(self.service, 1)])
        self.assertEqual(offer.order_line.price_unit, 150.0)
        self.assertFalse(offer.order_line.sysengage_price_rule_id)
        # changing the customer of the offer re-prices it
        offer.partner_id = self.customer
        self.assertEqual(offer.order_line.price_unit, 130.0)

    def test_price_typed_by_hand_is_kept(self):
        offer = self._create_offer(self.customer, [(self.service, 1)])
        self.assertEqual(offer.order_line.price_unit, 130.0)
        offer.order_line.price_unit = 99.0
        offer.order_line.product_uom_qty = 3
        self.assertEqual(offer.order_line.price_unit, 99.0)

    def test_accepted_order_keeps_the_offer_prices(self):
        offer = self._create_offer(self.customer, [(self.service, 4)])
        self.price_rule.search([("partner_id", "=", self.customer.id)]).fixed_price = 140.0
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": offer.id})
        wizard.line_ids.write({"accept": True, "quantity": 2})
        order = self.env["sale.order"].browse(wizard.action_accept()["res_id"])
        self.assertEqual(order.order_line.price_unit, 130.0)


@tagged("post_install", "-at_install")
class TestOfferCustomer(SysengageOffersCommon):
    def test_offer_dates_the_customer_and_its_confirmation_marks_it(self):
        prospect = self._create_customer("Prospect GmbH", sysengage_lifecycle_state="prospect")
        contact = self._create_contact(prospect)
        offer = self._create_offer(contact, [(self.service, 1)], date_order=datetime(2026, 3, 10, 9, 0))
        self.assertEqual(prospect.sysengage_lifecycle_state, "prospect", "a draft quotation makes no customer")
        self.assertEqual(str(prospect.sysengage_last_offer_date), "2026-03-10")
        # an older offer does not move the date back
        self._create_offer(prospect, [(self.service, 1)], date_order=datetime(2026, 1, 5, 9, 0))
        self.assertEqual(str(prospect.sysengage_last_offer_date), "2026-03-10")
        offer.action_confirm()
        self.assertEqual(prospect.sysengage_lifecycle_state, "customer", "the first confirmed order does")

    def test_salesman_offer_updates_the_customer(self):
        salesman = self._create_user("lifecycle_salesman", "sysengage_offers.group_user")
        inactive = self._create_customer("Sleeping AG", sysengage_lifecycle_state="inactive")
        self.env["sale.order"].with_user(salesman).create(
            {"partner_id": inactive.id, "order_line": [(0, 0, {"product_id": self.service.id})]}
        )
        self.assertEqual(inactive.sysengage_lifecycle_state, "customer")
        self.assertTrue(inactive.sysengage_last_offer_date)
