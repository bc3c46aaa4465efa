import base64

from odoo import fields, models
from odoo.exceptions import UserError


class SysengagePaymentImportWizard(models.TransientModel):
    """Upload of a bank file (camt.054 or camt.053) to the review screen."""

    _name = "sysengage.payment.import.wizard"
    _description = "Import a bank file"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    file = fields.Binary(string="Bank file", required=True, help="camt.054 or camt.053 XML file from the bank.")
    file_name = fields.Char()
    journal_id = fields.Many2one(
        "account.journal",
        string="Bank journal",
        check_company=True,
        domain="[('type', '=', 'bank')]",
        help="Leave empty to use the bank journal that holds the account of the file.",
    )

    def action_import(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a bank file to import."))
        record = self.env["sysengage.payment.import"]._import_file(
            base64.b64decode(self.file), file_name=self.file_name, journal=self.journal_id or None
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sysengage.payment.import",
            "res_id": record.id,
            "view_mode": "form",
            "target": "current",
        }
