from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_payment_auto_book = fields.Boolean(
        string="Book matched bank payments automatically",
        help="When a bank file is imported, payments matched to an invoice are booked and reconciled at once; "
        "otherwise they wait in the review screen.",
    )
