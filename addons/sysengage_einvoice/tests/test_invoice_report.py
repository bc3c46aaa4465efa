import io

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import EinvoiceCommon


@tagged("post_install", "-at_install")
class TestInvoiceReport(EinvoiceCommon):
    sysengage_render_pdf = True

    def test_vat_detail_per_tax_code(self):
        move = self._post_invoice()
        detail = {line["rate"]: (line["base"], line["amount"]) for line in move._sysengage_vat_detail()}
        self.assertEqual(detail, {8.1: (300.0, 24.3), 2.6: (40.0, 1.04)})
        html = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", move.ids)[0].decode()
        self.assertIn("sysengage_vat_detail", html)
        self.assertIn("24.30", html)
        self.assertIn("1.04", html)

    def test_amount_in_words_in_the_customer_language(self):
        self.customer.sysengage_amount_in_words = True
        self.env["res.lang"]._activate_lang("fr_CH")
        self.customer.lang = "fr_CH"
        move = self._post_invoice(lines=[(self.consulting, 1, 1824.0)])  # 1824 + 8.1 % = 1971.74
        self.assertEqual(
            move.sysengage_amount_words, "mille neuf cent septante et un francs et septante-quatre centimes"
        )
        html = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", move.ids)[0].decode()
        self.assertIn("septante et un francs", html)

    def _pdf_pages(self, move):
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", move.ids)[0]
        )
        return PdfFileReader(io.BytesIO(pdf), strict=False).getNumPages()

    def test_printed_with_and_without_payment_part(self):
        move = self._post_invoice()
        qr_html = self.env["ir.actions.report"]._render_qweb_html("l10n_ch.qr_report_main", move.ids)[0].decode()
        self.assertIn("Payment part", qr_html)
        self.assertEqual(self._pdf_pages(move), 2, "l10n_ch prints the QR-bill on its own last page")
        move.sysengage_qr_payment_part = "without"
        self.assertEqual(self._pdf_pages(move), 1, "no page break kept for a payment part that is not printed")

    def test_paid_invoice_prints_without_payment_part(self):
        move = self._post_invoice()
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {}
        )._create_payments()
        self.assertTrue(move.currency_id.is_zero(move.amount_residual))
        # a QR-bill of 0.00 cannot be made (l10n_ch raises): the paid invoice prints (and is archived) without it
        self.assertEqual(self._pdf_pages(move), 1)

    def test_print_profile_decides_when_the_invoice_does_not(self):
        move = self._post_invoice()
        report = self.env.ref("account.account_invoices")
        profile = self.env["sysengage.print.profile"].create(
            {"report_id": report.id, "company_id": self.company.id, "sysengage_qr_payment_part": "without"}
        )
        self.assertEqual(self._pdf_pages(move), 1)
        # the invoice's own choice wins over the profile
        move.sysengage_qr_payment_part = "with"
        self.assertTrue(move._sysengage_wants_payment_part(profile=profile))
        self.customer.sysengage_qr_payment_part = "without"
        move.sysengage_qr_payment_part = "default"
        profile.sysengage_qr_payment_part = "with"
        self.assertTrue(move._sysengage_wants_payment_part(profile=profile))
        self.assertFalse(move._sysengage_wants_payment_part())
        self.assertTrue(move._sysengage_wants_payment_part(force=True))
