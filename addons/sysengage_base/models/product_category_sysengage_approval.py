from odoo import models


class ProductCategory(models.Model):
    """Product categories can be approved: a change of their income or expense accounts can be held."""

    _name = "product.category"
    _inherit = ["product.category", "sysengage.approval.mixin"]
