from odoo import Command, fields, models


class SysengageContract(models.Model):
    _inherit = "sysengage.contract"

    sysengage_partner_role_ids = fields.One2many(
        "sysengage.offer.partner", "contract_id", string="Partner roles", copy=True
    )

    def _prepare_invoice_vals(self, invoice_date):
        # Override of sysengage_contracts: an invoice of one contract names its partners too (an invoice
        # grouping several contracts does not, it would mix them)
        values = super()._prepare_invoice_vals(invoice_date)
        if not self.group_invoices and self.sysengage_partner_role_ids:
            values["sysengage_partner_role_ids"] = [
                Command.create(vals) for vals in self.sysengage_partner_role_ids._sysengage_prepare_copy_vals()
            ]
        return values
