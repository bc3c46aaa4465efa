from odoo import fields, models


class SysengageGroupingCodeType(models.Model):
    _name = "sysengage.grouping.code.type"
    _description = "Grouping code type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, e.g. REGION, SEGMENT, SECTOR.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code_ids = fields.One2many("sysengage.grouping.code", "type_id", string="Codes")
    code_count = fields.Integer(compute="_compute_code_count", string="Number of codes")

    _code_unique = models.Constraint("UNIQUE (code)", "A grouping code type with this code already exists.")

    def _compute_code_count(self):
        counts = dict(
            self.env["sysengage.grouping.code"]._read_group([("type_id", "in", self.ids)], ["type_id"], ["__count"])
        )
        for code_type in self:
            code_type.code_count = counts.get(code_type, 0)
