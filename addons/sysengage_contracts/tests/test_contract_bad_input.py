from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractBadInput(SysengageContractsCommon):
    def _count(self):
        return (
            self.env["sysengage.contract"].search_count([]),
            self.env["sysengage.contract.line"].search_count([]),
        )

    def _assert_refused(self, message, **vals):
        before = self._count()
        with self.assertRaises(ValidationError) as caught:
            self._create_contract(**vals)
        self.assertRegex(str(caught.exception), message)
        self.assertEqual(self._count(), before, "nothing half-created")

    def test_no_lines(self):
        self._assert_refused("has no line to invoice", line_ids=[])
        self._assert_refused(
            "has no line to invoice", line_ids=[Command.create({"display_type": "line_note", "name": "Just a note"})]
        )

    def test_end_before_start(self):
        self._assert_refused("is before the start date", start=date(2026, 3, 1), date_end=date(2026, 2, 28))

    def test_negative_quantity(self):
        self._assert_refused("cannot be negative", lines=[(self.service, -1.0, 100.0)])

    def test_currency_without_rate(self):
        currency = self.env["res.currency"].create({"name": "XTS", "symbol": "T", "rounding": 0.01})
        self._assert_refused("has no exchange rate", currency_id=currency.id)

    def test_currency_differs_from_journal(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        journal = self.journal.copy({"name": "EUR sales", "code": "SEUR", "currency_id": eur.id})
        self._assert_refused("only accepts EUR", journal_id=journal.id, currency_id=self.chf.id)

    def test_customer_without_invoice_address(self):
        customer = self.env["res.partner"].create({"name": "Nowhere GmbH", "is_company": True})
        self._assert_refused("no complete invoice address", partner_id=customer.id)

    def test_error_in_user_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "sysengage_contracts")])._update_translations(["fr_FR"])
        contract_model = self.env["sysengage.contract"].with_context(lang="fr_FR")
        with self.assertRaises(ValidationError) as caught:
            contract_model.create(
                {"partner_id": self.customer.id, "date_start": date(2026, 1, 1), "journal_id": self.journal.id}
            )
        self.assertIn("n'a aucune ligne à facturer", str(caught.exception))

    def test_line_without_product_or_text(self):
        self._assert_refused("needs a product or a description", line_ids=[Command.create({"quantity": 1.0})])
