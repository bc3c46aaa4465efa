from odoo import api, fields, models

TARGET_FIELD_SELECTION = [
    ("name", "Name"),
    ("is_company", "Is a Company"),
    ("ref", "Reference"),
    ("uid", "UID (CHE-123.456.789)"),
    ("vat", "VAT Number"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("street", "Street"),
    ("street2", "Street 2"),
    ("zip", "ZIP"),
    ("city", "City"),
    ("country", "Country Code"),
    ("website", "Website"),
]


class SysengageImportSourceColumn(models.Model):
    """One line of the column mapping of an import source: which file column feeds which partner field."""

    _name = "sysengage.import.source.column"
    _description = "Sysengage Address Import Column"
    _order = "source_id, sequence, id"

    source_id = fields.Many2one("sysengage.import.source", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    target_field = fields.Selection(TARGET_FIELD_SELECTION, string="Partner Field", required=True)
    column_name = fields.Char(string="File Column", required=True)
    required = fields.Boolean(
        string="Mandatory",
        compute="_compute_required",
        store=True,
        readonly=False,
        help="The file is refused when this column is missing.",
    )

    _source_target_unique = models.Constraint(
        "UNIQUE(source_id, target_field)", "Each partner field is mapped once per source."
    )

    @api.depends("target_field")
    def _compute_required(self):
        for column in self:
            column.required = column.required or column.target_field == "name"
