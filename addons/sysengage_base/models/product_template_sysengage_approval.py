from odoo import models


class ProductTemplate(models.Model):
    """Products can be approved: rules on a change of fields hold e.g. a change of the sales price."""

    _name = "product.template"
    _inherit = ["product.template", "sysengage.approval.mixin"]
