from odoo import fields, models


class SysengageReminderLine(models.Model):
    """One overdue invoice on a reminder, with its open amount on the reminder date. An invoice is
    reminded at most once per level (the unique constraint holds even when two runs overlap)."""

    _name = "sysengage.reminder.line"
    _description = "Payment reminder line"
    _order = "date_due, id"
    _check_company_auto = True

    reminder_id = fields.Many2one("sysengage.reminder", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="reminder_id.company_id", store=True, index=True)
    level_id = fields.Many2one(related="reminder_id.level_id", store=True, index=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True, check_company=True
    )
    invoice_date = fields.Date(related="move_id.invoice_date")
    date_due = fields.Date(string="Due date", related="move_id.invoice_date_due", store=True)
    currency_id = fields.Many2one(related="reminder_id.currency_id")
    amount_total = fields.Monetary(related="move_id.amount_total", string="Invoice total")
    amount_residual = fields.Monetary(string="Open amount", readonly=True, help="Open amount on the reminder date.")
    days_overdue = fields.Integer(readonly=True)

    _move_level_unique = models.Constraint(
        "UNIQUE(move_id, level_id)", "An invoice is reminded only once per reminder level."
    )
