from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_offer_reminder_days = fields.Integer(
        "Offer expiry reminder (days)",
        default=7,
        help="Number of days before the validity date of an offer when its sales rep gets a reminder. 0 disables.",
    )
