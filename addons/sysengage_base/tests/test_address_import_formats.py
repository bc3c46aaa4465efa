from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_address_import_common import UID_1, AddressImportCommon

ROWS = [
    ["Müller Söhne AG", UID_1, "info@mueller.ch", "Bahnhofstrasse 5", "8001", "Zürich", "CH"],
    ["Crèmerie Dupré Sàrl", "", "contact@dupre.ch", "Rue du Marché 3", "1204", "Genève", "CH"],
]


@tagged("post_install", "-at_install")
class TestAddressImportFormats(AddressImportCommon):
    """CSV (UTF-8, Windows-1252, UTF-16), XLS and XLSX are read; bad files give a clear error."""

    def _assert_read(self, content, source=None):
        results = self._analyse(content, source)
        self.assertEqual([r["values"]["name"] for r in results], ["Müller Söhne AG", "Crèmerie Dupré Sàrl"])
        self.assertEqual([r["status"] for r in results], ["new", "new"])
        self.assertEqual(results[0]["values"]["uid"], UID_1)

    def test_csv_utf8_semicolon(self):
        self._assert_read(self._csv(ROWS))

    def test_csv_utf8_bom_comma(self):
        self._assert_read(b"\xef\xbb\xbf" + self._csv(ROWS, delimiter=","))

    def test_csv_windows_1252_detected(self):
        self._assert_read(self._csv(ROWS, encoding="windows-1252"))

    def test_csv_utf16(self):
        self._assert_read(self._csv(ROWS, encoding="utf-16"))

    def test_xlsx(self):
        self._assert_read(self._xlsx(ROWS))

    def test_xls(self):
        self._assert_read(self._xls(ROWS))

    def test_wrong_encoding_declared(self):
        self.source.encoding = "utf-8"
        with self.assertRaisesRegex(UserError, "not encoded in utf-8.*line 2"):
            self._analyse(self._csv(ROWS, encoding="windows-1252"))

    def test_utf8_read_as_windows_1252(self):
        self.source.encoding = "windows-1252"
        with self.assertRaisesRegex(UserError, "looks like UTF-8"):
            self._analyse(self._csv(ROWS))

    def test_missing_mandatory_column(self):
        header = ["Company", "UID", "E-Mail", "Strasse", "PLZ", "Ort", "Land"]
        with self.assertRaisesRegex(UserError, "Mandatory column.*Firma.*Columns found: Company"):
            self._analyse(self._csv(ROWS, header=header))

    def test_optional_column_missing_is_ignored(self):
        header = ["Firma", "UID", "E-Mail", "Strasse", "PLZ", "Ort", "Country"]
        results = self._analyse(self._csv(ROWS, header=header))
        self.assertNotIn("country", results[0]["values"])

    def test_required_column_flag(self):
        self.source.column_ids.filtered(lambda c: c.target_field == "email").required = True
        header = ["Firma", "UID", "Mail", "Strasse", "PLZ", "Ort", "Land"]
        with self.assertRaisesRegex(UserError, "E-Mail"):
            self._analyse(self._csv(ROWS, header=header))

    def test_not_a_spreadsheet(self):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
        with self.assertRaisesRegex(UserError, "not a spreadsheet"):
            self._analyse(png * 20)
        pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x01\x02\x03 endobj\n" * 10
        with self.assertRaisesRegex(UserError, "not a spreadsheet"):
            self._analyse(pdf)

    def test_zip_that_is_not_xlsx(self):
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        with self.assertRaisesRegex(UserError, "not a spreadsheet"):
            self._analyse(buffer.getvalue())

    def test_corrupted_xls(self):
        with self.assertRaisesRegex(UserError, "XLS file cannot be read"):
            self._analyse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)

    def test_empty_file(self):
        for content in (b"", b"   \r\n", b";;;\r\n"):
            with self.assertRaisesRegex(UserError, "empty"):
                self._analyse(content)

    def test_header_only(self):
        with self.assertRaisesRegex(UserError, "no address"):
            self._analyse(self._csv([]))

    def test_bad_input_writes_nothing(self):
        partner_count = self.env["res.partner"].search_count([])
        wizard = self._wizard(b"")
        with self.assertRaises(UserError):
            wizard.action_read_columns()
        self.source.encoding = "utf-8"
        wizard = self._wizard(self._csv(ROWS, encoding="windows-1252"))
        with self.assertRaises(UserError):
            wizard.action_preview()
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)
        self.assertFalse(self.source.log_ids)
