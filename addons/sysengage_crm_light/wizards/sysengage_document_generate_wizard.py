from odoo import api, fields, models
from odoo.exceptions import UserError


class SysengageDocumentGenerateWizard(models.TransientModel):
    _name = "sysengage.document.generate.wizard"
    _description = "Generate a document from a template"

    template_id = fields.Many2one("sysengage.document.template", required=True)
    template_model = fields.Char(related="template_id.model")
    partner_id = fields.Many2one("res.partner", string="Customer")
    lead_id = fields.Many2one("crm.lead", string="Opportunity")
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "res.partner" and context.get("active_id"):
            values.setdefault("partner_id", context["active_id"])
        if context.get("active_model") == "crm.lead" and context.get("active_id"):
            values.setdefault("lead_id", context["active_id"])
        return values

    def _get_record(self):
        self.ensure_one()
        record = self.lead_id if self.template_model == "crm.lead" else self.partner_id
        if not record:
            raise UserError(
                self.env._("Choose the %(target)s the document is for.", target=self.template_id.model_id.name)
            )
        return record

    def action_generate(self):
        self.ensure_one()
        record = self._get_record()
        attachment = self.template_id._sysengage_generate(record)
        self.attachment_id = attachment
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
