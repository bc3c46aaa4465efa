from odoo import api, fields, models


class SysengageGroupingCode(models.Model):
    _name = "sysengage.grouping.code"
    _description = "Grouping code"
    _order = "type_sequence, type_id, code, id"
    _rec_names_search = ["code", "name"]

    type_id = fields.Many2one(
        "sysengage.grouping.code.type", string="Type", required=True, ondelete="restrict", index=True
    )
    type_sequence = fields.Integer(related="type_id.sequence", store=True)
    code = fields.Char(required=True)
    name = fields.Char(string="Label", required=True, translate=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    partner_ids = fields.Many2many(
        "res.partner",
        "sysengage_grouping_code_partner_rel",
        "grouping_code_id",
        "partner_id",
        string="Customers",
        domain=["|", ("is_company", "=", True), ("parent_id", "=", False)],
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Number of customers")

    _code_unique = models.Constraint("UNIQUE (type_id, code)", "This code already exists for this grouping code type.")

    @api.depends("type_id.name", "code", "name")
    def _compute_display_name(self):
        for grouping_code in self:
            grouping_code.display_name = (
                f"{grouping_code.type_id.name or ''}: {grouping_code.code} {grouping_code.name}"
            )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("sysengage_grouping_code_ids", "in", self.ids)], ["sysengage_grouping_code_ids"], ["__count"]
            )
        )
        for grouping_code in self:
            grouping_code.partner_count = counts.get(grouping_code, 0)

    def action_open_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "domain": [("sysengage_grouping_code_ids", "in", self.ids)],
        }
