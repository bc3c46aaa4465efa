from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferAccess(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._create_user("offer_salesman", "sysengage_offers.group_user")
        cls.salesman2 = cls._create_user("offer_salesman2", "sysengage_offers.group_user")
        cls.manager = cls._create_user("offer_manager", "sysengage_offers.group_manager")
        cls.condition = cls._create_condition("Payment 30 days")
        cls.other_company = cls.env["res.company"].create({"name": "Filiale GmbH"})
        cls.other_condition = cls._create_condition("Filiale terms", "legal", company_id=cls.other_company.id)

    def test_salesman_reads_but_does_not_configure_conditions(self):
        conditions = self.env["sysengage.offer.condition"].with_user(self.salesman)
        self.assertEqual(conditions.search([]), self.condition)
        with self.assertRaises(AccessError):
            conditions.create({"name": "Mine", "text": "<p>x</p>"})
        with self.assertRaises(AccessError):
            self.condition.with_user(self.salesman).write({"priority": 99})
        with self.assertRaises(AccessError):
            self.env["sysengage.offer.lost.reason"].with_user(self.salesman).create({"name": "Mine"})

    def test_manager_configures_conditions(self):
        condition = (
            self.env["sysengage.offer.condition"]
            .with_user(self.manager)
            .create({"name": "Delivery ex works", "condition_type": "delivery", "text": "<p>Ex works Lausanne</p>"})
        )
        condition.priority = 30
        self.env["sysengage.offer.lost.reason"].with_user(self.manager).create({"name": "Budget cut"})
        condition.unlink()

    def test_salesman_works_on_his_offer(self):
        offer = self._create_offer(self.customer, [(self.service, 4)], user_id=self.salesman.id)
        offer = offer.with_user(self.salesman)
        self.assertEqual(offer.sysengage_condition_line_ids.condition_id, self.condition)
        offer.sysengage_condition_line_ids.text = "<p>Payment within 20 days</p>"
        wizard = self.env["sysengage.offer.acceptance.wizard"].with_user(self.salesman).create({"offer_id": offer.id})
        wizard.line_ids.write({"accept": True, "quantity": 2})
        order = self.env["sale.order"].browse(wizard.action_accept()["res_id"])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.user_id, self.salesman)

    def test_salesman_does_not_see_the_conditions_of_others(self):
        offer = self._create_offer(self.customer, [(self.service, 4)], user_id=self.salesman.id)
        lines = self.env["sysengage.offer.condition.line"].with_user(self.salesman2)
        self.assertFalse(lines.search([("order_id", "=", offer.id)]))
        self.assertTrue(
            self.env["sysengage.offer.condition.line"].with_user(self.manager).search([("order_id", "=", offer.id)])
        )

    def test_conditions_stay_in_their_company(self):
        mine = self._create_condition("Lausanne terms", "delivery", company_id=self.company.id)
        filiale_user = self._create_user("offer_filiale", "sysengage_offers.group_user", company=self.other_company)
        visible = self.env["sysengage.offer.condition"].with_user(filiale_user).search([])
        self.assertEqual(visible, self.condition | self.other_condition, "own company and shared conditions only")
        offer = self._create_offer(self.customer, [(self.service, 1)])
        self.assertEqual(offer.sysengage_condition_line_ids.condition_id, self.condition | mine)
        with self.assertRaises(AccessError):
            mine.with_user(filiale_user).read(["name"])
