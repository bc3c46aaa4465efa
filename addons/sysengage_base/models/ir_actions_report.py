import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval, time

from .sysengage_event_mixin import keeps_history

_logger = logging.getLogger(__name__)


class IrActionsReport(models.Model):
    """Extends base: print profiles, and the print/download event of the records printed.

    Report pipeline options
    -----------------------
    The suite's options of a rendering travel in the report ``data`` as one
    :class:`~odoo.addons.sysengage_base.tools.report_options.ReportOptions` (``force_payment_part``,
    ``print_profile_id``, ``batch``): see that module. A client cannot set them (a JSON value under
    their key is ignored), and no context key of the suite silences the event history or changes what
    a print shows. The print/download event is logged by the report controller
    (``controllers/report.py``) and by the print wizard, never by the rendering itself: server code
    rendering a PDF has nothing to silence.
    """

    _inherit = "ir.actions.report"

    sysengage_print_profile_ids = fields.One2many("sysengage.print.profile", "report_id", string="Print Profiles")

    @api.model
    def _sysengage_renders_batches(self):
        """Whether a rendering with the ``batch`` option gives one PDF per record of a multi-record wkhtmltopdf
        run on any wkhtmltopdf (an unpatched one converts a single document per run). False here; an addon that
        cuts a batch run back per record (sysengage_einvoice) says True, and callers then render in batches."""
        return False

    @api.model
    def _sysengage_log_download(self, report_ref, res_ids, content):
        """Log the download of ``content``, the PDF of ``report_ref`` for ``res_ids``, on the records
        keeping an event history, and attach it to them when the print profile says so.

        Called by the report controller (``/report/download``, through which the web client prints and
        downloads every PDF report) once the PDF is made; reports rendered by server code (e-mail
        attachments, archiving, dispatch) are not prints: a print on a printer is logged by the print
        wizard, a send by ``message_post``.
        """
        report = self._get_report(report_ref)
        records = self.env[report.model].browse(res_ids).exists()
        if records:
            self._sysengage_after_print(report, records, content, "download")

    def _sysengage_after_print(self, report, records, content, event_type, description=None):
        """Log the print/download on the records and attach the PDF when the profile asks for it."""
        if keeps_history(records):
            if not description:
                if event_type == "download":
                    description = self.env._("Downloaded %(report)s", report=report.name)
                else:
                    description = self.env._("Printed %(report)s", report=report.name)
            records._sysengage_log_event(event_type, description)
        profile = self.env["sysengage.print.profile"]._get_profile(report)
        if profile.attach_pdf:
            self._sysengage_attach_pdf(report, records, content)

    def _sysengage_attach_pdf(self, report, records, content):
        """Save the PDF on each record (one rendering per record when several were printed together)."""
        vals_list = []
        for record in records:
            if len(records) > 1:
                content = self._render_qweb_pdf(report, record.ids)[0]
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
