from odoo import fields, models


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
