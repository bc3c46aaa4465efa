import base64
import io

from odoo import Command

from .common import SysengageCommon

HEADER = ["Firma", "UID", "E-Mail", "Strasse", "PLZ", "Ort", "Land"]
MAPPING = {
    "name": "Firma",
    "uid": "UID",
    "email": "E-Mail",
    "street": "Strasse",
    "zip": "PLZ",
    "city": "Ort",
    "country": "Land",
}
# valid Swiss UIDs (check digit per the eCH-0097 standard)
UID_1 = "CHE-100.000.006"
UID_2 = "CHE-100.000.012"
UID_3 = "CHE-100.000.029"
UID_4 = "CHE-100.000.035"


class AddressImportCommon(SysengageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sysengage_base.group_manager")
        cls.source = cls._create_source("Register")

    @classmethod
    def _create_source(cls, name, mapping=None, **vals):
        mapping = mapping or MAPPING
        return cls.env["sysengage.import.source"].create(
            {
                "name": name,
                "column_ids": [
                    Command.create({"target_field": target, "column_name": column})
                    for target, column in mapping.items()
                ],
                **vals,
            }
        )

    @staticmethod
    def _csv(rows, header=None, delimiter=";", encoding="utf-8"):
        lines = [delimiter.join(header or HEADER)] + [delimiter.join(row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode(encoding)

    @staticmethod
    def _xlsx(rows, header=None):
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header or HEADER)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def _xls(rows, header=None):
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("Addresses")
        for row_index, row in enumerate([header or HEADER, *rows]):
            for col_index, value in enumerate(row):
                sheet.write(row_index, col_index, value)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def _analyse(self, content, source=None):
        results, _headers = (source or self.source)._analyse(content)
        return results

    def _wizard(self, content, filename="addresses.csv", source=None):
        return self.env["sysengage.address.import.wizard"].create(
            {"source_id": (source or self.source).id, "file": base64.b64encode(content), "filename": filename}
        )
