"""The company check of the bank transactions runs once per batch (a file creates thousands of them) and still
refuses a value of another company wherever it hides in the batch."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sysengage_payment.models.sysengage_payment_import_line import internal_write

from .common import PaymentCommon


@tagged("post_install", "-at_install")
class TestTransactionCompanyCheck(PaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoices = cls._post_invoice() + cls._post_invoice(cls.other_customer)
        cls.record = cls.env["sysengage.payment.import"]._import_file(
            cls._camt([cls._qrr_tx(invoice) for invoice in cls.invoices], msg_id="COMPANY-1"), file_name="c.xml"
        )
        other_company = cls.setup_other_company(name="Filiale Chiasso SA")["company"]
        cls.foreign_invoice = (
            cls.env["account.move"]
            .with_company(other_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": "2026-11-20",
                    "invoice_line_ids": [
                        Command.create({"name": "Beratung", "quantity": 1, "price_unit": 80.0, "tax_ids": []})
                    ],
                }
            )
        )
        cls.foreign_invoice.action_post()

    def _line_vals(self, move, key):
        return {
            "import_id": self.record.id,
            "company_id": self.company.id,
            "journal_id": self.bank_journal.id,
            "transaction_key": key,
            "date": "2026-11-30",
            "amount": move.amount_total,
            "currency_id": move.currency_id.id,
            "move_id": move.id,
        }

    def test_invoice_of_another_company_refused_at_the_end_of_a_batch(self):
        Line = self.env["sysengage.payment.import.line"]
        own, other = self.invoices
        with internal_write():
            with self.assertRaisesRegex(UserError, "company") as refused, self.env.cr.savepoint():
                Line.create(
                    [
                        self._line_vals(own, "B-1"),
                        self._line_vals(other, "B-2"),
                        self._line_vals(self.foreign_invoice, "B-3"),
                    ]
                )
            # Odoo's own message, naming the invoice of the other company
            self.assertIn(self.foreign_invoice.display_name, str(refused.exception))
            lines = Line.create([self._line_vals(own, "B-4"), self._line_vals(other, "B-5")])
        self.assertEqual(lines.move_id, self.invoices)

    def test_journal_item_of_another_company_refused_on_a_transaction(self):
        line = self.record.line_ids[0]
        foreign_item = self.foreign_invoice.line_ids[0]
        own_item = self.invoices[0].line_ids[0]
        with internal_write():
            with self.assertRaisesRegex(UserError, "company"), self.env.cr.savepoint():
                line.write({"reconcile_line_id": foreign_item.id})
            self.assertFalse(line.reconcile_line_id)
            line.write({"reconcile_line_id": own_item.id})
        self.assertEqual(line.reconcile_line_id, own_item)
