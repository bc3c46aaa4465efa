from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import html_sanitize


class ReportSysengageDocumentTemplate(models.AbstractModel):
    _name = "report.sysengage_crm_light.report_document_template"
    _description = "Sysengage Document Template Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        # ``data`` reaches the report routes from the URL (``?options=``): only the record to print
        # on is taken from it; the subject and body are always rendered here from the stored
        # template, then sanitized, so no markup of the request is ever printed.
        templates = self.env["sysengage.document.template"].browse(docids).exists()
        templates.check_access("read")
        record = self._sysengage_get_record(templates, data or {})
        rendered = {}
        for template in templates:
            subject, body = template._sysengage_render(record)[record.id] if record else (template.name, "")
            rendered[template.id] = (subject, Markup(html_sanitize(body, sanitize_style=True)))
        partner = False
        if record:
            partner = record if record._name == "res.partner" else record.partner_id
        return {
            "doc_ids": templates.ids,
            "doc_model": "sysengage.document.template",
            "docs": templates,
            "record": record,
            "partner": partner,
            "company": (record.company_id if record and "company_id" in record._fields else None) or self.env.company,
            "rendered": rendered,
        }

    @api.model
    def _sysengage_get_record(self, templates, data):
        """The customer or opportunity named by ``data``, once checked against the templates and access rights."""
        model_name, record_id = data.get("record_model"), data.get("record_id")
        if not model_name:
            return None
        if set(templates.mapped("model")) != {model_name} or not isinstance(record_id, int):
            raise UserError(self.env._("These templates cannot be printed on this record."))
        record = self.env[model_name].browse(record_id).exists()
        if not record:
            raise UserError(self.env._("The record to print the document on no longer exists."))
        record.check_access("read")
        return record
