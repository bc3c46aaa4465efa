from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestIndicator(CrmLightCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.facts = cls._create_sales()

    def _shipped(self, xml_id, **vals):
        indicator = self.env.ref(f"sysengage_crm_light.{xml_id}")
        vals.setdefault("date_range", "custom")
        vals.setdefault("date_from", date(2026, 1, 1))
        vals.setdefault("date_to", date(2026, 12, 31))
        # restrict to this test's customers: the database may hold other invoices
        partners = (self.customer_a | self.customer_b | self.customer_c).ids
        vals.setdefault("filter_domain", repr([("partner_id", "in", partners)]))
        indicator.write(vals)
        return indicator

    def _totals_by_row(self, result):
        return {row["label"]: row["total"] for row in result["rows"]}

    def test_revenue_by_customer(self):
        indicator = self._shipped("indicator_revenue_by_customer", comparison="none")
        result = indicator.result_data
        expected = self._expected(self.facts, lambda f: f[0].display_name, date(2026, 1, 1), date(2026, 12, 31))
        self.assertEqual(expected, {"Alpha SA": 3900.0, "Beta AG": 1100.0, "Gamma Sagl": 2320.0})
        totals = self._totals_by_row(result)
        self.assertEqual(set(totals), set(expected))
        for label, amount in expected.items():
            self.assertAlmostEqual(totals[label], amount, places=2)
        self.assertAlmostEqual(result["total"], sum(expected.values()), places=2)
        self.assertEqual([row["label"] for row in result["rows"]], ["Alpha SA", "Gamma Sagl", "Beta AG"])

    def test_revenue_by_product(self):
        indicator = self._shipped("indicator_revenue_by_product")
        expected = self._expected(self.facts, lambda f: f[1].display_name, date(2026, 1, 1), date(2026, 12, 31))
        totals = self._totals_by_row(indicator.result_data)
        self.assertEqual(len(totals), 2)
        for label, amount in expected.items():
            self.assertAlmostEqual(totals[label], amount, places=2)
        self.assertEqual(indicator.result_data["chart"]["type"], "pie")

    def test_revenue_by_rep_with_previous_year(self):
        indicator = self._shipped("indicator_revenue_by_rep", comparison="previous_year")
        result = indicator.result_data
        expected = self._expected(self.facts, lambda f: f[2].name, date(2026, 1, 1), date(2026, 12, 31))
        previous = self._expected(self.facts, lambda f: f[2].name, date(2025, 1, 1), date(2025, 12, 31))
        rows = {row["label"]: row for row in result["rows"]}
        for name, amount in expected.items():
            self.assertAlmostEqual(rows[name]["total"], amount, places=2)
            self.assertAlmostEqual(rows[name]["previous"], previous.get(name, 0.0), places=2)
        # Anna: 3900 this year against 2200 last year
        self.assertAlmostEqual(rows["Anna Rep"]["delta_pct"], (3900.0 - 2200.0) * 100 / 2200.0, places=4)
        self.assertIsNone(rows["Bruno Rep"]["delta_pct"], "no sale last year: no percentage")
        self.assertEqual(result["previous_from"], "2025-01-01")
        self.assertEqual(len(result["chart"]["datasets"]), 2)

    def test_revenue_by_customer_by_month(self):
        indicator = self._shipped(
            "indicator_revenue_by_customer", period="month", date_from=date(2026, 1, 1), date_to=date(2026, 3, 31)
        )
        result = indicator.result_data
        self.assertEqual(result["columns"], ["2026-01", "2026-02", "2026-03"])
        rows = {row["label"]: row["values"] for row in result["rows"]}
        self.assertEqual(rows["Alpha SA"], [2400.0, 1500.0, 0.0])
        self.assertEqual(rows["Gamma Sagl"], [0.0, 0.0, 2320.0])
        self.assertEqual(result["column_totals"], [2400.0, 2600.0, 2320.0])
        self.assertEqual(len(result["chart"]["datasets"]), 3, "one line per customer")

    def test_previous_period_of_a_quarter(self):
        indicator = self._shipped(
            "indicator_revenue_by_customer",
            comparison="previous_period",
            date_from=date(2026, 1, 1),
            date_to=date(2026, 3, 31),
        )
        result = indicator.result_data
        self.assertEqual((result["previous_from"], result["previous_to"]), ("2025-10-01", "2025-12-31"))
        rows = {row["label"]: row for row in result["rows"]}
        self.assertAlmostEqual(rows["Alpha SA"]["previous"], 1000.0)
        self.assertAlmostEqual(result["previous_total"], 1000.0)

    def test_row_limit_sums_others(self):
        indicator = self._shipped("indicator_revenue_by_customer", row_limit=1)
        result = indicator.result_data
        self.assertEqual([row["label"] for row in result["rows"]], ["Alpha SA", "Others"])
        self.assertAlmostEqual(result["rows"][1]["total"], 1100.0 + 2320.0)

    def test_quantity_and_count_by_quarter_without_grouping(self):
        indicator = self._shipped(
            "indicator_revenue_by_customer", measure="quantity", grouping="none", period="quarter"
        )
        result = indicator.result_data
        self.assertEqual(result["columns"], ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"])
        # quantities as invoiced: 2 + 5 + 1 + 10 on invoices, 2 on the refund
        self.assertAlmostEqual(result["column_totals"][0], 20.0)
        indicator.measure = "count"
        self.assertEqual(indicator.result_data["total"], 5)

    def test_sources_and_shipped_indicators(self):
        sources = self.env["sysengage.indicator"]._sysengage_get_sources()
        self.assertTrue({"invoice_line", "opportunity", "activity"} <= set(sources))
        self.assertEqual(list(sources)[0], "invoice_line", "the sources are ordered by their sequence")
        self.assertIn("conversion_rate", sources["opportunity"]["measures"])
        for name in ("revenue_by_customer", "revenue_by_product", "revenue_by_rep"):
            indicator = self.env.ref(f"sysengage_crm_light.indicator_{name}")
            self.assertTrue(indicator.is_pinned)
            self.assertFalse(indicator.company_id, "shipped indicators are shared by the companies")
            self.assertEqual(indicator.source, "invoice_line")

    def test_invalid_definitions(self):
        Indicator = self.env["sysengage.indicator"]
        with self.assertRaises(ValidationError):
            Indicator.create({"name": "Bad", "source": "activity", "measure": "revenue", "grouping": "none"})
        with self.assertRaises(ValidationError):
            Indicator.create({"name": "Bad", "source": "activity", "measure": "count", "grouping": "product"})
        with self.assertRaises(ValidationError):
            Indicator.create(
                {"name": "Bad", "source": "invoice_line", "date_range": "all", "comparison": "previous_year"}
            )
        with self.assertRaises(ValidationError):
            Indicator.create({"name": "Bad", "source": "invoice_line", "filter_domain": "[('no_such_field', '=', 1)]"})

    def test_open_records_action(self):
        indicator = self._shipped("indicator_revenue_by_customer", period="month")
        action = indicator.action_open_records()
        self.assertEqual(action["res_model"], "account.move.line")
        self.assertEqual(action["context"]["graph_groupbys"], ["partner_id", "date:month"])
        records = self.env["account.move.line"].search(action["domain"])
        self.assertAlmostEqual(-sum(records.mapped("balance")), indicator.result_data["total"], places=2)

    def test_revenue_by_grouping_code_of_one_type(self):
        CodeType = self.env["sysengage.grouping.code.type"]
        Code = self.env["sysengage.grouping.code"]
        region = CodeType.create({"name": "Region", "code": "REG"})
        branch = CodeType.create({"name": "Branch", "code": "BR"})
        west = Code.create({"type_id": region.id, "code": "W", "name": "West"})
        east = Code.create({"type_id": region.id, "code": "E", "name": "East"})
        retail = Code.create({"type_id": branch.id, "code": "R", "name": "Retail"})
        self.customer_a.sysengage_grouping_code_ids = west | retail
        self.customer_b.sysengage_grouping_code_ids = east | retail
        self.customer_c.sysengage_grouping_code_ids = west
        indicator = self._shipped(
            "indicator_revenue_by_customer", grouping="customer_group", grouping_code_type_id=region.id
        )
        totals = {row["key"]: row["total"] for row in indicator.result_data["rows"]}
        self.assertEqual(totals, {west.id: 3900.0 + 2320.0, east.id: 1100.0})
        indicator.grouping_code_type_id = False
        totals = {row["key"]: row["total"] for row in indicator.result_data["rows"]}
        self.assertEqual(totals[retail.id], 3900.0 + 1100.0, "a customer counts in each of its codes")

    def test_pipeline_card_fields_follow_customer(self):
        self.customer_a.write(
            {
                "sysengage_potential_amount": 50000.0,
                "sysengage_potential_rating": "3",
                "sysengage_last_offer_date": date(2026, 4, 1),
            }
        )
        contact = self._create_contact(self.customer_a)
        lead = self.env["crm.lead"].create({"name": "Card", "type": "opportunity", "partner_id": contact.id})
        self.assertEqual(lead.sysengage_potential_amount, 50000.0)
        self.assertEqual(lead.sysengage_potential_rating, "3")
        self.assertEqual(lead.sysengage_last_offer_date, date(2026, 4, 1))
