from odoo import fields, models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    sysengage_ged_archive = fields.Boolean(
        string="Archive Invoices",
        default=True,
        help="Archive the customer invoices of this journal (signed, timestamped) when the company "
        "archives its invoices.",
    )
