from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    sysengage_contract_id = fields.Many2one(
        "sysengage.contract", string="Contract", copy=False, readonly=True, index="btree_not_null"
    )
    sysengage_contract_line_id = fields.Many2one(
        "sysengage.contract.line", string="Contract Line", copy=False, readonly=True, ondelete="set null"
    )
    sysengage_period_start = fields.Date(string="Contract Period Start", copy=False, readonly=True)
    sysengage_period_end = fields.Date(string="Contract Period End", copy=False, readonly=True)

    # exactly one live invoice line per contract line and period, grouped invoices included
    _sysengage_contract_line_period_uniq = models.UniqueIndex(
        "(sysengage_contract_line_id, sysengage_period_start) "
        "WHERE sysengage_contract_line_id IS NOT NULL AND parent_state != 'cancel'",
        "This contract line is already invoiced for this period.",
    )
