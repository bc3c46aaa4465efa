from odoo import api, fields, models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    sysengage_requires_close_reason = fields.Boolean(related="activity_type_id.sysengage_requires_close_reason")
    sysengage_close_reason_id = fields.Many2one(
        "sysengage.activity.close.reason", string="Close reason", readonly=True, index="btree_not_null"
    )
    sysengage_close_note = fields.Text(string="Closing note", readonly=True)
    sysengage_closed_on = fields.Datetime(string="Closed on", readonly=True)
    sysengage_closed_by_id = fields.Many2one("res.users", string="Closed by", readonly=True)
    sysengage_team_id = fields.Many2one(related="user_id.sale_team_id", string="Sales team", store=True)
    sysengage_lead_id = fields.Many2one("crm.lead", string="Opportunity", compute="_compute_sysengage_lead_id")
    sysengage_document_ids = fields.Many2many(
        "ir.attachment",
        string="Documents",
        compute="_compute_sysengage_document_ids",
        help="Files of this activity and of its opportunity.",
    )

    @api.depends("res_model", "res_id")
    def _compute_sysengage_lead_id(self):
        for activity in self:
            is_lead = activity.res_model == "crm.lead" and activity.res_id
            activity.sysengage_lead_id = activity.res_id if is_lead else False

    @api.depends("res_model", "res_id", "attachment_ids")
    def _compute_sysengage_document_ids(self):
        leads = self.sysengage_lead_id
        documents = leads._sysengage_get_documents() if leads else {}
        own = (
            self.env["ir.attachment"]
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
            .grouped("res_id")
            if self.ids
            else {}
        )
        for activity in self:
            attachments = activity.attachment_ids | own.get(activity.id, self.env["ir.attachment"])
            if activity.sysengage_lead_id:
                attachments |= documents.get(activity.sysengage_lead_id.id, self.env["ir.attachment"])
            activity.sysengage_document_ids = attachments

    def _action_done(self, feedback=False, attachment_ids=None):
        # complaints and incidents are closed through the close wizard, which records a reason
        missing = self.filtered(lambda a: a.sysengage_requires_close_reason and not a.sysengage_close_reason_id)
        if missing:
            raise UserError(
                self.env._(
                    "%(activities)s must be closed with a reason: use the button 'Close with a reason'.",
                    activities=", ".join(missing.mapped(lambda a: a.summary or a.activity_type_id.name)),
                )
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def action_sysengage_close(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close with a reason"),
            "res_model": "sysengage.activity.close.wizard",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_activity_id": self.id},
        }
