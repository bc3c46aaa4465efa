import io
import json
import subprocess

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.pdf import OdooPdfFileReader

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..tools.renderer_health import parse_version, probe_findings, url_answers
from .ir_actions_report import _page_text

HEALTH_PARAM = "sysengage_einvoice.renderer_health"  # JSON of the last check (system parameter)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sysengage_renderer_checked = fields.Datetime(string="Renderer checked on", compute="_compute_sysengage_renderer")
    sysengage_renderer_version = fields.Char(string="wkhtmltopdf", compute="_compute_sysengage_renderer")
    sysengage_renderer_patched = fields.Boolean(string="Patched Qt", compute="_compute_sysengage_renderer")
    sysengage_renderer_header = fields.Boolean(string="Headers and footers kept", compute="_compute_sysengage_renderer")
    sysengage_renderer_text = fields.Boolean(string="Text layer kept", compute="_compute_sysengage_renderer")
    sysengage_renderer_url = fields.Char(string="Report address", compute="_compute_sysengage_renderer")
    sysengage_renderer_url_ok = fields.Boolean(string="Report address answers", compute="_compute_sysengage_renderer")
    sysengage_renderer_fixes = fields.Text(string="To fix", compute="_compute_sysengage_renderer")
    sysengage_batch_print_delay = fields.Integer(
        string="Script delay of batch runs (ms)",
        config_parameter="sysengage_einvoice.batch_print_delay",
        default=200,
        help="How long wkhtmltopdf waits for the scripts of a page when it renders invoices in batches (archive, "
        "dispatch, print batches). Invoices have none: the one second Odoo waits for any other PDF "
        "(report.print_delay) would be idle time in each batch. Raise it only for an invoice layout drawn by "
        "JavaScript.",
    )

    @api.constrains("sysengage_batch_print_delay")
    def _check_sysengage_batch_print_delay(self):
        for settings in self:
            # (0 cannot be kept: Odoo stores no integer setting of 0, the default would come back)
            if settings.sysengage_batch_print_delay < 1:
                raise ValidationError(self.env._("The script delay of batch runs is at least 1 millisecond."))

    @api.depends("company_id")
    def _compute_sysengage_renderer(self):
        health = self._sysengage_renderer_health()
        for settings in self:
            settings.sysengage_renderer_checked = health.get("checked") or False
            settings.sysengage_renderer_version = health.get("version") or False
            settings.sysengage_renderer_patched = health.get("patched", False)
            settings.sysengage_renderer_header = health.get("header", False)
            settings.sysengage_renderer_text = health.get("text_layer", False)
            settings.sysengage_renderer_url = health.get("url") or False
            settings.sysengage_renderer_url_ok = health.get("url_ok", False)
            settings.sysengage_renderer_fixes = "\n".join(health.get("fixes") or []) or False

    @api.model
    def _sysengage_renderer_health(self):
        """The findings of the last renderer check (empty before the first one)."""
        raw = self.env["ir.config_parameter"].sudo().get_param(HEALTH_PARAM)
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}

    def action_sysengage_check_renderer(self):
        """Check the PDF renderer now (version, probe report, report address) and keep the findings."""
        if not self.env.user.has_group("base.group_system"):
            raise UserError(self.env._("Only administrators check the PDF renderer."))
        health = self._sysengage_check_renderer()
        # sudo: the findings are kept as a system parameter, written by this administrator's check
        self.env["ir.config_parameter"].sudo().set_param(HEALTH_PARAM, json.dumps(health))
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _sysengage_check_renderer(self):
        report_model = self.env["ir.actions.report"]
        url = report_model._get_report_url()
        health = {"checked": fields.Datetime.to_string(fields.Datetime.now()), "url": url}
        wkhtml = _wkhtml()
        version, patched = "", False
        if wkhtml.bin:
            output = subprocess.run([wkhtml.bin, "--version"], capture_output=True, text=True, check=False, timeout=30)
            version, patched = parse_version(output.stdout)
        health.update(version=version, patched=patched)
        health["url_ok"], url_error = url_answers(url)
        probe = {"header": False, "text_layer": False, "footer": False}
        probe_error = False
        if version:
            try:
                pdf = report_model.with_context(force_report_rendering=True)._render_qweb_pdf(
                    "sysengage_einvoice.report_renderer_probe_action", self.env.company.ids
                )[0]
                reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
                probe = probe_findings(_page_text(reader.getPage(page)) for page in range(reader.getNumPages()))
            except UserError as error:
                probe_error = str(error.args[0] if error.args else error)
        health.update(probe)
        health["fixes"] = self._sysengage_renderer_fixes(health, url_error, probe_error)
        return health

    @api.model
    def _sysengage_renderer_fixes(self, health, url_error, probe_error):
        fixes = []
        if not health["version"]:
            fixes.append(self.env._("wkhtmltopdf is not installed: install 0.12.6.1 with patched Qt."))
        elif not health["patched"] or not health["header"] or not health["footer"]:
            fixes.append(
                self.env._(
                    "wkhtmltopdf %(version)s drops the report headers and footers (company address, VAT "
                    "number, bank details): install wkhtmltopdf 0.12.6.1 with patched Qt (the wkhtmltopdf.org "
                    "package for your distribution), not the distribution's own package.",
                    version=health["version"],
                )
            )
        if health["version"] and not health["text_layer"]:
            fixes.append(
                self.env._(
                    "The PDF text cannot be extracted (web fonts drawn as paths: no search, copy nor "
                    "accessibility): install the report font on the server (Debian and Ubuntu: fonts-lato; the "
                    "package of the company's report font if it is another), or the wkhtmltopdf build with "
                    "patched Qt."
                )
            )
        if not health["url_ok"]:
            fixes.append(
                self.env._(
                    "The report address %(url)s does not answer (%(error)s): wkhtmltopdf loads the report "
                    "styles from it. Set the system parameter report.url to an address at which this server "
                    "reaches itself (e.g. http://127.0.0.1:8069), or correct web.base.url.",
                    url=health["url"],
                    error=url_error,
                )
            )
        if probe_error:
            fixes.append(probe_error)
        return fixes
