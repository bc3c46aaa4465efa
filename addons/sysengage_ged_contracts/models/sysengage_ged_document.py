from odoo import api, models
from odoo.fields import Domain


class SysengageGedDocument(models.Model):
    _inherit = "sysengage.ged.document"

    @api.model
    def _get_annex_models(self):
        # Override of sysengage_ged: documents of a contract may be printed with its invoices
        return [*super()._get_annex_models(), "sysengage.contract"]

    @api.model
    def _get_annex_record_domain(self, move):
        # Override of sysengage_ged: the documents of the contract that invoiced ``move``
        domain = super()._get_annex_record_domain(move)
        if move.sysengage_contract_id:
            domain |= Domain("res_model", "=", "sysengage.contract") & Domain(
                "res_id", "=", move.sysengage_contract_id.id
            )
        return domain
