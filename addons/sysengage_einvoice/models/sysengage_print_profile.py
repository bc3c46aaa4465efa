from odoo import fields, models


class SysengagePrintProfile(models.Model):
    _inherit = "sysengage.print.profile"

    sysengage_qr_payment_part = fields.Selection(
        [("default", "Customer default"), ("with", "With payment part"), ("without", "Without payment part")],
        string="QR-bill payment part",
        default="default",
        help="For invoice reports: print the QR-bill payment part or not. An invoice's own choice wins; "
        "'Customer default' follows the customer.",
    )
