from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import format_date

from .account_move_line import MOVE_CONTRACT_FIELDS, check_contract_fields


class AccountMove(models.Model):
    _inherit = "account.move"

    sysengage_contract_id = fields.Many2one(
        "sysengage.contract", string="Contract", copy=False, readonly=True, index="btree_not_null"
    )
    sysengage_period_start = fields.Date(string="Contract Period Start", copy=False, readonly=True)
    sysengage_period_end = fields.Date(string="Contract Period End", copy=False, readonly=True)

    # exactly one live invoice per contract and period (a cancelled one may be replaced)
    _sysengage_contract_period_uniq = models.UniqueIndex(
        "(sysengage_contract_id, sysengage_period_start) WHERE sysengage_contract_id IS NOT NULL AND state != 'cancel'",
        "This contract already has an invoice for this period.",
    )

    @api.constrains("sysengage_contract_id", "company_id")
    def _check_sysengage_contract_company(self):
        for move in self.sudo().filtered("sysengage_contract_id"):
            if move.sysengage_contract_id.company_id != move.company_id:
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s cannot bill contract %(contract)s of another company.",
                        invoice=move.display_name,
                        contract=move.sysengage_contract_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_contract_fields(self, vals_list, MOVE_CONTRACT_FIELDS, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_contract_fields(self, [vals], MOVE_CONTRACT_FIELDS)
        return super().write(vals)

    def unlink(self):
        # a deleted contract invoice frees its periods: wind the contracts back after the deletion
        periods = self._sysengage_contract_periods()
        res = super().unlink()
        self._sysengage_reopen(periods, deleted=True)
        return res

    def button_cancel(self):
        # a cancelled contract invoice frees its periods (a credit note does not: the period stays invoiced)
        periods = self._sysengage_contract_periods()
        res = super().button_cancel()
        self._sysengage_reopen(periods)
        return res

    def button_draft(self):
        # a cancelled contract invoice can come back only while no other invoice took its period
        reinstated = self._sysengage_contract_periods(cancelled=True)
        if reinstated:
            self._sysengage_check_reinstate(reinstated)
        res = super().button_draft()
        if reinstated:
            # narrow step: the invoice's period counts again for its contract, whatever the
            # accountant's rights on contracts (the flag makes the billing skip that period)
            contracts = self.env["sysengage.contract"].sudo().browse(list(reinstated)).exists()
            contracts.with_context(sysengage_reopen_sync=True).write({"has_reopened_periods": True})
            contracts._sync_reopened()
        return res

    def _sysengage_contract_periods(self, cancelled=False):
        """{contract id: {(period start, period end): {invoice names}}} of the contract lines of ``self``.

        Only customer invoices that are live (or, with ``cancelled``, cancelled) count. Read from the
        invoice lines, so grouped invoices (several contracts) count too; a credit note carries no
        period and never reopens one.
        """
        result = defaultdict(lambda: defaultdict(set))
        for move in self:
            if move.move_type != "out_invoice" or (move.state == "cancel") != cancelled:
                continue
            name = move.name if move.name and move.name != "/" else move.display_name
            for line in move.line_ids:
                # sudo: only the company of the contract is read, to never wind back a contract of
                # another company than the invoice's (such a line is refused on creation anyway)
                if line.sysengage_contract_id.sudo().company_id != move.company_id:
                    continue
                if line.sysengage_contract_id and line.sysengage_period_start:
                    key = (line.sysengage_period_start, line.sysengage_period_end or line.sysengage_period_start)
                    result[line.sysengage_contract_id.id][key].add(name)
        return result

    def _sysengage_reopen(self, periods, deleted=False):
        """Wind back the contracts of ``periods`` (see :meth:`_sysengage_contract_periods`)."""
        if not periods:
            return
        # narrow step: cancelling an invoice must keep its contract consistent even when the
        # accountant has no right on contracts (only the next period start, the flag and a note change)
        contracts = self.env["sysengage.contract"].sudo().browse(list(periods)).exists()
        for contract in contracts:
            by_period = periods[contract.id]
            names = sorted({name for names in by_period.values() for name in names})
            contract._reopen_periods(list(by_period), names, deleted=deleted)

    def _sysengage_check_reinstate(self, periods):
        """Refuse to reinstate a cancelled contract invoice whose period was invoiced again since."""
        live = self.env["sysengage.contract"]._live_period_starts(list(periods))
        for contract_id, by_period in periods.items():
            taken = sorted(start for start, _end in by_period if start in live.get(contract_id, set()))
            if taken:
                contract = self.env["sysengage.contract"].sudo().browse(contract_id)
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s cannot be reset to draft: contract %(contract)s is already invoiced "
                        "again for the period starting %(date)s. Issue a new invoice instead.",
                        invoice=", ".join(sorted({name for names in by_period.values() for name in names})),
                        contract=contract.display_name,
                        date=format_date(self.env, taken[0]),
                    )
                )

    # ------------------------------------------------------------------
    # Contract invoices written out in full (used by the contract billing)
    # ------------------------------------------------------------------
    @api.model
    def _sysengage_complete_move_vals(self, vals_list):
        """Return, for each invoice of ``vals_list``, its values with every journal item written out, or ``None``.

        ``account.move.create`` builds the tax and receivable items of a new invoice from its product
        lines through its line synchronisation, which writes back on every line and costs most of the
        time of a large run. Here the same items are computed beforehand, by Odoo's own engines: the
        ``account.tax`` helpers the invoice uses for the taxes and the tax tags, the payment term's
        ``_compute_terms`` for the installments, the product's income account mapped by the fiscal
        position. The invoice is then created complete (like Odoo creates a reversal), without the
        synchronisation; Odoo still checks that it balances, and any later edit of the invoice runs the
        normal synchronisation. ``tests/test_contract_invoice_lines.py`` proves the items equal to the
        ones Odoo builds, case by case. What this does not build (a foreign currency, cash rounding, an
        early payment discount) gets ``None`` and the standard path; so does everything when the system
        parameter ``sysengage_contracts.complete_invoice_lines`` is ``False`` (e.g. with a localisation
        that adds its own dynamic lines).
        """
        enabled = self.env["ir.config_parameter"].sudo().get_param("sysengage_contracts.complete_invoice_lines", "True")
        if enabled.lower() in ("0", "false", "no", ""):
            return [None] * len(vals_list)
        cache = {"accounts": {}, "taxes": {}, "analytic_models": {}, "totals": {}}
        return [self._sysengage_complete_one_move_vals(vals, cache) for vals in vals_list]

    @api.model
    def _sysengage_complete_one_move_vals(self, vals, cache):
        AccountTax = self.env["account.tax"]
        company = self.env["res.company"].browse(vals["company_id"])
        currency = company.currency_id
        term = self.env["account.payment.term"].browse(vals.get("invoice_payment_term_id") or [])
        if (
            vals.get("move_type") != "out_invoice"
            or vals.get("currency_id") != currency.id
            or vals.get("invoice_cash_rounding_id")
            or term.early_discount
        ):
            return None
        journal = self.env["account.journal"].browse(vals["journal_id"])
        fiscal_position = self.env["account.fiscal.position"].browse(vals.get("fiscal_position_id") or [])
        partner = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
        if company.id not in cache["analytic_models"]:
            cache["analytic_models"][company.id] = bool(
                self.env["account.analytic.distribution.model"].search_count(
                    [("company_id", "in", [company.id, False])], limit=1
                )
            )
        # without any analytic distribution model, the line's distribution is the contract line's: given
        # here, the line skips looking for models one search per line (else Odoo applies them)
        analytic_models = cache["analytic_models"][company.id]
        line_commands = []
        base_lines = []
        for command in vals["invoice_line_ids"]:
            line = dict(command[2])
            line_commands.append(Command.create(line))
            if line.get("display_type", "product") != "product":
                continue
            if not analytic_models:
                line.setdefault("analytic_distribution", False)
            product = self.env["product.product"].browse(line.get("product_id") or [])
            account_key = (company.id, product.id, fiscal_position.id, journal.id)
            if account_key not in cache["accounts"]:
                income = self.env["account.account"]
                if product:
                    income = product.product_tmpl_id.with_company(company).get_product_accounts(
                        fiscal_pos=fiscal_position
                    )["income"]
                cache["accounts"][account_key] = income or journal.default_account_id
            account = cache["accounts"][account_key]
            if not account:
                return None
            # (the line computes the same account itself: given here, it would run the account's
            # inverse, one write per line)
            tax_ids = tuple(line["tax_ids"][0][2]) if line.get("tax_ids") else ()
            if tax_ids not in cache["taxes"]:
                cache["taxes"][tax_ids] = AccountTax.browse(tax_ids)
            base_line = AccountTax._prepare_base_line_for_taxes_computation(
                None,
                price_unit=line.get("price_unit", 0.0),
                quantity=line.get("quantity", 1.0),
                discount=line.get("discount", 0.0),
                currency_id=currency,
                tax_ids=cache["taxes"][tax_ids],
                product_id=product,
                partner_id=partner,
                account_id=account,
                analytic_distribution=line.get("analytic_distribution"),
                rate=1.0,
                sign=-1,  # a customer invoice credits its income lines
                is_refund=False,
                sysengage_vals=line,
            )
            base_lines.append(base_line)
            # the line's subtotal and total as its own compute gives them (the line rounded alone, not
            # with the invoice's other lines): given here, no tax computation per line after the create
            totals_key = (
                company.id,
                product.id,
                tax_ids,
                base_line["price_unit"],
                base_line["quantity"],
                base_line["discount"],
            )
            if totals_key not in cache["totals"]:
                alone = dict(base_line)
                AccountTax._add_tax_details_in_base_line(alone, company)
                AccountTax._round_base_lines_tax_details([alone], company)
                cache["totals"][totals_key] = (
                    alone["tax_details"]["total_excluded_currency"],
                    alone["tax_details"]["total_included_currency"],
                )
            line["price_subtotal"], line["price_total"] = cache["totals"][totals_key]
        if not base_lines:
            return None
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(base_lines, company)
        results = AccountTax._prepare_tax_lines(base_lines, company)
        untaxed = 0.0
        for base_line, amounts in results["base_lines_to_update"]:
            base_line["sysengage_vals"].update(amounts)
            untaxed -= amounts["amount_currency"]
        tax = 0.0
        items = []
        for tax_vals in results["tax_lines_to_add"]:
            items.append(Command.create({**tax_vals, "display_type": "tax"}))
            tax -= tax_vals["amount_currency"]
        if term:
            terms = term._compute_terms(
                date_ref=vals["invoice_date"],
                currency=currency,
                company=company,
                tax_amount=tax,
                tax_amount_currency=tax,
                sign=1,
                untaxed_amount=untaxed,
                untaxed_amount_currency=untaxed,
                cash_rounding=None,
            )
            installments = [(fields.Date.to_date(t["date"]), t["company_amount"]) for t in terms["line_ids"]]
        else:
            # like Odoo: without payment terms an invoice is due on the day it is created
            installments = [(fields.Date.context_today(self), currency.round(untaxed + tax))]
        due = defaultdict(float)
        for date_maturity, amount in installments:
            due[date_maturity] += amount
        for date_maturity, amount in due.items():
            items.append(
                Command.create(
                    {
                        "display_type": "payment_term",
                        "date_maturity": date_maturity,
                        "balance": amount,
                        "amount_currency": amount,
                    }
                )
            )
        return dict(vals, invoice_line_ids=line_commands, line_ids=items)
