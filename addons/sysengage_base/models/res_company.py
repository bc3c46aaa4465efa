from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_inactivity_months = fields.Integer(
        string="Months without offer before inactive",
        default=18,
        help="A customer without any offer for this number of months becomes inactive (daily check).",
    )

    _sysengage_inactivity_months_positive = models.Constraint(
        "CHECK (sysengage_inactivity_months > 0)",
        "The number of months without offer before a customer becomes inactive must be positive.",
    )
