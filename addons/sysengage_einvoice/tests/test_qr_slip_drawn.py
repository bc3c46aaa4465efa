import io
from unittest.mock import patch

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pypdf import PdfReader

from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader

from ..models.ir_actions_report import _overlay_written, overlay_last_page
from ..tools.pdf_increment import has_xref_table
from .common import EinvoiceCommon


@tagged("post_install", "-at_install")
class TestQrSlipDrawn(EinvoiceCommon):
    """The QR-bill slip drawn from core l10n_ch's payload instead of one wkhtmltopdf run per invoice."""

    sysengage_render_pdf = True

    def _render(self, report_ref, moves):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, moves.ids)
        )
        self.assertEqual(kind, "pdf")
        return PdfReader(io.BytesIO(pdf))

    def _payload(self, move):
        bank = move.partner_bank_id
        vals = move._sysengage_qr_code_vals()
        return bank._get_qr_code_generation_params(**vals)["value"].split("\n")

    def test_slip_prints_what_the_code_carries(self):
        move = self._post_invoice()
        payload = self._payload(move)
        reader = self._render("l10n_ch.l10n_ch_qr_report", move)
        self.assertEqual(len(reader.pages), 1)
        self.assertIn("ReportLab", reader.metadata.producer or "")
        text = reader.pages[0].extract_text()
        reference = payload[28]
        self.assertEqual(payload[27], "QRR")
        spaced = " ".join([reference[:2]] + [reference[i : i + 5] for i in range(2, 27, 5)])
        for expected in ("Receipt", "Payment part", "Acceptance point", spaced, self.customer.name, payload[5]):
            self.assertIn(expected, text)
        amount = float(payload[18])
        self.assertEqual(amount, move.amount_residual)
        self.assertIn(f"{amount:,.2f}".replace(",", " "), text)

    def test_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("de_CH")
        self.customer.lang = "de_CH"
        move = self._post_invoice()
        text = self._render("l10n_ch.l10n_ch_qr_report", move).pages[0].extract_text()
        self.assertIn("Zahlteil", text)
        self.assertIn("Empfangsschein", text)

    def test_same_values_as_the_core_slip(self):
        """Each value that core l10n_ch's HTML slip shows is on the drawn slip too."""
        move = self._post_invoice()
        html = self.env["ir.actions.report"]._render_qweb_html("l10n_ch.qr_report_main", move.ids)[0].decode()
        text = self._render("l10n_ch.l10n_ch_qr_report", move).pages[0].extract_text()
        for value in (move.company_id.partner_id.name, self.customer.name, "Bahnhofstrasse 1", move.currency_id.name):
            self.assertIn(value, html)
            self.assertIn(value, text)
        spaced = move.space_qrr_reference(move.payment_reference).strip()
        self.assertIn(spaced, html)
        self.assertIn(spaced, text)

    def test_invoice_pdf_carries_the_drawn_slip(self):
        move = self._post_invoice()
        reader = self._render("account.account_invoices", move)
        last = reader.pages[-1].extract_text()
        self.assertIn(move.space_qrr_reference(move.payment_reference).strip(), last)
        self.assertIn("Payment part", last)

    def test_slip_overlaid_on_the_last_page_without_core_page_merge(self):
        # the drawn slip is put over the invoice's last page as a form (overlay_last_page): core l10n_ch's merge,
        # which parses both pages, is not run (its PDF reader would be called)
        move = self._post_invoice()
        with patch(
            "odoo.addons.l10n_ch.models.ir_actions_report.OdooPdfFileReader", side_effect=AssertionError("core merge")
        ):
            reader = self._render("account.account_invoices", move)
        last = reader.pages[-1]
        self.assertIn("/SysengageOverlay", last["/Resources"]["/XObject"])
        text = last.extract_text()
        self.assertIn("Payment part", text)
        self.assertIn(move.space_qrr_reference(move.payment_reference).strip(), text)
        # the invoice's own page content is still there, under the slip
        plain = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        move.sysengage_qr_payment_part = "without"
        without, _kind = plain._render_qweb_pdf("account.account_invoices", move.ids)
        self.assertNotIn("Payment part", PdfReader(io.BytesIO(without)).pages[-1].extract_text())

    def test_slip_appended_to_the_invoice_pdf_as_a_revision(self):
        # the invoice's PDF is kept byte for byte: the slip, its resources and the last page's new version are
        # appended (an incremental update), the same page as the whole file written again
        move = self._post_invoice()
        move.sysengage_qr_payment_part = "without"
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        invoice, _kind = report._render_qweb_pdf("account.account_invoices", move.ids)
        slip = report._sysengage_draw_qr_bills(move)[0]
        overlaid = overlay_last_page(invoice, slip)
        self.assertTrue(overlaid.startswith(invoice))
        self.assertEqual(PdfFileReader(io.BytesIO(overlaid), strict=True).xrefs.total_revisions, 2)
        reader = PdfReader(io.BytesIO(overlaid), strict=True)
        written = PdfReader(io.BytesIO(self._overlay_written(invoice, slip)), strict=True)
        self.assertEqual(len(reader.pages), len(written.pages))
        for page, expected in zip(reader.pages, written.pages, strict=True):
            self.assertEqual(page.extract_text(), expected.extract_text())
        last = reader.pages[-1]
        self.assertIn("Payment part", last.extract_text())
        self.assertIn(move.space_qrr_reference(move.payment_reference).strip(), last.extract_text())
        self.assertEqual(last.get_contents().get_data(), written.pages[-1].get_contents().get_data())
        form, expected_form = (
            pdf_page["/Resources"]["/XObject"]["/SysengageOverlay"] for pdf_page in (last, written.pages[-1])
        )
        self.assertEqual(form.get_data(), expected_form.get_data())
        self.assertEqual(form["/BBox"], expected_form["/BBox"])

    def test_slip_over_a_pdf_indexed_by_a_stream_written_whole(self):
        # a PDF whose cross-references are a stream gets no appended table: the whole file is written again
        move = self._post_invoice()
        move.sysengage_qr_payment_part = "without"
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        invoice, _kind = report._render_qweb_pdf("account.account_invoices", move.ids)
        out = io.BytesIO()
        reader = PdfFileReader(io.BytesIO(invoice), strict=False)
        copy_into_new_writer(reader, writer_kwargs={"stream_xrefs": True}).write(out)
        indexed_by_stream = out.getvalue()
        self.assertFalse(has_xref_table(indexed_by_stream))
        overlaid = overlay_last_page(indexed_by_stream, report._sysengage_draw_qr_bills(move)[0])
        self.assertFalse(overlaid.startswith(indexed_by_stream[:-100]))
        last = PdfReader(io.BytesIO(overlaid), strict=True).pages[-1]
        self.assertIn("Payment part", last.extract_text())
        self.assertIn("/SysengageOverlay", last["/Resources"]["/XObject"])

    @staticmethod
    def _overlay_written(invoice, slip):
        reader = OdooPdfFileReader(io.BytesIO(invoice), strict=False)
        last = reader.getPage(reader.getNumPages() - 1)
        return _overlay_written(reader, last, OdooPdfFileReader(io.BytesIO(slip), strict=False).getPage(0))

    def test_core_renderer_on_request(self):
        self.env["ir.config_parameter"].set_param("sysengage_einvoice.qr_bill_renderer", "wkhtmltopdf")
        move = self._post_invoice()
        reader = self._render("l10n_ch.l10n_ch_qr_report", move)
        self.assertNotIn("ReportLab", reader.metadata.producer or "")

    def test_no_slip_without_payment_part(self):
        move = self._post_invoice()
        move.sysengage_qr_payment_part = "without"
        streams = self.env["ir.actions.report"]._render_qweb_pdf_prepare_streams(
            "l10n_ch.l10n_ch_qr_report", {}, res_ids=move.ids
        )
        self.assertEqual(streams, {})
