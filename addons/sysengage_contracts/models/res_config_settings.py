from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sysengage_contract_group_invoices = fields.Boolean(
        related="company_id.sysengage_contract_group_invoices", readonly=False
    )
    sysengage_contract_auto_post = fields.Boolean(related="company_id.sysengage_contract_auto_post", readonly=False)
    sysengage_contract_auto_send = fields.Boolean(related="company_id.sysengage_contract_auto_send", readonly=False)
