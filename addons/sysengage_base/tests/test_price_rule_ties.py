from odoo import Command
from odoo.tests import tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPriceRuleTies(SysengageCommon):
    """Equally specific rules are never resolved: no rule is applied and the managers are told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.region = cls._create_grouping_code("ZH", "Zurich", type_code="T_REGION")
        cls.segment = cls._create_grouping_code("KEY", "Key account", type_code="T_SEGMENT")
        cls.customer = cls._create_customer(
            "Tie AG", sysengage_grouping_code_ids=[(6, 0, (cls.region | cls.segment).ids)]
        )
        cls.switch = cls._create_article("Switch 48 ports", price=900.0)
        cls.Rule = cls.env["sysengage.price.rule"]
        # the test user maintains the price table
        cls.env.user.group_ids = [Command.link(cls.env.ref("sysengage_base.group_manager").id)]
        cls.user = cls._create_user("sg_tie_user", "base.group_user,account.group_account_invoice")
        cls.manager = cls._create_user("sg_tie_manager", "sysengage_base.group_manager")

    def test_two_groups_tie_reported_and_not_resolved(self):
        by_region = self._create_price_rule(self.switch, self.region, price=850.0)
        by_segment = self._create_price_rule(self.switch, self.segment, price=820.0)
        lower = self._create_price_rule(None, None, discount=1.0)
        # a plain user prices a line: the tie is reported although they cannot edit the table
        result = self.Rule.with_user(self.user)._resolve_price(self.switch, self.customer)
        self.assertFalse(result, "a tie is never resolved, not even by falling back on a lower rule")
        self.assertTrue(by_region.tie_detected and by_segment.tie_detected)
        self.assertFalse(lower.tie_detected)
        self.assertEqual(by_region.tie_rule_ids, by_segment)
        message = by_region.message_ids.filtered(lambda m: "Tie between" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("Tie AG", message.body)
        self.assertIn(self.manager.partner_id, message.partner_ids | by_segment.message_ids.partner_ids)
        self.assertNotIn(self.user.partner_id, message.partner_ids)
        # reported once: pricing again does not post again
        self.Rule._resolve_price(self.switch, self.customer)
        self.assertEqual(len(by_region.message_ids.filtered(lambda m: "Tie between" in (m.body or ""))), 1)
        explained = self.Rule._explain_prices([{"product": self.switch, "partner": self.customer}])[0]
        self.assertEqual(explained["tied"], by_region | by_segment)
        self.assertEqual(explained["beaten"], lower)

    def test_duplicate_rule_tie_settled_by_change(self):
        first = self._create_price_rule(self.switch, self.customer, price=850.0, min_quantity=5)
        second = self._create_price_rule(self.switch, self.customer, price=840.0, min_quantity=5)
        self.assertFalse(self.Rule._resolve_price(self.switch, self.customer, quantity=5))
        self.assertTrue(first.tie_detected)
        # the manager gives the second rule a later start: the tie is gone and its flag too
        second.date_start = "2020-01-01"
        self.assertFalse(first.tie_detected or second.tie_detected)
        self.assertEqual(self.Rule._resolve_price(self.switch, self.customer, quantity=5)["rule"], second)
        # below the quantity break there is no tie at all
        self.assertFalse(self.Rule._resolve_price(self.switch, self.customer, quantity=1))

    def test_settle_action(self):
        first = self._create_price_rule(self.switch, self.customer, price=850.0)
        second = self._create_price_rule(self.switch, self.customer, price=850.0)
        self.Rule._resolve_price(self.switch, self.customer)
        first.action_settle_tie()
        self.assertFalse(first.tie_detected or second.tie_detected)
        self.assertFalse(first.tie_rule_ids)
