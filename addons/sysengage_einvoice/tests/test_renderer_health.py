from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_actions_report import _wkhtml

from .common import EinvoiceCommon
from .servers import free_port


@tagged("post_install", "-at_install")
class TestRendererHealth(EinvoiceCommon):
    sysengage_render_pdf = True

    def _check(self):
        settings = self.env["res.config.settings"].create({})
        settings.action_sysengage_check_renderer()
        return self.env["res.config.settings"].create({})

    def test_findings_of_this_renderer(self):
        settings = self._check()
        patched = _wkhtml().is_patched_qt
        self.assertTrue(settings.sysengage_renderer_version.startswith("0.12"), settings.sysengage_renderer_version)
        self.assertEqual(settings.sysengage_renderer_patched, patched)
        # headers and footers come out only with patched Qt: the probe proves it on this machine
        self.assertEqual(settings.sysengage_renderer_header, patched)
        self.assertTrue(settings.sysengage_renderer_url_ok, settings.sysengage_renderer_fixes)
        self.assertTrue(settings.sysengage_renderer_checked)
        if not patched:
            self.assertIn("patched Qt", settings.sysengage_renderer_fixes)
        # the report font is installed on this machine (fonts-lato): even Debian's wkhtmltopdf writes real text
        self.assertTrue(settings.sysengage_renderer_text, settings.sysengage_renderer_fixes)
        self.assertNotIn("text cannot be extracted", settings.sysengage_renderer_fixes or "")
        self.assertNotIn("does not answer", settings.sysengage_renderer_fixes or "")

    def test_closed_report_address_is_reported_with_its_fix(self):
        closed = f"http://127.0.0.1:{free_port()}"
        self.env["ir.config_parameter"].set_param("report.url", closed)
        with mute_logger("odoo.addons.sysengage_einvoice.models.ir_actions_report"):
            settings = self._check()
        self.assertEqual(settings.sysengage_renderer_url, closed)
        self.assertFalse(settings.sysengage_renderer_url_ok)
        self.assertIn("report.url", settings.sysengage_renderer_fixes)
        self.assertIn("without its styles", settings.sysengage_renderer_fixes)

    def test_only_administrators_check(self):
        manager = self._create_user(
            "einvoice_settings_manager",
            "base.group_user,account.group_account_manager,sysengage_einvoice.group_manager",
        )
        with self.assertRaises(UserError):
            self.env["res.config.settings"].with_user(manager).action_sysengage_check_renderer()
