from odoo import models


class ResPartner(models.Model):
    """Customers and suppliers can be approved: rules on a change of fields hold such changes."""

    _name = "res.partner"
    _inherit = ["res.partner", "sysengage.approval.mixin"]
