from odoo import fields, models


class SysengageApprovalRefuseWizard(models.TransientModel):
    _name = "sysengage.approval.refuse.wizard"
    _description = "Refuse an Approval Request"

    request_ids = fields.Many2many("sysengage.approval.request", string="Requests", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        # the request checks that the current user is one of its approvers
        self.request_ids._sysengage_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
