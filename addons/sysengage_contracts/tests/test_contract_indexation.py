from datetime import date

from odoo import Command
from odoo.tests import Form, tagged

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractIndexation(SysengageContractsCommon):
    """Indexation moves the agreed prices; price table prices only when the indexation says so."""

    def _index(self, contract, day, percent, price_table=False):
        return self.env["sysengage.contract.indexation"].create(
            {"contract_id": contract.id, "date": day, "percent": percent, "apply_to_price_table": price_table}
        )

    def _amounts(self, contract, day):
        moves = contract._generate_invoices(day)["moves"].sorted("invoice_date")
        return moves.mapped("amount_untaxed")

    def test_price_table_line_not_indexed_by_default(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contract.line_ids.price_forced = False
        self.service.lst_price = 120.0
        indexation = self._index(contract, date(2026, 2, 1), 3.0)
        self.assertFalse(indexation.apply_to_price_table)
        self.assertEqual(self._amounts(contract, date(2026, 2, 1)), [120.0, 120.0])

    def test_price_table_line_indexed_when_asked(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contract.line_ids.price_forced = False
        self.service.lst_price = 120.0
        self._index(contract, date(2026, 2, 1), 3.0, price_table=True)
        # 120 x 1.03 = 123.60
        self.assertEqual(self._amounts(contract, date(2026, 2, 1)), [120.0, 123.6])

    def test_mixed_lines_with_price_rule(self):
        self._create_price_rule(product=self.support, partner=self.customer, price=90.0)
        contract = self._create_contract(
            lines=[(self.service, 1.0, 100.0), (self.support, 1.0, 0.0)], start=date(2026, 1, 1)
        )
        table_line = contract.line_ids.filtered(lambda line: line.product_id == self.support)
        table_line.price_forced = False
        self.assertEqual(table_line.price_unit, 90.0, "the price table gives 90")
        self._index(contract, date(2026, 3, 1), 2.5, price_table=True)
        self._index(contract, date(2026, 3, 1), 2.0)
        amounts = self._amounts(contract, date(2026, 3, 1))
        # fixed 100 x 1.025 x 1.02 = 104.55; price table 90 x 1.025 = 92.25 (the 2 % is for agreed prices only)
        self.assertEqual(amounts, [190.0, 190.0, 196.8])
        march = contract._period_amount(contract._recurrence().period_starting(date(2026, 3, 1)))
        self.assertEqual(march, 196.8, "the forecast uses the same prices")

    def test_price_table_discount_kept_and_price_indexed(self):
        self._create_price_rule(product=self.service, partner=self.customer, discount=10.0)
        contract = self._create_contract(start=date(2026, 1, 1))
        contract.line_ids.price_forced = False
        self._index(contract, date(2026, 1, 1), 5.0, price_table=True)
        move = contract._generate_invoices(date(2026, 1, 1))["moves"]
        # list price 100 (or the rule's base) x 1.05 = 105, minus the rule's 10 % = 94.50
        line = move.invoice_line_ids
        self.assertEqual(line.discount, 10.0)
        self.assertEqual(line.price_unit, 105.0)
        self.assertEqual(move.amount_untaxed, 94.5)

    def test_free_text_line_is_an_agreed_price(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contract.line_ids = [
            Command.clear(),
            Command.create({"name": "On-call service", "quantity": 1.0, "price_unit": 200.0, "tax_ids": []}),
        ]
        self._index(contract, date(2026, 2, 1), 1.5)
        self.assertEqual(self._amounts(contract, date(2026, 2, 1)), [200.0, 203.0])

    def test_renewal_wizard_can_index_price_table(self):
        contract = self._create_contract(start=date(2026, 1, 1), date_end=date(2026, 12, 31))
        wizard = Form(self.env["sysengage.contract.renew"].with_context(default_contract_id=contract.id))
        wizard.indexation_percent = 2.0
        wizard.indexation_price_table = True
        wizard.save().action_renew()
        self.assertTrue(contract.indexation_ids.apply_to_price_table)
        self.assertEqual(contract.indexation_ids.date, date(2027, 1, 1))
