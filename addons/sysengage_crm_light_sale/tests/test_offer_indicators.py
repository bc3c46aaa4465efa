from odoo.tests import tagged

from odoo.addons.sysengage_crm_light.tests.common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestOfferIndicators(CrmLightCommon):
    def test_sale_sources_declared(self):
        sources = self.env["sysengage.indicator"]._sysengage_get_sources()
        self.assertEqual(list(sources)[:3], ["invoice_line", "order_line", "offer"])
        self.assertEqual(sources["offer"]["model"], "sale.order")
        self.assertIn("conversion_rate", sources["offer"]["measures"])
        has_margin = "margin" in self.env["sale.order.line"]._fields
        self.assertEqual("margin" in sources["order_line"]["measures"], has_margin, "margin comes with sale_margin")

    def test_offer_conversion_rate(self):
        offers = [self._create_offer(self.customer_a, [(self.service, 1)], user_id=self.rep_anna.id) for _i in range(4)]
        offers += [
            self._create_offer(self.customer_b, [(self.service, 1)], user_id=self.rep_bruno.id) for _i in range(2)
        ]
        offers[0].action_confirm()
        offers[1].action_confirm()
        offers[4].action_confirm()
        partners = (self.customer_a | self.customer_b).ids
        indicator = self.env.ref("sysengage_crm_light_sale.indicator_offer_conversion_rate")
        self.assertTrue(indicator.is_pinned)
        indicator.write({"date_range": "all", "filter_domain": repr([("partner_id", "in", partners)])})
        rows = {row["label"]: row["total"] for row in indicator.result_data["rows"]}
        self.assertAlmostEqual(rows["Anna Rep"], 50.0)
        self.assertAlmostEqual(rows["Bruno Rep"], 50.0)
        self.assertAlmostEqual(indicator.result_data["total"], 3 * 100.0 / 6)
        self.assertTrue(indicator.result_data["is_rate"])

    def test_order_line_revenue_by_customer(self):
        first = self._create_offer(self.customer_a, [(self.service, 2, 1000.0)], user_id=self.rep_anna.id)
        second = self._create_offer(self.customer_b, [(self.article, 3, 300.0)], user_id=self.rep_bruno.id)
        self._create_offer(self.customer_b, [(self.article, 1, 300.0)])  # a quotation: not an order line yet
        (first | second).action_confirm()
        partners = (self.customer_a | self.customer_b).ids
        indicator = self.env["sysengage.indicator"].create(
            {
                "name": "Orders",
                "source": "order_line",
                "measure": "revenue",
                "grouping": "customer",
                "date_range": "all",
                "filter_domain": repr([("order_partner_id", "in", partners)]),
            }
        )
        rows = {row["label"]: row["total"] for row in indicator.result_data["rows"]}
        self.assertEqual(rows, {"Alpha SA": 2000.0, "Beta AG": 900.0})
