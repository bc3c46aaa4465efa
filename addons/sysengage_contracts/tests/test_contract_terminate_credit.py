from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractTerminateCredit(SysengageContractsCommon):
    """Termination inside periods already invoiced: a draft credit note for the unused days."""

    def _wizard(self, contract, day, reason="Customer moved away"):
        wizard = Form(self.env["sysengage.contract.terminate"].with_context(default_contract_id=contract.id))
        wizard.termination_date = day
        wizard.reason = reason
        return wizard

    def _credit_notes(self, contract):
        return self.env["account.move"].search(
            [("sysengage_contract_id", "=", contract.id), ("move_type", "=", "out_refund")]
        )

    def test_monthly_in_advance_spans_several_periods(self):
        contract = self._create_contract(start=date(2026, 1, 1), auto_post=True)
        contract.line_ids.name = "Hosting #START# - #END#"
        invoices = contract._generate_invoices(date(2026, 6, 1))["moves"]
        self.assertEqual(len(invoices), 6)
        wizard = self._wizard(contract, date(2026, 3, 15))
        # 16..31 March (16 days), April (30), May (31), June (30)
        self.assertEqual(wizard.credit_start, date(2026, 3, 16))
        self.assertEqual(wizard.credit_end, date(2026, 6, 30))
        self.assertEqual(wizard.credit_days, 107)
        # 100 x 16/31 = 51.61, then three full months
        self.assertEqual(wizard.credit_amount, 351.61)
        self.assertFalse(wizard.last_period_start, "nothing is left to invoice")
        action = wizard.save().action_terminate()
        credit_note = self._credit_notes(contract)
        self.assertEqual(action["res_id"], credit_note.id)
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.partner_id, contract.partner_invoice_id)
        self.assertEqual(credit_note.amount_untaxed, 351.61)
        # taxes as on the invoices: 8.1 % of 51.61 = 4.18, of 100 = 8.10
        self.assertEqual(credit_note.amount_tax, 28.48)
        self.assertEqual(credit_note.invoice_line_ids.tax_ids, self.vat_81)
        self.assertEqual(credit_note.invoice_line_ids.mapped("price_unit"), [51.61, 100.0, 100.0, 100.0])
        first = credit_note.invoice_line_ids.sorted("sequence")[0]
        self.assertIn(
            f"Hosting {format_date(self.env, date(2026, 3, 16))} - {format_date(self.env, date(2026, 3, 31))}",
            first.name,
        )
        self.assertIn("Unused days", first.name)
        self.assertEqual(first.sysengage_contract_line_id, contract.line_ids)
        self.assertFalse(any(credit_note.invoice_line_ids.mapped("sysengage_period_start")), "no period: no invoice")
        self.assertFalse(credit_note.reversed_entry_id, "several invoices are credited")
        self.assertEqual(contract.state, "terminated")
        self.assertEqual(contract.date_end, date(2026, 3, 15))
        self.assertEqual(contract.next_period_start, date(2026, 3, 16))
        self.assertFalse(contract.next_invoice_date)
        self.assertFalse(contract._generate_invoices(date(2026, 12, 31))["moves"])
        self.assertEqual(contract.invoice_count, 7, "the credit note is linked to the contract")
        self.assertIn("Credit note", contract.message_ids[0].body)
        # the credited invoices stay posted: a credit note reopens nothing
        self.assertEqual(set(invoices.mapped("state")), {"posted"})

    def test_annual_in_advance(self):
        contract = self._create_contract(
            lines=[(self.service, 1.0, 1200.0)], start=date(2026, 1, 1), periodicity="annual", auto_post=True
        )
        invoice = contract._generate_invoices(date(2026, 1, 1))["moves"]
        wizard = self._wizard(contract, date(2026, 4, 30))
        # 1 May .. 31 December 2026 = 245 of 365 days: 1200 x 245 / 365 = 805.479 -> 805.48
        self.assertEqual(wizard.credit_days, 245)
        self.assertEqual(wizard.credit_amount, 805.48)
        wizard.save().action_terminate()
        credit_note = self._credit_notes(contract)
        self.assertEqual(credit_note.amount_untaxed, 805.48)
        self.assertEqual(credit_note.amount_tax, 65.24)
        self.assertEqual(credit_note.reversed_entry_id, invoice)

    def test_quarterly_in_arrears_terminated_back_in_time(self):
        contract = self._create_contract(
            lines=[(self.service, 1.0, 300.0)],
            start=date(2026, 1, 1),
            periodicity="quarterly",
            billing_mode="arrears",
            auto_post=True,
        )
        contract._generate_invoices(date(2026, 3, 31))
        wizard = self._wizard(contract, date(2026, 2, 15))
        # 16 February .. 31 March = 44 of the 90 days of Q1: 300 x 44 / 90 = 146.67
        self.assertEqual(wizard.credit_days, 44)
        self.assertEqual(wizard.credit_amount, 146.67)
        wizard.save().action_terminate()
        self.assertEqual(self._credit_notes(contract).amount_untaxed, 146.67)
        self.assertFalse(contract.next_invoice_date)

    def test_quantity_and_discount(self):
        contract = self._create_contract(lines=[(self.service, 3.0, 100.0)], start=date(2026, 1, 1), auto_post=True)
        contract.line_ids.discount = 10.0
        contract._generate_invoices(date(2026, 3, 1))
        wizard = self._wizard(contract, date(2026, 3, 15))
        # unit price 100 x 16/31 = 51.61; 3 x 51.61 - 10 % = 139.347 -> 139.35
        self.assertEqual(wizard.credit_amount, 139.35)
        wizard.save().action_terminate()
        line = self._credit_notes(contract).invoice_line_ids
        self.assertEqual((line.quantity, line.price_unit, line.discount), (3.0, 51.61, 10.0))
        self.assertEqual(line.price_subtotal, 139.35)

    def test_draft_invoices_after_termination_refused_then_cancelled(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        invoices = contract._generate_invoices(date(2026, 3, 1))["moves"]
        wizard = self._wizard(contract, date(2026, 2, 15)).save()
        with self.assertRaisesRegex(UserError, "draft invoices"):
            wizard.action_terminate()
        self.assertEqual(contract.state, "running")
        # cancelling the drafts reopens February and March: the termination then needs no credit note
        invoices.filtered(lambda m: m.invoice_date >= date(2026, 2, 1)).button_cancel()
        self.assertEqual(contract.next_period_start, date(2026, 2, 1))
        wizard = self._wizard(contract, date(2026, 2, 15))
        self.assertFalse(wizard.credit_days)
        self.assertEqual(wizard.last_period_amount, 53.57)
        wizard.save().action_terminate()
        self.assertFalse(self._credit_notes(contract))
        # 1..15 February: 100 x 15/28 = 53.57, billed by the normal run
        move = contract._generate_invoices(date(2026, 12, 31))["moves"]
        self.assertEqual(
            (move.sysengage_period_start, move.sysengage_period_end), (date(2026, 2, 1), date(2026, 2, 15))
        )
        self.assertEqual(move.amount_untaxed, 53.57)
        self.assertFalse(contract.next_invoice_date)

    def test_in_arrears_last_period_billed_pro_rata(self):
        contract = self._create_contract(start=date(2026, 1, 1), billing_mode="arrears", auto_post=True)
        contract._generate_invoices(date(2026, 2, 28))
        wizard = self._wizard(contract, date(2026, 3, 20))
        self.assertFalse(wizard.credit_days)
        self.assertEqual(wizard.last_period_amount, 64.52)
        self.assertEqual(wizard.save().action_terminate()["type"], "ir.actions.act_window_close")
        self.assertEqual(contract.next_invoice_date, date(2026, 3, 20))
        # 1..20 March: 100 x 20/31 = 64.52, invoiced on the termination day
        move = contract._generate_invoices(date(2026, 3, 20))["moves"]
        self.assertEqual(move.amount_untaxed, 64.52)
        self.assertEqual(move.invoice_date, date(2026, 3, 20))
        self.assertFalse(self._credit_notes(contract))
        self.assertFalse(contract.next_invoice_date)
