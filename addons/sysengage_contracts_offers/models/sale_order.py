from odoo import Command, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _prepare_sysengage_contract_vals(self, periodicity, months, lines):
        # Override of sysengage_contracts: the contract keeps the partners named on its order
        values = super()._prepare_sysengage_contract_vals(periodicity, months, lines)
        values["sysengage_partner_role_ids"] = [
            Command.create(vals) for vals in self.sysengage_partner_role_ids._sysengage_prepare_copy_vals()
        ]
        return values
