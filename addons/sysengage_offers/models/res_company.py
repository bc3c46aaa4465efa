from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_offer_reminder_days = fields.Integer(
        "Offer expiry reminder (days)",
        default=7,
        help="Number of days before the validity date of an offer when its sales rep gets a reminder. 0 disables.",
    )
    sysengage_offer_project_default = fields.Boolean(
        "Every accepted offer creates a project",
        help="New offers are marked to create a project on acceptance (the sales rep may still untick it).",
    )
    sysengage_offer_project_goods = fields.Boolean(
        "Tasks for goods to install",
        help="Besides the services, the accepted goods marked as installed by us make an installation task.",
    )
