from odoo import models


class SysengageContract(models.Model):
    _name = "sysengage.contract"
    _inherit = ["sysengage.contract", "sysengage.ged.record.mixin"]
