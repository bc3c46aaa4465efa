from odoo import fields, models


class SysengageEinvoiceImportLine(models.TransientModel):
    """One invoice found in an imported file: preview, then result (imported or rejected + reason)."""

    _name = "sysengage.einvoice.import.line"
    _description = "Invoice import preview line"
    _order = "id"

    wizard_id = fields.Many2one("sysengage.einvoice.import", required=True, ondelete="cascade")
    external_number = fields.Char(required=True)
    partner_name = fields.Char(string="Customer in file")
    partner_id = fields.Many2one("res.partner", string="Customer")
    invoice_date = fields.Date()
    currency_id = fields.Many2one("res.currency")
    amount_total = fields.Float(string="Total in file")
    line_count = fields.Integer(string="Lines")
    status = fields.Selection(
        [("ok", "Ready"), ("duplicate", "Duplicate"), ("rejected", "Rejected"), ("imported", "Imported")],
        required=True,
        default="ok",
    )
    reason = fields.Char()
    move_id = fields.Many2one("account.move", string="Invoice")
    payload = fields.Json()
