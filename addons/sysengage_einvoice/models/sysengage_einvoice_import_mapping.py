from odoo import fields, models


class SysengageEinvoiceImportMapping(models.Model):
    """A saved column mapping for importing invoices from CSV/XLS/XLSX files."""

    _name = "sysengage.einvoice.import.mapping"
    _description = "Invoice import column mapping"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    delimiter = fields.Char(default=";", size=1, help="CSV delimiter.")
    date_format = fields.Char(default="%d.%m.%Y", help="strptime format of the dates, e.g. %d.%m.%Y.")
    col_number = fields.Char(string="Invoice number column", required=True)
    col_partner_name = fields.Char(string="Customer column", required=True)
    col_partner_vat = fields.Char(string="Customer VAT column")
    col_invoice_date = fields.Char(string="Date column", required=True)
    col_due_date = fields.Char(string="Due date column")
    col_currency = fields.Char(string="Currency column")
    col_description = fields.Char(string="Description column", required=True)
    col_quantity = fields.Char(string="Quantity column", required=True)
    col_price_unit = fields.Char(string="Unit price column", required=True)
    col_tax_rate = fields.Char(string="VAT rate column")

    def _mapping_dict(self):
        self.ensure_one()
        return {
            "number": self.col_number,
            "partner_name": self.col_partner_name,
            "partner_vat": self.col_partner_vat,
            "invoice_date": self.col_invoice_date,
            "due_date": self.col_due_date,
            "currency": self.col_currency,
            "description": self.col_description,
            "quantity": self.col_quantity,
            "price_unit": self.col_price_unit,
            "tax_rate": self.col_tax_rate,
        }
