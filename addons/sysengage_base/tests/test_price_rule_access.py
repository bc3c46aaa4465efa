from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPriceRuleAccess(SysengageCommon):
    """Users read the table, managers edit it; a company only sees its own rules; the "why" wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B SA", "currency_id": cls.chf.id})
        cls.customer = cls._create_customer("Access AG")
        cls.service = cls._create_service("Access service", price=100.0)
        cls.rule_a = cls._create_price_rule(cls.service, cls.customer, price=90.0)
        cls.user_a = cls._create_user("sg_price_user_a", "sysengage_base.group_user")
        cls.manager_a = cls._create_user("sg_price_manager_a", "sysengage_base.group_manager")
        cls.user_b = cls._create_user("sg_price_user_b", "sysengage_base.group_manager", company=cls.company_b)

    def test_user_reads_manager_edits(self):
        Rule = self.env["sysengage.price.rule"]
        self.assertEqual(Rule.with_user(self.user_a).search([("id", "=", self.rule_a.id)]), self.rule_a)
        with self.assertRaises(AccessError):
            self.rule_a.with_user(self.user_a).write({"fixed_price": 10.0})
        with self.assertRaises(AccessError):
            Rule.with_user(self.user_a).create(
                {"customer_scope": "all", "article_scope": "all", "discount": 1.0, "price_type": "discount"}
            )
        self.rule_a.with_user(self.manager_a).write({"fixed_price": 85.0})
        self.assertEqual(self.rule_a.fixed_price, 85.0)

    def test_other_company_cannot_read(self):
        Rule = self.env["sysengage.price.rule"].with_user(self.user_b)
        self.assertFalse(Rule.search([("id", "=", self.rule_a.id)]))
        with self.assertRaises(AccessError):
            self.rule_a.with_user(self.user_b).read(["fixed_price"])
        # nor does the resolver of company B use company A's rules
        self.assertFalse(Rule._resolve_price(self.service, self.customer, company=self.company_b))
        shared = self._create_price_rule(self.service, self.customer, price=95.0, company_id=False)
        self.assertEqual(Rule._resolve_price(self.service, self.customer, company=self.company_b)["rule"], shared)

    def test_explain_wizard(self):
        beaten = self._create_price_rule(None, None, discount=5.0)
        action = self.env["sysengage.price.rule"].action_sysengage_explain_price(
            product=self.service, partner=self.customer, quantity=2.0
        )
        wizard_form = Form(self.env[action["res_model"]].with_user(self.user_a).with_context(**action["context"]))
        self.assertEqual(wizard_form.outcome, "rule")
        self.assertEqual(wizard_form.rule_id, self.rule_a)
        self.assertEqual(wizard_form.price_unit, 90.0)
        self.assertEqual(wizard_form.list_price, 100.0)
        self.assertEqual(wizard_form.beaten_rule_ids[:], beaten.with_user(self.user_a))
        wizard_form.partner_id = self._create_customer("Someone else AG")
        self.assertEqual(wizard_form.rule_id, beaten)
        self.assertEqual(wizard_form.discount, 5.0)
