from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sysengage_inactivity_months = fields.Integer(
        related="company_id.sysengage_inactivity_months",
        readonly=False,
    )
