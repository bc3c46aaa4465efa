from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sysengage_approval_manager_id = fields.Many2one(
        "res.users",
        string="Approval Manager",
        domain=[("share", "=", False)],
        help="Approves this user's requests on approval levels of the type \"Requester's manager\".",
    )
