from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    sysengage_team_id = fields.Many2one(
        related="user_id.sale_team_id", string="Sales team", store=True, index="btree_not_null"
    )
