from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
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
            contracts._sysengage_sync_reopened()
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
            contract._sysengage_reopen_periods(list(by_period), names, deleted=deleted)

    def _sysengage_check_reinstate(self, periods):
        """Refuse to reinstate a cancelled contract invoice whose period was invoiced again since."""
        live = self.env["sysengage.contract"]._sysengage_live_period_starts(list(periods))
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
