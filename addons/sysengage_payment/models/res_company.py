from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_payment_auto_book = fields.Boolean(
        string="Book matched bank payments automatically",
        help="When a bank file is imported, payments matched to an invoice are booked and reconciled at once; "
        "otherwise they wait in the review screen.",
    )
    sysengage_payment_invoice_note = fields.Boolean(
        string="Note bank payments in the invoices' chatter",
        default=True,
        help="Each invoice paid from an imported bank file gets a note in its chatter: which file paid it and how "
        "much. Without the notes a large file is booked about a tenth faster; the invoice's Bank payments button "
        "shows the bank transactions that paid it in any case.",
    )
