from odoo import fields, models
from odoo.exceptions import UserError


class SysengageActivityCloseWizard(models.TransientModel):
    _name = "sysengage.activity.close.wizard"
    _description = "Close an activity with a reason"

    activity_id = fields.Many2one("mail.activity", required=True, ondelete="cascade")
    reason_id = fields.Many2one("sysengage.activity.close.reason", string="Reason", required=True)
    note = fields.Text(string="Closing note")

    def action_close(self):
        """Record why the complaint or incident is closed, then mark the activity done."""
        self.ensure_one()
        activity = self.activity_id
        if not activity.active:
            raise UserError(self.env._("This activity is already closed."))
        activity.write(
            {
                "sysengage_close_reason_id": self.reason_id.id,
                "sysengage_close_note": self.note,
                "sysengage_closed_on": fields.Datetime.now(),
                "sysengage_closed_by_id": self.env.user.id,
            }
        )
        feedback = self.env._("Closed: %(reason)s", reason=self.reason_id.name)
        if self.note:
            feedback = f"{feedback}\n{self.note}"
        activity.action_feedback(feedback=feedback)
        return {"type": "ir.actions.act_window_close"}
