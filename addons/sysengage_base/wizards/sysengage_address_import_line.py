from odoo import fields, models

LINE_STATUS = [
    ("new", "New"),
    ("update", "Update"),
    ("unchanged", "Unchanged"),
    ("ambiguous", "Ambiguous"),
    ("rejected", "Rejected"),
]


class SysengageAddressImportLine(models.TransientModel):
    """One analysed row of the file in the import preview."""

    _name = "sysengage.address.import.line"
    _description = "Sysengage Address Import Preview Line"
    _order = "wizard_id, line_number"

    wizard_id = fields.Many2one("sysengage.address.import.wizard", required=True, ondelete="cascade", index=True)
    line_number = fields.Integer(string="Line")
    status = fields.Selection(LINE_STATUS, required=True)
    partner_id = fields.Many2one("res.partner", string="Matched Partner")
    match_by = fields.Selection(
        [("uid", "UID / VAT"), ("email", "E-mail"), ("name", "Name, ZIP and street")], string="Matched By"
    )
    name = fields.Char()
    email = fields.Char(string="E-mail")
    zip_code = fields.Char(string="ZIP")
    city = fields.Char()
    changes = fields.Text(string="Differences")
    reason = fields.Char()
