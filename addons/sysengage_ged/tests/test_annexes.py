import io

from PyPDF2 import PdfFileReader

from odoo.tests import tagged

from .common import SysengageGedCommon, make_pdf


@tagged("post_install", "-at_install")
class TestGedAnnexes(SysengageGedCommon):
    def setUp(self):
        super().setUp()
        # real PDFs: wkhtmltopdf fetches the report assets from the test server on the test cursor
        self.enterContext(self.allow_pdf_render())

    def _render(self, invoice):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        self.assertEqual(report_type, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        return [reader.getPage(i).extractText() for i in range(reader.getNumPages())]

    def test_annexes_appended_in_order(self):
        invoice = self._ged_invoice(post=True)
        plain_pages = self._render(invoice)
        self._ged_document(invoice, make_pdf("ANNEX-SECOND"), "second.pdf", print_with_invoice=True, sequence=20)
        self._ged_document(
            invoice, make_pdf("ANNEX-FIRST-P1", "ANNEX-FIRST-P2"), "first.pdf", print_with_invoice=True, sequence=5
        )
        self._ged_document(
            self.customer, make_pdf("ANNEX-CUSTOMER"), "conditions.pdf", print_with_invoice=True, sequence=30
        )
        self._ged_document(invoice, make_pdf("NOT-AN-ANNEX"), "internal.pdf")
        other = self.env["res.partner"].create({"name": "Someone else"})
        self._ged_document(other, make_pdf("OTHER-CUSTOMER"), "other.pdf", print_with_invoice=True)

        pages = self._render(invoice)
        self.assertEqual(len(pages), len(plain_pages) + 4)
        annex_pages = [text.strip() for text in pages[len(plain_pages) :]]
        self.assertEqual(
            [next(word for word in text.split() if word.startswith(("ANNEX", "NOT", "OTHER"))) for text in annex_pages],
            ["ANNEX-FIRST-P1", "ANNEX-FIRST-P2", "ANNEX-SECOND", "ANNEX-CUSTOMER"],
        )
        self.assertNotIn("NOT-AN-ANNEX", " ".join(pages))
        self.assertNotIn("OTHER-CUSTOMER", " ".join(pages))
