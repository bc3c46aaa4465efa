from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.models.account_move_line import AccountMoveLine
from odoo.addons.sysengage_contracts.models.account_move import AccountMove

from .common import SysengageContractsCommon

LINE_FIELDS = (
    "display_type",
    "account_id",
    "product_id",
    "quantity",
    "price_unit",
    "discount",
    "tax_ids",
    "tax_line_id",
    "tax_repartition_line_id",
    "tax_tag_ids",
    "tax_base_amount",
    "group_tax_id",
    "analytic_distribution",
    "balance",
    "amount_currency",
    "debit",
    "credit",
    "price_subtotal",
    "price_total",
    "date_maturity",
    "partner_id",
    "currency_id",
)
MOVE_FIELDS = (
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "invoice_date",
    "payment_reference",
    "partner_id",
    "fiscal_position_id",
    "invoice_payment_term_id",
)


@tagged("post_install", "-at_install")
class TestContractInvoiceLines(SysengageContractsCommon):
    """The recurring run writes every journal item of its invoices itself (to spare Odoo a write per
    line): each invoice must be, item by item, the invoice Odoo builds from the same lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat_81_included = cls.vat_81.copy({"name": "VAT 8.1% incl.", "price_include_override": "tax_included"})
        cls.eco_fee = cls.env["account.tax"].create(
            {
                "name": "Eco fee 1.50",
                "amount_type": "fixed",
                "amount": 1.5,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
                "include_base_amount": True,
                "sequence": 1,
            }
        )
        other_income = cls.company_data["default_account_revenue"].copy({"code": "3499"})
        cls.export_position = cls.env["account.fiscal.position"].create(
            {
                "name": "Export",
                "company_id": cls.company.id,
                "account_ids": [
                    Command.create(
                        {
                            "account_src_id": cls.company_data["default_account_revenue"].id,
                            "account_dest_id": other_income.id,
                        }
                    )
                ],
            }
        )
        cls.vat_0 = cls.vat_81.copy(
            {
                "name": "VAT 0% export",
                "amount": 0.0,
                "fiscal_position_ids": [Command.set(cls.export_position.ids)],
                "original_tax_ids": [Command.set(cls.vat_81.ids)],
            }
        )
        cls.split_term = cls.env["account.payment.term"].create(
            {
                "name": "30 % now, the rest in 30 days",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 30}),
                ],
            }
        )
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.analytic_plan = cls.env["account.analytic.plan"].create({"name": "Sites"})
        cls.analytic = cls.env["account.analytic.account"].create(
            {"name": "Bern site", "plan_id": cls.analytic_plan.id}
        )
        cls.customer_b = cls._create_customer("Jura Print SA")

    def _contracts(self):
        """Contracts covering the cases the invoice lines depend on; all start on 10 January (pro rata)."""
        start = date(2026, 1, 10)
        contracts = self._create_contract(
            lines=[(self.service, 3.0, 99.95), (self.support, 1.0, 31.0)], start=start, prorate_first=True
        )
        contracts |= self._create_contract(
            lines=[(self.service, 2.0, 1234.56)], start=start, payment_term_id=self.split_term.id
        )
        contracts |= self._create_contract(
            lines=[(self.service, 1.0, 100.0)], start=start, payment_term_id=self.term_30.id
        )
        contracts |= self._create_contract(
            lines=[(self.service, 7.0, 12.35), (self.support, 1.0, 0.0)],
            start=start,
            partner_id=self.customer_b.id,
            fiscal_position_id=self.export_position.id,
        )
        included = self._create_contract(lines=[(self.service, 3.0, 10.83)], start=start)
        included.line_ids.tax_ids = self.vat_81_included
        fee = self._create_contract(lines=[(self.support, 4.0, 19.9)], start=start)
        fee.line_ids.tax_ids = self.eco_fee | self.vat_81
        discounted = self._create_contract(lines=[(self.service, 3.0, 33.33)], start=start, prorate_first=True)
        discounted.line_ids.write({"discount": 12.5, "analytic_distribution": {str(self.analytic.id): 100}})
        grouped = self._create_contract(lines=[(self.service, 1.0, 45.0)], start=start, group_invoices=True)
        grouped |= self._create_contract(lines=[(self.support, 2.0, 17.45)], start=start, group_invoices=True)
        return contracts | included | fee | discounted | grouped

    def _snapshot(self, contracts, moves):
        """Heads and items of ``moves``, in the order of ``contracts`` then by date (comparable across two sets)."""
        self.env.flush_all()
        self.env.invalidate_all()
        order = {contract: index for index, contract in enumerate(contracts)}
        result = []
        for move in moves.sorted(
            lambda m: (min(order[c] for c in m.invoice_line_ids.sysengage_contract_id), m.invoice_date)
        ):
            head = {fname: move._fields[fname].convert_to_write(move[fname], move) for fname in MOVE_FIELDS}
            lines = sorted(
                (
                    tuple((fname, line._fields[fname].convert_to_write(line[fname], line)) for fname in LINE_FIELDS)
                    for line in move.line_ids
                ),
                key=repr,
            )
            result.append((head, lines))
        return result

    def _generate_both_ways(self):
        """Two identical sets of contracts: one invoiced by the recurring run, one by Odoo's own computation."""
        fast_contracts = self._contracts()
        standard_contracts = self._contracts()
        completed = []
        original = AccountMove._sysengage_complete_move_vals

        def spy(moves, vals_list):
            result = original(moves, vals_list)
            completed.extend(result)
            return result

        rewritten = []
        original_write = AccountMoveLine.write

        def write_spy(lines, vals):
            if {"balance", "amount_currency"} & set(vals):
                rewritten.extend(lines.filtered(lambda line: line.display_type == "product").ids)
            return original_write(lines, vals)

        with (
            patch.object(AccountMove, "_sysengage_complete_move_vals", spy),
            patch.object(AccountMoveLine, "write", write_spy),
        ):
            result = fast_contracts._generate_invoices(date(2026, 3, 10))
        self.assertFalse(result["errors"])
        self.assertTrue(completed and all(completed), "every invoice was written out in full")
        for move in result["moves"]:
            maturities = move.line_ids.filtered(lambda line: line.display_type == "payment_term").mapped(
                "date_maturity"
            )
            self.assertEqual(move.invoice_date_due, max(maturities))
        self.assertFalse(rewritten, "no journal item was rewritten after its creation")
        fast = result["moves"]
        with patch.object(
            AccountMove, "_sysengage_complete_move_vals", lambda self, vals_list: [None] * len(vals_list)
        ):
            standard = standard_contracts._generate_invoices(date(2026, 3, 10))["moves"]
        self.assertEqual(len(fast), 8 * 3, "every contract invoiced for 3 periods, the two grouped ones together")
        return self._snapshot(fast_contracts, fast), self._snapshot(standard_contracts, standard), standard

    def test_items_equal_odoo_computation(self):
        self.maxDiff = None
        fast, standard, moves = self._generate_both_ways()
        # (the due date is checked apart: in a batched create, Odoo may leave it on the day of the run
        # for an invoice with several installments; the written-out invoices have the last installment)
        self.assertEqual(len(fast), len(standard))
        for fast_move, standard_move in zip(fast, standard, strict=True):
            self.assertEqual(fast_move[1], standard_move[1])
            self.assertEqual(fast_move[0], standard_move[0])
        # the cases really are there: split term, fiscal position, included tax, fixed fee, analytic
        self.assertEqual(
            len(
                moves.filtered(lambda m: m.invoice_payment_term_id == self.split_term).line_ids.filtered(
                    lambda line: line.display_type == "payment_term"
                )
            ),
            6,
        )
        self.assertIn(self.vat_0, moves.line_ids.tax_ids, "the export position mapped the VAT")
        self.assertIn(self.vat_81_included, moves.line_ids.tax_line_id)
        self.assertIn(self.eco_fee, moves.line_ids.tax_line_id)
        self.assertTrue(moves.line_ids.filtered("analytic_distribution"))

    def test_items_post_and_keep_their_amounts(self):
        contracts = self._contracts()
        moves = contracts._generate_invoices(date(2026, 3, 10))["moves"]
        before = self._snapshot(contracts, moves)
        moves.action_post()
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        after = self._snapshot(contracts, moves)
        for move_before, move_after in zip(before, after, strict=True):
            self.assertEqual(move_before[1], move_after[1], "posting changes no amount")
        # editing a line afterwards recomputes the taxes as on any invoice
        draft = contracts[0]._generate_invoices(date(2026, 4, 10))["moves"]
        line = draft.invoice_line_ids.filtered(lambda item: item.display_type == "product")[:1]
        total = draft.amount_total
        line.quantity += 1
        self.assertNotEqual(draft.amount_total, total)
        self.assertEqual(draft.amount_tax, draft.currency_id.round(draft.amount_untaxed * 0.081))

    def test_system_parameter_restores_standard_path(self):
        self.env["ir.config_parameter"].set_param("sysengage_contracts.complete_invoice_lines", "False")
        contract = self._create_contract(lines=[(self.service, 1.0, 100.0)], start=date(2026, 1, 1))
        with patch.object(AccountMoveLine, "write", autospec=True, side_effect=AccountMoveLine.write) as write:
            move = contract._generate_invoices(date(2026, 1, 1))["moves"]
        self.assertTrue(write.called, "Odoo's line synchronisation ran")
        self.assertEqual((move.amount_untaxed, move.amount_tax), (100.0, 8.1))

    def test_analytic_distribution_models_still_apply(self):
        model = self.env["account.analytic.distribution.model"].create(
            {"partner_id": self.customer_b.id, "analytic_distribution": {str(self.analytic.id): 100}}
        )
        contract = self._create_contract(
            lines=[(self.service, 1.0, 100.0)], start=date(2026, 1, 1), partner_id=self.customer_b.id
        )
        move = contract._generate_invoices(date(2026, 1, 1))["moves"]
        product_line = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(product_line.analytic_distribution, model.analytic_distribution)
