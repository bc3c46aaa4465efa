from odoo.tests import tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPriceRulePrecedence(SysengageCommon):
    """Each step of "the most specific rule wins"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_accounts = cls._create_grouping_code("KEY", "Key account", type_code="T_SEGMENT")
        cls.customer = cls._create_customer("Precedence AG", sysengage_grouping_code_ids=[(6, 0, cls.key_accounts.ids)])
        cls.other_customer = cls._create_customer("Other AG")
        cls.sub_category = cls.env["product.category"].create(
            {"name": "Switches", "parent_id": cls.product_category_articles.id}
        )
        cls.switch = cls._create_article("Switch 8 ports", price=200.0, categ_id=cls.sub_category.id)
        cls.Rule = cls.env["sysengage.price.rule"]

    def _resolve(self, partner=None, quantity=1.0, product=None, **kwargs):
        return self.Rule._resolve_price(product or self.switch, partner or self.customer, quantity, **kwargs)

    def test_no_rule(self):
        self.assertFalse(self._resolve())

    def test_specific_customer_beats_group_beats_all(self):
        for_all = self._create_price_rule(self.switch, None, price=190.0)
        self.assertEqual(self._resolve()["rule"], for_all)
        for_group = self._create_price_rule(self.switch, self.key_accounts, price=180.0)
        self.assertEqual(self._resolve()["rule"], for_group)
        for_customer = self._create_price_rule(self.switch, self.customer, price=170.0)
        result = self._resolve()
        self.assertEqual(result["rule"], for_customer)
        self.assertEqual(result["price_unit"], 170.0)
        self.assertEqual(result["beaten"], for_group | for_all)
        # the customer outside the group only gets the rule for all customers
        self.assertEqual(self._resolve(self.other_customer)["rule"], for_all)

    def test_customer_level_before_article_level(self):
        """A rule for the customer on all articles beats a rule for the group on the very article."""
        customer_all_articles = self._create_price_rule(None, self.customer, discount=5.0)
        self._create_price_rule(self.switch, self.key_accounts, price=150.0)
        result = self._resolve()
        self.assertEqual(result["rule"], customer_all_articles)
        self.assertEqual(result["price_unit"], 200.0)
        self.assertEqual(result["discount"], 5.0)

    def test_article_beats_group_beats_all_articles(self):
        all_articles = self._create_price_rule(None, self.customer, discount=2.0)
        self.assertEqual(self._resolve()["rule"], all_articles)
        article_group = self._create_price_rule(self.product_category_articles, self.customer, discount=4.0)
        self.assertEqual(self._resolve()["rule"], article_group)
        article = self._create_price_rule(self.switch, self.customer, price=160.0)
        self.assertEqual(self._resolve()["rule"], article)

    def test_article_group_includes_children_nearest_wins(self):
        parent_group = self._create_price_rule(self.product_category_articles, None, discount=3.0)
        self.assertEqual(self._resolve()["rule"], parent_group, "a parent category covers its sub-categories")
        own_group = self._create_price_rule(self.sub_category, None, discount=6.0)
        result = self._resolve()
        self.assertEqual(result["rule"], own_group, "the nearest category is the more specific")
        self.assertEqual(result["beaten"], parent_group)
        service = self._create_service("Advice", price=100.0)
        self.assertFalse(self._resolve(product=service), "a category rule does not reach other categories")

    def test_larger_quantity_break_wins(self):
        base = self._create_price_rule(self.switch, self.customer, price=180.0)
        ten = self._create_price_rule(self.switch, self.customer, price=170.0, min_quantity=10)
        fifty = self._create_price_rule(self.switch, self.customer, price=160.0, min_quantity=50)
        self.assertEqual(self._resolve(quantity=1)["rule"], base)
        self.assertEqual(self._resolve(quantity=10)["rule"], ten)
        self.assertEqual(self._resolve(quantity=49.5)["rule"], ten)
        result = self._resolve(quantity=50)
        self.assertEqual(result["rule"], fifty)
        self.assertEqual(result["beaten"], ten | base)

    def test_quantity_break_after_scope(self):
        """A quantity break on a less specific scope does not beat a more specific rule."""
        customer_rule = self._create_price_rule(self.switch, self.customer, price=185.0)
        self._create_price_rule(self.switch, None, price=150.0, min_quantity=10)
        self.assertEqual(self._resolve(quantity=20)["rule"], customer_rule)

    def test_latest_start_date_wins(self):
        old = self._create_price_rule(self.switch, self.customer, price=180.0, date_start="2026-01-01")
        recent = self._create_price_rule(self.switch, self.customer, price=175.0, date_start="2026-06-01")
        no_start = self._create_price_rule(self.switch, self.customer, price=185.0)
        self.assertEqual(self._resolve(date="2026-07-01")["rule"], recent)
        self.assertEqual(self._resolve(date="2026-03-01")["rule"], old, "the recent rule has not started")
        self.assertEqual(self._resolve(date="2025-12-31")["rule"], no_start)

    def test_contact_uses_its_company_rules(self):
        contact = self._create_contact(self.customer)
        rule = self._create_price_rule(self.switch, self.customer, price=150.0)
        self.assertEqual(self._resolve(contact)["rule"], rule)
        group_rule = self._create_price_rule(None, self.key_accounts, discount=1.0)
        self.assertIn(group_rule, self._resolve(contact)["beaten"], "the company's grouping codes apply to contacts")
