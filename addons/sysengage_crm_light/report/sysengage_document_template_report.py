from markupsafe import Markup

from odoo import api, models


class ReportSysengageDocumentTemplate(models.AbstractModel):
    _name = "report.sysengage_crm_light.report_document_template"
    _description = "Sysengage Document Template Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        record = self.env[data["record_model"]].browse(data["record_id"]) if data.get("record_model") else None
        partner = False
        if record is not None:
            partner = record if record._name == "res.partner" else record.partner_id
        return {
            "doc_ids": docids,
            "doc_model": "sysengage.document.template",
            "docs": self.env["sysengage.document.template"].browse(docids),
            "record": record,
            "partner": partner,
            "company": (record.company_id if record is not None and "company_id" in record._fields else None)
            or self.env.company,
            "subject": data.get("subject", ""),
            "body": Markup(data.get("body") or ""),
        }
