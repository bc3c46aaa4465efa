from odoo import fields, models


class SysengageOfferPartnerRole(models.Model):
    _name = "sysengage.offer.partner.role"
    _description = "Role a further partner plays on an offer"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to use the role in every company.")
    print_on_offer = fields.Boolean(
        "Printed on documents",
        default=True,
        help="Partners in this role are printed on the offer, order and invoice PDF.",
    )
    description = fields.Text(translate=True)
    partner_count = fields.Integer("Offers", compute="_compute_partner_count")

    _name_company_unique = models.Constraint(
        "UNIQUE(name, company_id)",
        "A role of this name already exists in this company.",
    )

    def _compute_partner_count(self):
        counts = dict(
            self.env["sysengage.offer.partner"]._read_group(
                [("role_id", "in", self.ids), ("order_id", "!=", False)], ["role_id"], ["order_id:count_distinct"]
            )
        )
        for role in self:
            role.partner_count = counts.get(role, 0)
