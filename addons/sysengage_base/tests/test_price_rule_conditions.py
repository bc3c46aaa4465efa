from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPriceRuleConditions(SysengageCommon):
    """Validity dates, currency, company, units and bad input."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Conditions AG")
        cls.switch = cls._create_article("Switch 16 ports", price=300.0)
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.Rule = cls.env["sysengage.price.rule"]
        # the test user maintains the price table
        cls.env.user.group_ids = [Command.link(cls.env.ref("sysengage_base.group_manager").id)]

    def test_validity_dates_inclusive(self):
        rule = self._create_price_rule(
            self.switch, self.customer, price=250.0, date_start="2026-03-01", date_end="2026-03-31"
        )
        resolve = self.Rule._resolve_price
        self.assertFalse(resolve(self.switch, self.customer, date="2026-02-28"))
        self.assertEqual(resolve(self.switch, self.customer, date="2026-03-01")["rule"], rule)
        self.assertEqual(resolve(self.switch, self.customer, date="2026-03-31")["rule"], rule)
        self.assertFalse(resolve(self.switch, self.customer, date="2026-04-01"))

    def test_archived_rule_ignored(self):
        rule = self._create_price_rule(self.switch, self.customer, price=250.0)
        rule.active = False
        self.assertFalse(self.Rule._resolve_price(self.switch, self.customer))

    def test_fixed_price_only_in_its_currency(self):
        chf_rule = self._create_price_rule(self.switch, self.customer, price=250.0)
        eur_rule = self._create_price_rule(self.switch, self.customer, price=240.0, currency_id=self.eur.id)
        resolve = self.Rule._resolve_price
        self.assertEqual(resolve(self.switch, self.customer, currency=self.chf)["rule"], chf_rule)
        result = resolve(self.switch, self.customer, currency=self.eur)
        self.assertEqual(result["rule"], eur_rule)
        self.assertEqual(result["price_unit"], 240.0)
        self.assertFalse(result["beaten"], "the CHF rule does not compete on a EUR document")

    def test_discount_without_currency_converts_list_price(self):
        self.env["res.currency.rate"].create(
            {"name": "2026-01-01", "currency_id": self.eur.id, "rate": 0.5, "company_id": self.env.company.id}
        )
        rule = self._create_price_rule(self.switch, self.customer, discount=10.0, currency_id=False)
        result = self.Rule._resolve_price(self.switch, self.customer, date="2026-06-01", currency=self.eur)
        self.assertEqual(result["rule"], rule)
        self.assertAlmostEqual(result["price_unit"], 150.0, msg="list price 300 CHF at 0.5 EUR per CHF")
        self.assertEqual(result["discount"], 10.0)

    def test_other_company_rule_ignored(self):
        other_company = self.env["res.company"].create({"name": "Other company SA", "currency_id": self.chf.id})
        self._create_price_rule(self.switch, None, price=100.0, company_id=other_company.id)
        shared = self._create_price_rule(None, None, discount=1.0, company_id=False)
        result = self.Rule._resolve_price(self.switch, self.customer)
        self.assertEqual(result["rule"], shared, "a shared rule applies; the other company's does not")

    def test_quantity_in_another_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        rule = self._create_price_rule(self.switch, self.customer, price=200.0, min_quantity=12)
        result = self.Rule._sysengage_resolve_prices(
            [{"product": self.switch, "partner": self.customer, "quantity": 1.0, "uom": dozen}]
        )[0]
        self.assertEqual(result["rule"], rule, "one dozen reaches the break of 12 units")
        self.assertAlmostEqual(result["price_unit"], 2400.0, msg="the fixed unit price is given per dozen")

    def test_batch_keeps_line_order(self):
        other = self._create_customer("Batch AG")
        rule = self._create_price_rule(self.switch, self.customer, price=250.0)
        results = self.Rule._sysengage_resolve_prices(
            [
                {"product": self.switch, "partner": other},
                {"product": self.switch, "partner": self.customer},
                {"product": self.switch, "partner": other, "quantity": 3},
            ]
        )
        self.assertEqual([bool(result) and result["rule"] for result in results], [False, rule, False])

    @mute_logger("odoo.sql_db")
    def test_bad_input_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_price_rule(
                self.switch, self.customer, price=10.0, date_start="2026-05-01", date_end="2026-04-01"
            )
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_price_rule(self.switch, self.customer, discount=120.0)
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_price_rule(self.switch, self.customer, price=10.0, customer_scope="all")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_price_rule(self.switch, self.customer, price=10.0, currency_id=False)
        contact = self._create_contact(self.customer)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_price_rule(self.switch, contact, price=10.0)
