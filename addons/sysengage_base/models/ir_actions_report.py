import logging

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools.safe_eval import safe_eval, time

_logger = logging.getLogger(__name__)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    sysengage_print_profile_ids = fields.One2many("sysengage.print.profile", "report_id", string="Print Profiles")

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # extends core: a PDF downloaded through the report route is logged on the records of models
        # keeping an event history, and attached to them when the print profile says so
        result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        event_type = self._sysengage_get_report_event_type()
        if event_type and res_ids and not self.env.context.get("sysengage_report_silent"):
            report = self._get_report(report_ref)
            records = self.env[report.model].browse([res_ids] if isinstance(res_ids, int) else res_ids).exists()
            if records:
                self._sysengage_after_print(report, records, result[0], event_type)
        return result

    def _sysengage_get_report_event_type(self):
        """``"download"`` when the PDF is rendered for the report download route, else None.

        The web client prints and downloads every PDF report through ``/report/download``: that is the
        event logged here. ``/report/pdf/...`` opened directly is a read-only route (no write possible
        in its transaction) and reports rendered by server code (e-mail attachments, archiving) are not
        prints: a print on a printer is logged by the print wizard, a send by ``message_post``.
        """
        if not request or self.env.cr.readonly:
            return None
        if request.httprequest.path.startswith("/report/download"):
            return "download"
        return None

    def _sysengage_after_print(self, report, records, content, event_type, description=None):
        """Log the print/download on the records and attach the PDF when the profile asks for it."""
        if hasattr(records, "_sysengage_log_event"):
            if not description:
                if event_type == "download":
                    description = self.env._("Downloaded %(report)s", report=report.name)
                else:
                    description = self.env._("Printed %(report)s", report=report.name)
            records._sysengage_log_event(event_type, description)
        profile = self.env["sysengage.print.profile"]._sysengage_get_profile(report)
        if profile.attach_pdf:
            self._sysengage_attach_pdf(report, records, content)

    def _sysengage_attach_pdf(self, report, records, content):
        """Save the PDF on each record (one rendering per record when several were printed together)."""
        vals_list = []
        for record in records:
            if len(records) > 1:
                content = self.with_context(sysengage_report_silent=True)._render_qweb_pdf(report, record.ids)[0]
            vals_list.append(
                {
                    "name": self._sysengage_attachment_name(report, record),
                    "raw": content,
                    "res_model": record._name,
                    "res_id": record.id,
                    "mimetype": "application/pdf",
                }
            )
        try:
            return self.env["ir.attachment"].create(vals_list)
        except AccessError:
            _logger.info("User %s cannot attach %s to the printed records", self.env.user.login, report.name)
            return self.env["ir.attachment"]

    def _sysengage_attachment_name(self, report, record):
        name = ""
        if report.print_report_name:
            name = safe_eval(report.print_report_name, {"object": record, "time": time})
        name = name or f"{report.name} - {record.display_name}"
        return name if name.lower().endswith(".pdf") else f"{name}.pdf"
