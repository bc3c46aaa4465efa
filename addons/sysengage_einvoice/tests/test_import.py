import base64
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import EinvoiceCommon

CSV = (
    "Nr;Kunde;Datum;Text;Menge;Preis;MWST\n"
    "A-100;Muster AG;20.11.2026;Beratung;2;150;8.1\n"
    "A-100;Muster AG;20.11.2026;Buch;1;40;2.6\n"
    "A-101;Unbekannt GmbH;21.11.2026;Beratung;1;100;8.1\n"
)


@tagged("post_install", "-at_install")
class TestImport(EinvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.vat = "CHE-109.322.551 MWST"
        cls.company.phone = "+41 21 555 12 12"
        cls.mapping = cls.env["sysengage.einvoice.import.mapping"].create(
            {
                "name": "Old ERP",
                "delimiter": ";",
                "date_format": "%d.%m.%Y",
                "col_number": "Nr",
                "col_partner_name": "Kunde",
                "col_invoice_date": "Datum",
                "col_description": "Text",
                "col_quantity": "Menge",
                "col_price_unit": "Preis",
                "col_tax_rate": "MWST",
            }
        )

    def _wizard(self, data, filename, **vals):
        return self.env["sysengage.einvoice.import"].create(
            {"file": base64.b64encode(data), "filename": filename, **vals}
        )

    def _external_xml(self, builder):
        move = self._post_invoice()
        xml = self.env[builder]._export_invoice(move)[0]
        number = move.name
        move.button_draft()
        move.unlink()
        return xml.replace(number.encode(), b"EXT-2026-0042")

    def test_ubl_import_and_duplicate(self):
        xml = self._external_xml("account.edi.xml.ubl_bis3")
        wizard = self._wizard(xml, "ext.xml")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped("status"), ["ok"])
        self.assertEqual(wizard.line_ids.partner_id, self.customer)
        wizard.action_import()
        move = wizard.line_ids.move_id
        self.assertEqual(move.sysengage_external_number, "EXT-2026-0042")
        self.assertAlmostEqual(move.amount_total, 365.34)
        self.assertEqual(sorted(move.invoice_line_ids.tax_ids.mapped("amount")), [2.6, 8.1])
        again = self._wizard(xml, "ext.xml")
        again.action_preview()
        self.assertEqual(again.line_ids.status, "duplicate")
        again.action_import()
        self.assertEqual(again.imported_count, 0)

    def test_cii_in_facturx_pdf_and_yellowbill(self):
        xml = self._external_xml("account.edi.xml.cii")
        wizard = self._wizard(xml, "ext-cii.xml", post_invoices=True)
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.line_ids.move_id.state, "posted")
        self.assertAlmostEqual(wizard.line_ids.move_id.amount_total, 365.34)

        self.customer.sysengage_ebill_recipient_id = "41105000000000001"
        channel = self._channel("ebill", ebill_biller_id="41101000001021209")
        move = self._post_invoice()
        files = channel.with_context(force_report_rendering=False)._build_files(move)
        yellowbill = files[0]["raw"].replace(move.name.encode(), b"YB-77")
        wizard = self._wizard(yellowbill, "yb.xml")
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.line_ids.move_id.sysengage_external_number, "YB-77")
        self.assertAlmostEqual(wizard.line_ids.move_id.amount_total, 365.34)

    def test_csv_with_mapping_and_rejection_list(self):
        before = self.env["account.move"].search_count([])
        wizard = self._wizard(CSV.encode(), "export.csv", mapping_id=self.mapping.id)
        wizard.action_preview()
        lines = {line.external_number: line for line in wizard.line_ids}
        self.assertEqual(lines["A-100"].status, "ok")
        self.assertEqual(lines["A-100"].line_count, 2)
        self.assertEqual(lines["A-101"].status, "rejected")
        self.assertIn("Unbekannt GmbH", lines["A-101"].reason)
        wizard.action_import()
        self.assertEqual((wizard.imported_count, wizard.rejected_count), (1, 1))
        self.assertEqual(self.env["account.move"].search_count([]), before + 1)
        self.assertAlmostEqual(lines["A-100"].move_id.amount_total, 365.34)

    def test_xlsx_with_mapping(self):
        book = openpyxl.Workbook()
        sheet = book.active
        lines = CSV.splitlines()
        sheet.append(lines[0].split(";"))
        for row in lines[1:3]:
            cells = row.split(";")
            sheet.append(cells[:4] + [float(cell) for cell in cells[4:]])
        stream = io.BytesIO()
        book.save(stream)
        wizard = self._wizard(stream.getvalue(), "export.xlsx", mapping_id=self.mapping.id)
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.line_ids.move_id.invoice_line_ids.mapped("quantity"), [2.0, 1.0])

    def test_total_mismatch_is_not_half_imported(self):
        xml = self._external_xml("account.edi.xml.ubl_bis3").replace(b">365.34<", b">999.99<")
        before = self.env["account.move"].search_count([])
        wizard = self._wizard(xml, "ext.xml")
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.line_ids.status, "rejected")
        self.assertIn("Total", wizard.line_ids.reason)
        self.assertEqual(self.env["account.move"].search_count([]), before)

    def test_bad_files_name_the_problem(self):
        with self.assertRaisesRegex(UserError, "not well-formed"):
            self._wizard(b"<oops", "bad.xml").action_preview()
        with self.assertRaisesRegex(UserError, "Column mapping"):
            self._wizard(CSV.encode(), "export.csv").action_preview()
        with self.assertRaisesRegex(UserError, "Preis"):
            self._wizard(
                CSV.replace(";150;", ";abc;").encode(), "export.csv", mapping_id=self.mapping.id
            ).action_preview()
