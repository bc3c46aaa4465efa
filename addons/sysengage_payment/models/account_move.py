from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    sysengage_payment_line_ids = fields.One2many(
        "sysengage.payment.import.line",
        "move_id",
        string="Bank payments",
        readonly=True,
        groups="sysengage_payment.group_user",
    )
