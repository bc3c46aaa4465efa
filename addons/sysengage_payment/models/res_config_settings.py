from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sysengage_payment_auto_book = fields.Boolean(related="company_id.sysengage_payment_auto_book", readonly=False)
    sysengage_payment_invoice_note = fields.Boolean(related="company_id.sysengage_payment_invoice_note", readonly=False)
