"""A printed invoice carries its text: the report fonts installed on the server are used before core's web
fonts, which the Linux distributions' wkhtmltopdf draws as shapes (no text to search, copy or index, and a PDF
several times heavier)."""

import io
import subprocess

from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader

from .common import SysengageCommon


def _page_fonts(reader):
    """The PDF names of the fonts used by the pages of ``reader``, without their subset prefix."""
    names = set()
    for index in range(reader.getNumPages()):
        resources = reader.getPage(index).get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object() if fonts is not None else {}).values():
            names.add(str(font.get_object().get("/BaseFont", "")).lstrip("/").split("+")[-1])
    return names


@tagged("post_install", "-at_install")
class TestReportFonts(SysengageCommon):
    sysengage_render_pdf = True

    def test_invoice_pdf_holds_its_text_in_the_installed_font(self):
        installed = subprocess.run(
            ["fc-list", ":family=Lato", "family"], capture_output=True, text=True, check=False
        ).stdout
        self.assertTrue(installed.strip(), "the Lato font is not installed on this server (Debian: fonts-lato)")
        customer = self._create_customer("Textfinder Verlag AG")
        move = self._create_invoice(customer, [(self._create_service("Lektorat", 95.0), 3, 95.0)], post=True)
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", move.ids)[0]
        )
        reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
        self.assertIn("Lato-Regular", _page_fonts(reader), "the report font embedded as a font")
        text = "".join(reader.getPage(0).extract_text().split())
        # the invoice's own words are text in the PDF, not shapes
        self.assertIn(move.name, text)
        self.assertIn("TextfinderVerlagAG", text)
        self.assertIn("Lektorat", text)
