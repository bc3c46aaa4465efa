from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.sysengage_contracts.tests.common import SysengageContractsCommon
from odoo.addons.sysengage_crm_light.tests.common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestContractIndicators(CrmLightCommon, SysengageContractsCommon):
    def test_contract_sources_declared(self):
        sources = self.env["sysengage.indicator"]._sysengage_get_sources()
        self.assertIn("recurring_revenue", sources["invoice_line"]["measures"])
        self.assertEqual(sources["contract"]["model"], "sysengage.contract")
        self.assertEqual(sources["contract"]["measures"]["recurring_revenue"], ("mrr", 1))
        shipped = self.env.ref("sysengage_crm_light_contracts.indicator_recurring_revenue_by_month")
        self.assertEqual(
            (shipped.source, shipped.measure, shipped.period), ("invoice_line", "recurring_revenue", "month")
        )
        self.assertTrue(shipped.is_pinned)
        # recurring revenue is a measure of invoice lines, not of opportunities
        with self.assertRaises(ValidationError):
            self.env["sysengage.indicator"].create(
                {"name": "Recurring", "source": "opportunity", "measure": "recurring_revenue", "grouping": "none"}
            )

    def test_recurring_revenue_counts_contract_lines_only(self):
        contract = self._create_contract(partner_id=self.customer_a.id)
        recurring = self._create_invoice(
            self.customer_a, [(self.service, 1, 100.0)], post=False, invoice_date=date(2026, 2, 1)
        )
        # linked as the contract billing links its lines (the field is refused to other writers)
        recurring.invoice_line_ids.sudo().sysengage_contract_id = contract
        recurring.action_post()
        self._create_invoice(self.customer_a, [(self.article, 1, 300.0)], post=True, invoice_date=date(2026, 2, 3))
        indicator = self.env["sysengage.indicator"].create(
            {
                "name": "Recurring",
                "source": "invoice_line",
                "measure": "recurring_revenue",
                "grouping": "customer",
                "date_range": "all",
                "filter_domain": repr([("partner_id", "=", self.customer_a.id)]),
            }
        )
        self.assertEqual({row["label"]: row["total"] for row in indicator.result_data["rows"]}, {"Alpha SA": 100.0})
        action = indicator.action_open_records()
        self.assertIn(("sysengage_contract_id", "!=", False), action["domain"])

    def test_contract_mrr_by_customer(self):
        self._create_contract(lines=[(self.service, 1.0, 250.0)], partner_id=self.customer_b.id)
        indicator = self.env["sysengage.indicator"].create(
            {
                "name": "MRR",
                "source": "contract",
                "measure": "recurring_revenue",
                "grouping": "customer",
                "date_range": "all",
                "filter_domain": repr([("partner_id", "=", self.customer_b.id)]),
            }
        )
        contract = self.env["sysengage.contract"].search([("partner_id", "=", self.customer_b.id)])
        self.assertEqual(indicator.result_data["total"], contract.mrr)
        self.assertTrue(contract.mrr)
