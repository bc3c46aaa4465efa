from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestIndicatorAccess(CrmLightCommon):
    def test_rep_sees_only_his_opportunities(self):
        Lead = self.env["crm.lead"]
        partners = (self.customer_a | self.customer_b).ids
        Lead.create(
            {
                "name": "Anna deal",
                "type": "opportunity",
                "partner_id": self.customer_a.id,
                "user_id": self.rep_anna.id,
                "expected_revenue": 10000.0,
            }
        )
        Lead.create(
            {
                "name": "Bruno deal",
                "type": "opportunity",
                "partner_id": self.customer_b.id,
                "user_id": self.rep_bruno.id,
                "expected_revenue": 7000.0,
            }
        )
        indicator = self.env["sysengage.indicator"].create(
            {
                "name": "Pipeline by rep",
                "source": "opportunity",
                "measure": "revenue",
                "grouping": "sales_rep",
                "date_range": "all",
                "filter_domain": repr([("partner_id", "in", partners)]),
                "company_id": False,
            }
        )
        sales_manager = self._create_user(
            "crm_sales_manager", "sysengage_crm_light.group_user,sales_team.group_sale_manager", name="Sales Manager"
        )
        as_manager = {row["label"]: row["total"] for row in indicator.with_user(sales_manager).result_data["rows"]}
        self.assertEqual(as_manager, {"Anna Rep": 10000.0, "Bruno Rep": 7000.0})
        # crm's "own documents only" rule of the salesman group applies inside _read_group
        as_anna = indicator.with_user(self.rep_anna).result_data
        self.assertEqual({row["label"]: row["total"] for row in as_anna["rows"]}, {"Anna Rep": 10000.0})
        self.assertEqual(as_anna["total"], 10000.0)

    def test_rep_sees_revenue_of_own_invoices_only(self):
        facts = self._create_sales()
        indicator = self.env.ref("sysengage_crm_light.indicator_revenue_by_customer")
        partners = (self.customer_a | self.customer_b | self.customer_c).ids
        indicator.write(
            {"date_range": "all", "comparison": "none", "filter_domain": repr([("partner_id", "in", partners)])}
        )
        everything = {row["label"]: row["total"] for row in indicator.result_data["rows"]}
        self.assertEqual(everything, {"Alpha SA": 4900.0, "Gamma Sagl": 2320.0, "Beta AG": 2300.0})
        # the salesman's "own documents" rule on invoices applies inside _read_group
        own = {}
        for partner, _product, rep, _date, amount in facts:
            if rep == self.rep_anna:
                own[partner.name] = own.get(partner.name, 0.0) + amount
        as_anna = indicator.with_user(self.rep_anna).result_data
        if "sale.order" not in self.env:
            # without sale, a sales rep has no right on invoices at all: the indicator says so, shows nothing
            self.assertEqual(as_anna, {"no_access": True, "title": indicator.name})
        else:
            # sale's "personal invoices" rule gives a salesman the invoices where they are the salesperson
            self.assertEqual({row["label"]: row["total"] for row in as_anna["rows"]}, own)
            self.assertEqual(own, {"Alpha SA": 4900.0, "Beta AG": 1200.0})
        # the dashboard loads for the rep
        pinned = self.env["sysengage.indicator"].with_user(self.rep_anna).search([("is_pinned", "=", True)])
        pinned.read(["result_data", "total_display"])

    def test_rep_cannot_define_indicators(self):
        with self.assertRaises(AccessError):
            self.env["sysengage.indicator"].with_user(self.rep_anna).create(
                {"name": "Mine", "source": "opportunity", "measure": "count", "grouping": "none"}
            )
        indicator = (
            self.env["sysengage.indicator"]
            .with_user(self.manager)
            .create({"name": "Team", "source": "opportunity", "measure": "count", "grouping": "none"})
        )
        self.assertEqual(indicator.with_user(self.rep_anna).name, "Team")

    def test_other_company_indicator_hidden(self):
        other = self.env["res.company"].create({"name": "Other SA"})
        indicator = self.env["sysengage.indicator"].create(
            {
                "name": "Elsewhere",
                "source": "opportunity",
                "measure": "count",
                "grouping": "none",
                "company_id": other.id,
            }
        )
        visible = self.env["sysengage.indicator"].with_user(self.manager).search([("id", "=", indicator.id)])
        self.assertFalse(visible)
