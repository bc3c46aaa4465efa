from odoo.tests import freeze_time, tagged

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractSaleOrder(SysengageContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_manager")
        cls.monthly = cls._create_service(
            "Managed firewall", price=90.0, sysengage_recurring=True, sysengage_periodicity="monthly"
        )
        cls.yearly = cls._create_service(
            "Licence", price=1200.0, sysengage_recurring=True, sysengage_periodicity="annual"
        )
        cls.setup_fee = cls._create_service("Setup", price=500.0, invoice_policy="order")

    @freeze_time("2026-05-04")
    def test_confirmed_order_creates_contracts(self):
        order = self._create_offer(self.customer, [(self.monthly, 2, 85.0), (self.yearly, 1), (self.setup_fee, 1)])
        self.assertEqual(order.order_line.mapped("sysengage_recurring"), [True, True, False])
        order.action_confirm()
        contracts = order.sysengage_contract_ids
        self.assertEqual(len(contracts), 2, "one contract per periodicity")
        monthly = contracts.filtered(lambda c: c.periodicity == "monthly")
        self.assertEqual(monthly.state, "running")
        self.assertEqual(monthly.partner_id, self.customer)
        self.assertEqual(monthly.date_start.isoformat(), "2026-05-04")
        self.assertEqual(monthly.line_ids.product_id, self.monthly)
        self.assertEqual((monthly.line_ids.quantity, monthly.line_ids.price_unit), (2.0, 85.0))
        self.assertTrue(monthly.line_ids.price_forced)
        self.assertEqual(monthly.recurring_amount, 170.0)
        self.assertEqual(contracts.filtered(lambda c: c.periodicity == "annual").interval_months, 12)
        # the order invoices only the one-off line
        recurring = order.order_line.filtered("sysengage_recurring")
        self.assertEqual(recurring.mapped("qty_to_invoice"), [0.0, 0.0])
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.product_id, self.setup_fee)
        # smart buttons both ways
        self.assertEqual(order.sysengage_contract_count, 2)
        self.assertEqual(monthly.action_view_sale_order()["res_id"], order.id)
        action = order.action_sysengage_view_contracts()
        self.assertEqual(self.env["sysengage.contract"].search(action["domain"]), contracts)

    def test_order_without_recurring_line(self):
        order = self._create_offer(self.customer, [(self.setup_fee, 1)])
        order.action_confirm()
        self.assertFalse(order.sysengage_contract_ids)
