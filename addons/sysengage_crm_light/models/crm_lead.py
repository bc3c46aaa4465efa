from odoo import api, fields, models
from odoo.fields import Domain


class CrmLead(models.Model):
    _inherit = "crm.lead"

    sysengage_last_activity_date = fields.Datetime(
        string="Without activity since",
        compute="_compute_sysengage_last_activity_date",
        store=True,
        help="When the opportunity was left without any planned activity; empty while one is planned.",
    )
    sysengage_potential_amount = fields.Monetary(
        related="partner_id.commercial_partner_id.sysengage_potential_amount",
        string="Customer potential",
        currency_field="sysengage_currency_id",
    )
    sysengage_currency_id = fields.Many2one(related="partner_id.commercial_partner_id.sysengage_currency_id")
    sysengage_potential_rating = fields.Selection(
        related="partner_id.commercial_partner_id.sysengage_potential_rating", string="Potential rating"
    )
    sysengage_grouping_code_ids = fields.Many2many(
        related="partner_id.commercial_partner_id.sysengage_grouping_code_ids", string="Grouping codes"
    )
    sysengage_last_offer_date = fields.Date(
        related="partner_id.commercial_partner_id.sysengage_last_offer_date", string="Last offer"
    )
    sysengage_document_ids = fields.Many2many(
        "ir.attachment",
        string="Documents",
        compute="_compute_sysengage_document_ids",
        help="Files attached to the opportunity and to its activities, open or done.",
    )
    sysengage_document_count = fields.Integer(string="Document count", compute="_compute_sysengage_document_ids")

    @api.depends("activity_ids", "activity_ids.active")
    def _compute_sysengage_last_activity_date(self):
        now = fields.Datetime.now()
        for lead in self:
            if lead.activity_ids:
                lead.sysengage_last_activity_date = False
            elif not lead.sysengage_last_activity_date:
                lead.sysengage_last_activity_date = now

    def _compute_sysengage_document_ids(self):
        documents = self._sysengage_get_documents()
        for lead in self:
            lead.sysengage_document_ids = documents.get(lead.id, self.env["ir.attachment"])
            lead.sysengage_document_count = len(lead.sysengage_document_ids)

    def _sysengage_get_documents(self):
        """{lead id: attachments} of the leads and of all their activities (done ones are archived)."""
        if not self.ids:
            return {}
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search_fetch([("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id", "attachment_ids"])
        )
        lead_of_activity = {activity.id: activity.res_id for activity in activities}
        domain = Domain("res_model", "=", self._name) & Domain("res_id", "in", self.ids)
        if activities:
            domain |= Domain("res_model", "=", "mail.activity") & Domain("res_id", "in", activities.ids)
            linked = activities.attachment_ids
            if linked:
                domain |= Domain("id", "in", linked.ids)
        attachments = self.env["ir.attachment"].search(domain, order="create_date desc, id desc")
        linked_leads = {}
        for activity in activities:
            for attachment in activity.attachment_ids:
                linked_leads.setdefault(attachment.id, set()).add(activity.res_id)
        result = {}
        for attachment in attachments:
            if attachment.res_model == self._name:
                lead_ids = {attachment.res_id}
            elif attachment.res_model == "mail.activity" and attachment.res_id in lead_of_activity:
                lead_ids = {lead_of_activity[attachment.res_id]}
            else:
                lead_ids = linked_leads.get(attachment.id, set())
            for lead_id in lead_ids:
                result[lead_id] = result.get(lead_id, self.env["ir.attachment"]) | attachment
        return result

    def action_sysengage_open_documents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Documents"),
            "res_model": "ir.attachment",
            "views": [(False, "kanban"), (False, "list"), (False, "form")],
            "domain": [("id", "in", self.sysengage_document_ids.ids)],
            "context": {"default_res_model": self._name, "default_res_id": self.id, "create": True},
        }
