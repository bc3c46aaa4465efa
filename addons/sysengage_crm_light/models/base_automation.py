from odoo import fields, models


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    sysengage_reminder_rule_id = fields.Many2one(
        "sysengage.reminder.rule",
        string="Reminder rule",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The reminder rule that created this automation and alone maintains it.",
    )
