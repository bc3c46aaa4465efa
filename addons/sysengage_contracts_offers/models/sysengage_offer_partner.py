from odoo import api, fields, models


class SysengageOfferPartner(models.Model):
    _inherit = "sysengage.offer.partner"

    contract_id = fields.Many2one("sysengage.contract", ondelete="cascade", index="btree_not_null")

    @api.depends("contract_id.company_id")
    def _compute_company_id(self):
        # Override of sysengage_offers: a role on a contract belongs to the contract's company
        return super()._compute_company_id()

    @api.constrains("contract_id")
    def _check_contract_role(self):
        self._check_role_once()
        self._check_one_document()

    @api.model
    def _document_fields(self):
        # Override of sysengage_offers: a role can belong to a contract
        return (*super()._document_fields(), "contract_id")
