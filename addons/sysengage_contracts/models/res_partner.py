from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    # contracts are for the contract users: a salesman or accountant without that group still opens the form
    sysengage_contract_ids = fields.One2many(
        "sysengage.contract", "partner_id", string="Contracts", groups="sysengage_contracts.group_user"
    )
    sysengage_contract_count = fields.Integer(
        string="Contract Count", compute="_compute_sysengage_contract_count", groups="sysengage_contracts.group_user"
    )

    def _compute_sysengage_contract_count(self):
        commercial = self.commercial_partner_id
        groups = self.env["sysengage.contract"]._read_group(
            [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.sysengage_contract_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.model
    def _sysengage_get_running_business_domain(self, company, today):
        # Override: a customer with a contract running on ``today`` is never set inactive
        running = (
            self.env["sysengage.contract"]
            .sudo()
            ._search(
                [
                    ("state", "in", ("running", "to_renew")),
                    ("company_id", "=", company.id),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", today),
                ],
                active_test=False,
            )
        )
        running_partners = Domain("id", "any!", running.subselect("partner_id"))
        return super()._sysengage_get_running_business_domain(company, today) | running_partners

    def action_sysengage_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_contracts.sysengage_contract_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
