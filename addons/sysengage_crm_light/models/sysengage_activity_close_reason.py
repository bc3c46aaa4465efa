from odoo import fields, models


class SysengageActivityCloseReason(models.Model):
    _name = "sysengage.activity.close.reason"
    _description = "Sysengage Activity Close Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_resolved = fields.Boolean(string="Resolved", default=True, help="Untick for reasons closing without a solution.")

    _name_unique = models.Constraint("UNIQUE(name)", "A close reason with this name already exists.")
