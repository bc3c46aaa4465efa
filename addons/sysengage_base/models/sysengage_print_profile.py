import logging
import os
import shutil
import subprocess
import tempfile

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

PRINT_TIMEOUT = 30  # seconds given to the CUPS client


class SysengagePrintProfile(models.Model):
    """How a report is printed: copies, printer (CUPS), PDF attached to the record, or e-mail instead."""

    _name = "sysengage.print.profile"
    _description = "Sysengage Print Profile"
    _order = "report_id, company_id"
    _check_company_auto = True

    name = fields.Char(related="report_id.name", string="Report Name")
    active = fields.Boolean(default=True)
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Report",
        required=True,
        ondelete="cascade",
        domain=[("report_type", "=", "qweb-pdf")],
        index=True,
    )
    model = fields.Char(related="report_id.model", string="Model Name")
    company_id = fields.Many2one("res.company", string="Company", default=lambda self: self.env.company, index=True)
    copies = fields.Integer(default=1, required=True)
    printer_name = fields.Char(
        string="Default Printer", help="Name of the CUPS printer, as listed by 'lpstat -a' on the server."
    )
    attach_pdf = fields.Boolean(
        string="Attach the PDF to the Record", help="Each print or download saves the PDF on the record."
    )
    send_by_email = fields.Boolean(
        string="Send by E-mail Instead", help="The print dialog proposes to send the PDF by e-mail first."
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', model)]",
        help="Template of the e-mail proposed when the document is sent instead of printed.",
    )

    _report_company_unique = models.Constraint(
        "UNIQUE(report_id, company_id)", "A report has one print profile per company."
    )
    _copies_positive = models.Constraint("CHECK(copies >= 1)", "Print at least one copy.")

    @api.constrains("copies")
    def _check_copies(self):
        for profile in self:
            if profile.copies > 99:
                raise ValidationError(self.env._("Print at most 99 copies at once."))

    def action_check_printer(self):
        self.ensure_one()
        printers = self._list_printers()
        if self.printer_name and self.printer_name not in printers:
            raise UserError(
                self.env._(
                    "The printer %(printer)s is not known to CUPS on the server. Printers: %(printers)s",
                    printer=self.printer_name,
                    printers=", ".join(printers) or self.env._("none"),
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Printers"),
                "message": ", ".join(printers) or self.env._("No printer is installed."),
            },
        }

    @api.model
    def _get_profile(self, report, company=None):
        """The active profile of ``report`` for the company (or the one shared by all companies)."""
        company = company or self.env.company
        profiles = self.search(
            [("report_id", "=", report.id), ("company_id", "in", [company.id, False])], order="company_id"
        )
        return profiles.filtered("company_id")[:1] or profiles[:1]

    @api.model
    def _list_printers(self):
        """Names of the printers known to CUPS (``lpstat -a``); a clear error when CUPS is missing."""
        lpstat = shutil.which("lpstat")
        if not lpstat:
            raise UserError(
                self.env._("The CUPS client (lpstat) is not installed on the server: no printer can be used.")
            )
        try:
            result = subprocess.run([lpstat, "-a"], capture_output=True, text=True, timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise UserError(self.env._("Cannot list the printers: %(error)s", error=str(error))) from error
        return [line.split()[0] for line in result.stdout.splitlines() if line.strip()]

    @api.model
    def _sysengage_send_to_printer(self, printer, content, copies=1, title="document"):
        """Send PDF bytes to a CUPS printer with ``lp -d PRINTER -n COPIES file``; return lp's output."""
        if not printer:
            raise UserError(self.env._("Choose a printer."))
        lp = shutil.which("lp")
        if not lp:
            raise UserError(
                self.env._(
                    "The CUPS client (lp) is not installed on the server: print to PDF or send by e-mail instead."
                )
            )
        with tempfile.TemporaryDirectory(prefix="sysengage_print_") as tmpdir:
            path = os.path.join(tmpdir, "document.pdf")
            with open(path, "wb") as handle:
                handle.write(content)
            command = [lp, "-d", printer, "-n", str(int(copies)), "-t", title, path]
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT, check=False)
            except subprocess.TimeoutExpired as error:
                raise UserError(
                    self.env._("The printer %(printer)s did not answer in time.", printer=printer)
                ) from error
            except OSError as error:
                raise UserError(self.env._("Cannot run lp: %(error)s", error=str(error))) from error
        if result.returncode:
            raise UserError(
                self.env._(
                    "Printing on %(printer)s failed: %(error)s",
                    printer=printer,
                    error=(result.stderr or result.stdout or "").strip(),
                )
            )
        _logger.info("Sent %s to printer %s (%s copies)", title, printer, copies)
        return result.stdout.strip()
