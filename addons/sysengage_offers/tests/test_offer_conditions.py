from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferConditions(SysengageOffersCommon):
    def test_general_condition_added_on_creation(self):
        general = self._create_condition("Payment 30 days")
        offer = self._create_offer(self.customer, [(self.service, 2)])
        self.assertEqual(self._conditions(offer), general)
        line = offer.sysengage_condition_line_ids
        self.assertEqual(line.origin, "auto")
        self.assertIn("Payment 30 days text", line.text)

    def test_customer_rule(self):
        specific = self._create_condition("Muster terms", partner_ids=[Command.set(self.customer.ids)])
        offer = self._create_offer(self.customer, [(self.service, 1)])
        other = self._create_offer(self.customer_fr, [(self.service, 1)])
        self.assertEqual(self._conditions(offer), specific)
        self.assertFalse(self._conditions(other))
        # a contact of the customer gets the conditions of its company
        contact_offer = self._create_offer(self._create_contact(self.customer), [(self.service, 1)])
        self.assertEqual(self._conditions(contact_offer), specific)

    def test_customer_group_rule(self):
        code_type = self.env["sysengage.grouping.code.type"].create({"name": "Sector", "code": "SEC"})
        group = self.env["sysengage.grouping.code"].create({"type_id": code_type.id, "code": "PUB", "name": "Public"})
        condition = self._create_condition("Public terms", grouping_code_ids=[Command.set(group.ids)])
        self.customer.sysengage_grouping_code_ids = [Command.link(group.id)]
        self.assertEqual(self._conditions(self._create_offer(self.customer, [(self.service, 1)])), condition)
        self.assertFalse(self._conditions(self._create_offer(self.customer_fr, [(self.service, 1)])))

    def test_product_rule(self):
        condition = self._create_condition("Switch warranty", "warranty", product_ids=[Command.set(self.article.ids)])
        offer = self._create_offer(self.customer, [(self.service, 1)])
        self.assertFalse(self._conditions(offer))
        offer.write({"order_line": [Command.create({"product_id": self.article.id, "product_uom_qty": 1})]})
        self.assertEqual(self._conditions(offer), condition)

    def test_product_group_rule_includes_child_categories(self):
        child = self.env["product.category"].create({"name": "Routers", "parent_id": self.product_category_articles.id})
        router = self._create_article("Router", categ_id=child.id)
        condition = self._create_condition(
            "Hardware delivery", "delivery", product_category_ids=[Command.set(self.product_category_articles.ids)]
        )
        self.assertEqual(self._conditions(self._create_offer(self.customer, [(router, 1)])), condition)
        self.assertFalse(self._conditions(self._create_offer(self.customer, [(self.service, 1)])))

    def test_amount_range_rule_follows_changes(self):
        big = self._create_condition("Big project payment", amount_min=1000.0, amount_max=5000.0)
        offer = self._create_offer(self.customer, [(self.service, 2)])  # 300
        self.assertFalse(self._conditions(offer))
        offer.order_line.product_uom_qty = 10  # 1500
        self.assertEqual(self._conditions(offer), big)
        offer.order_line.product_uom_qty = 40  # 6000: no longer applies, removed again
        self.assertFalse(self._conditions(offer))

    def test_inverted_amount_range_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "inverted"):
            self._create_condition("Wrong", amount_min=5000.0, amount_max=1000.0)

    def test_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Other SA"})
        self._create_condition("Other company terms", company_id=other_company.id)
        mine = self._create_condition("My terms", "delivery", company_id=self.company.id)
        self.assertEqual(self._conditions(self._create_offer(self.customer, [(self.service, 1)])), mine)

    def test_language_rule(self):
        french = self._create_condition("Conditions de paiement", lang="fr_FR")
        german = self._create_condition("Zahlungsbedingungen", lang="de_DE")
        self.assertEqual(self._conditions(self._create_offer(self.customer_fr, [(self.service, 1)])), french)
        self.assertEqual(self._conditions(self._create_offer(self.customer, [(self.service, 1)])), german)

    @freeze_time("2026-06-15")
    def test_validity_dates_rule(self):
        self._create_condition("Expired", date_from=date(2026, 1, 1), date_to=date(2026, 5, 31))
        current = self._create_condition("Summer", "delivery", date_from=date(2026, 6, 1), date_to=date(2026, 8, 31))
        self._create_condition("Future", "legal", date_from=date(2026, 9, 1))
        self.assertEqual(self._conditions(self._create_offer(self.customer, [(self.service, 1)])), current)

    def test_priority_keeps_the_most_specific(self):
        self._create_condition("General payment", priority=10)
        specific = self._create_condition("Muster payment", priority=20, partner_ids=[Command.set(self.customer.ids)])
        legal = self._create_condition("Legal", "legal", priority=1)
        offer = self._create_offer(self.customer, [(self.service, 1)])
        self.assertEqual(self._conditions(offer), specific | legal)

    def test_not_automatic_condition_only_by_hand(self):
        manual = self._create_condition("Special warranty", "warranty", automatic=False)
        offer = self._create_offer(self.customer, [(self.service, 1)])
        self.assertFalse(self._conditions(offer))
        with Form(offer) as form, form.sysengage_condition_line_ids.new() as line:
            line.condition_id = manual
        self.assertEqual(self._conditions(offer), manual)
        self.assertEqual(offer.sysengage_condition_line_ids.origin, "manual")
        self.assertIn("Special warranty text", offer.sysengage_condition_line_ids.text)

    def test_edited_condition_is_kept(self):
        self._create_condition("Small offer payment", amount_max=1000.0)
        offer = self._create_offer(self.customer, [(self.service, 2)])
        offer.sysengage_condition_line_ids.text = "<p>Payment within 10 days, agreed by phone</p>"
        self.assertTrue(offer.sysengage_condition_line_ids.is_edited)
        offer.order_line.product_uom_qty = 100
        self.assertEqual(len(offer.sysengage_condition_line_ids), 1, "an edited condition is never removed")
        self.assertIn("10 days", offer.sysengage_condition_line_ids.text)

    def test_dropped_condition_is_not_added_again(self):
        condition = self._create_condition("Payment 30 days")
        offer = self._create_offer(self.customer, [(self.service, 2)])
        offer.sysengage_condition_line_ids.unlink()
        offer.order_line.product_uom_qty = 3
        self.assertFalse(offer.sysengage_condition_line_ids)
        self.assertEqual(offer.sysengage_dropped_condition_ids, condition)

    def test_confirmed_order_keeps_its_conditions(self):
        self._create_condition("Small offer payment", amount_max=1000.0)
        offer = self._create_offer(self.customer, [(self.service, 2)])
        offer.action_confirm()
        offer.order_line.product_uom_qty = 100
        self.assertEqual(len(offer.sysengage_condition_line_ids), 1)
