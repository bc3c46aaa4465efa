from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    sysengage_payment_line_ids = fields.One2many(
        "sysengage.payment.import.line",
        "move_id",
        string="Bank payments",
        readonly=True,
        groups="sysengage_payment.group_user",
    )
    sysengage_payment_line_count = fields.Integer(
        string="Bank payments count",
        compute="_compute_sysengage_payment_line_count",
        groups="sysengage_payment.group_user",
    )

    def _compute_sysengage_payment_line_count(self):
        counts = dict(
            self.env["sysengage.payment.import.line"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.sysengage_payment_line_count = counts.get(move, 0)

    def action_sysengage_open_payment_lines(self):
        """The bank transactions matched to this invoice (booked or to book), from the invoice's Bank payments
        button."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_payment.sysengage_payment_import_line_action")
        action.update(
            name=self.env._("Bank payments of %(invoice)s", invoice=self.display_name),
            domain=[("move_id", "=", self.id)],
            context={"create": False},
        )
        return action
