"""What the billing does faster than a plain ``account.move.create`` must still hold like Odoo's own path.

- the company check of the invoices it creates runs once per distinct (company, value) pair: a wrong
  company is refused wherever it hides in the batch;
- the subtotal and total it gives its product lines are kept (no second computation) and equal Odoo's;
- its scheduled action wakes its twin (a second cron worker) only when more than one batch is due.
"""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sysengage_base.models.account_move_line import MOVE_BATCH_TOKEN
from odoo.addons.sysengage_contracts.models.account_move_line import BILLING_TOKEN

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestBillingCompanyCheck(SysengageContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company_data = cls.setup_other_company(name="Filiale Genf SA")

    def _invoice_vals(self, partner, **line_vals):
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "journal_id": self.journal.id,
            "invoice_date": date(2026, 1, 1),
            "invoice_line_ids": [Command.create({"product_id": self.service.id, "price_unit": 100.0, **line_vals})],
        }

    def _billing_create(self, vals_list):
        return (
            self.env["account.move"]
            .with_context(sysengage_contract_billing=BILLING_TOKEN, sysengage_move_batch=MOVE_BATCH_TOKEN)
            .create(vals_list)
        )

    def test_other_company_value_refused_anywhere_in_the_batch(self):
        other_customer = self._create_customer("Zweite Kunde AG")
        foreign_tax = self.other_company_data["default_tax_sale"]
        foreign_account = self.other_company_data["default_account_revenue"]
        for bad_line in ({"tax_ids": [Command.set(foreign_tax.ids)]}, {"account_id": foreign_account.id}):
            with self.subTest(bad_line=list(bad_line)), self.assertRaisesRegex(UserError, "company"):
                # the first invoices are right: the wrong one is the last, of another customer
                self._billing_create(
                    [self._invoice_vals(self.customer), self._invoice_vals(self.customer)]
                    + [self._invoice_vals(other_customer, **bad_line)]
                )

    def test_right_batch_passes(self):
        moves = self._billing_create([self._invoice_vals(self.customer) for _index in range(3)])
        self.assertEqual(len(moves), 3)
        self.assertEqual(moves.mapped("amount_total"), [108.1] * 3)

    def test_given_totals_kept_and_equal_to_odoo(self):
        contract = self._create_contract(lines=[(self.service, 3.0, 33.35), (self.support, 1.5, 19.99)])
        move = contract._generate_invoices(date(2026, 1, 1))["moves"]
        self.env.flush_all()
        lines = move.invoice_line_ids.sorted("price_unit")
        given = [(line.price_subtotal, line.price_total) for line in lines]
        # Odoo's own computation of the same lines
        for line in lines:
            self.env.add_to_compute(line._fields["price_subtotal"], line)
        self.env.flush_all()
        self.assertEqual(given, [(line.price_subtotal, line.price_total) for line in lines])
        self.assertEqual(lines.mapped("quantity"), [1.5, 3.0])


@tagged("post_install", "-at_install")
class TestSecondInvoicingWorker(SysengageContractsCommon):
    def setUp(self):
        super().setUp()
        self.main = self.env.ref("sysengage_contracts.ir_cron_sysengage_contract_invoices")
        self.twin = self.env.ref("sysengage_contracts.ir_cron_sysengage_contract_invoices_2")
        self.day = date(2026, 1, 1)
        for _index in range(3):
            self._create_contract(start=self.day)
        self.due = self.env["sysengage.contract"]._count_due(self.day, 0)
        self.assertGreaterEqual(self.due, 3)

    def _twin_triggers(self):
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.twin.id)])

    def _wake(self, cron, batch_size):
        contracts = self.env["sysengage.contract"].with_context(cron_id=cron.id if cron else None)
        contracts._wake_second_invoicing_worker(self.day, batch_size)

    def test_wakes_twin_when_more_than_one_batch(self):
        before = self._twin_triggers()
        self._wake(self.main, self.due)
        self.assertEqual(self._twin_triggers(), before, "one batch: one worker is enough")
        self._wake(self.main, self.due - 1)
        self.assertEqual(self._twin_triggers(), before + 1)

    def test_twin_direct_call_and_archived_twin_wake_nobody(self):
        before = self._twin_triggers()
        self._wake(self.twin, 1)
        self._wake(None, 1)
        self.twin.active = False
        self._wake(self.main, 1)
        self.assertEqual(self._twin_triggers(), before)

    def test_twin_runs_the_same_billing(self):
        self.assertEqual(self.twin.code, self.main.code)
        self.assertEqual(self.twin.model_id, self.main.model_id)
