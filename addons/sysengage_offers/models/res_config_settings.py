from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sysengage_offer_reminder_days = fields.Integer(related="company_id.sysengage_offer_reminder_days", readonly=False)
    sysengage_offer_project_default = fields.Boolean(
        related="company_id.sysengage_offer_project_default", readonly=False
    )
    sysengage_offer_project_goods = fields.Boolean(related="company_id.sysengage_offer_project_goods", readonly=False)
