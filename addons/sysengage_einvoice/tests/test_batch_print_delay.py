"""The batch runs of invoices do not wait Odoo's one-second script delay: same PDFs, less idle time."""

import io
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader

from odoo.addons.base.models import ir_actions_report as base_report
from odoo.addons.base.models.ir_actions_report import _wkhtml

from .common import EinvoiceCommon


@tagged("post_install", "-at_install")
class TestBatchPrintDelay(EinvoiceCommon):
    sysengage_render_pdf = True

    def _delays(self, render):
        """The script delays of the wkhtmltopdf runs made by ``render()``, and its result."""
        delays = []
        original = base_report._run_wkhtmltopdf

        def capturing(args):
            delays.append(args[args.index("--javascript-delay") + 1])
            return original(args)

        with patch.object(base_report, "_run_wkhtmltopdf", capturing):
            result = render()
        return delays, result

    def test_batch_run_waits_the_batch_delay_single_print_odoo_delay(self):
        self.env["ir.config_parameter"].set_param("report.print_delay", "1000")
        moves = self._post_invoice() | self._post_invoice()
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        delays, pdfs = self._delays(lambda: reports._sysengage_render_pdf_batch("account.account_invoices", moves.ids))
        # a patched wkhtmltopdf renders several documents in one run of Odoo's own (its delay kept)
        self.assertEqual(delays, ["1000"] if _wkhtml().is_patched_qt else ["200"])
        for move in moves:
            self.assertGreaterEqual(OdooPdfFileReader(io.BytesIO(pdfs[move.id]), strict=False).getNumPages(), 1)
        # one invoice printed: Odoo's delay
        delays, _pdf = self._delays(lambda: reports._render_qweb_pdf("account.account_invoices", moves[:1].ids))
        self.assertEqual(delays, ["1000"])

    def test_batch_delay_is_a_setting(self):
        self.assertIn(
            'name="sysengage_batch_print_delay"', self.env["res.config.settings"].get_view(view_type="form")["arch"]
        )
        self.assertEqual(self.env["res.config.settings"].create({}).sysengage_batch_print_delay, 200)
        self.env["res.config.settings"].create({"sysengage_batch_print_delay": 50}).execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("sysengage_einvoice.batch_print_delay"), "50")
        self.assertEqual(self.env["ir.actions.report"]._sysengage_batch_print_delay(), 50)
        moves = self._post_invoice() | self._post_invoice()
        delays, _pdfs = self._delays(
            lambda: (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._sysengage_render_pdf_batch("account.account_invoices", moves.ids)
            )
        )
        if not _wkhtml().is_patched_qt:
            self.assertEqual(delays, ["50"])
        for refused in (0, -5):
            with self.assertRaises(ValidationError):
                self.env["res.config.settings"].create({"sysengage_batch_print_delay": refused})
