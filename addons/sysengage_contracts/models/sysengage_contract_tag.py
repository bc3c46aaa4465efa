from odoo import fields, models


class SysengageContractTag(models.Model):
    _name = "sysengage.contract.tag"
    _description = "Contract Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE (name)", "A contract tag with this name already exists.")
