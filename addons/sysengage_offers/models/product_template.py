from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    sysengage_install_task = fields.Boolean(
        "Installed by us",
        help="A good to install: when the company creates tasks for goods, an accepted offer line of this "
        "product makes an installation task in the offer's project.",
    )
