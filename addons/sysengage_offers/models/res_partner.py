from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sysengage_role_offer_count = fields.Integer(
        "Offers in a role",
        compute="_compute_sysengage_role_offer_count",
        groups="sales_team.group_sale_salesman",
        help="Offers and orders where this partner is named in a role (installer, architect...).",
    )

    def _compute_sysengage_role_offer_count(self):
        # offers the user may read (record rules apply to the roles, like to the offers)
        counts = dict(
            self.env["sysengage.offer.partner"]._read_group(
                [("partner_id", "in", self.ids), ("order_id", "!=", False)],
                ["partner_id"],
                ["order_id:count_distinct"],
            )
        )
        for partner in self:
            partner.sysengage_role_offer_count = counts.get(partner, 0)

    def action_sysengage_view_role_offers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_offers.sale_order_action_partner_roles")
        action["domain"] = [("sysengage_partner_role_ids.partner_id", "=", self.id)]
        action["context"] = {"sysengage_role_partner_id": self.id}
        action["display_name"] = self.env._("Offers where %(partner)s plays a role", partner=self.display_name)
        return action
