from odoo import models


class ResPartnerBank(models.Model):
    """Bank accounts can be approved: the shipped (archived) rule holds a new or changed account of a
    customer or supplier until a second person approves it (payment-fraud guard)."""

    _name = "res.partner.bank"
    _inherit = ["res.partner.bank", "sysengage.approval.mixin"]
