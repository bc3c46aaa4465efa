from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the documents a partner role can belong to; a bridge addon adds its own (e.g. the contracts)
DOCUMENT_FIELDS = ("order_id", "move_id")


class SysengageOfferPartner(models.Model):
    _name = "sysengage.offer.partner"
    _description = "Further partner of an offer, order or invoice, in a role"
    _order = "sequence, id"
    _check_company_auto = True

    order_id = fields.Many2one("sale.order", ondelete="cascade", index="btree_not_null")
    move_id = fields.Many2one("account.move", ondelete="cascade", index="btree_not_null")
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    role_id = fields.Many2one(
        "sysengage.offer.partner.role", string="Role", required=True, ondelete="restrict", check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Partner", required=True, ondelete="restrict", index=True, check_company=True
    )
    print_on_offer = fields.Boolean(related="role_id.print_on_offer")
    note = fields.Char(help="Printed next to the partner, e.g. the person to contact on site.")

    @api.depends("order_id.company_id", "move_id.company_id")
    def _compute_company_id(self):
        for line in self:
            line.company_id = line._sysengage_document().company_id

    @api.constrains(*DOCUMENT_FIELDS, "partner_id", "role_id")
    def _check_role_once(self):
        """A partner holds a role once per document.

        Checked here rather than by a UNIQUE constraint, whose message could not name the partner and role.
        """
        for document_field in self._document_fields():
            documents = self[document_field]
            if not documents:
                continue
            duplicates = self._read_group(
                [(document_field, "in", documents.ids)],
                [document_field, "partner_id", "role_id"],
                having=[("__count", ">", 1)],
            )
            if duplicates:
                document, partner, role = duplicates[0]
                raise ValidationError(
                    self.env._(
                        "%(partner)s is named twice as %(role)s on %(document)s: give a role once per partner.",
                        partner=partner.display_name,
                        role=role.name,
                        document=document.display_name,
                    )
                )

    @api.constrains(*DOCUMENT_FIELDS)
    def _check_one_document(self):
        for line in self:
            if len([name for name in self._document_fields() if line[name]]) != 1:
                raise ValidationError(
                    self.env._("A partner role belongs to exactly one offer, order, invoice or contract.")
                )

    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.role_id.name}: {line.partner_id.display_name}"

    @api.model
    def _document_fields(self):
        """Names of the fields pointing to the document of a role (extension seam for bridges)."""
        return DOCUMENT_FIELDS

    def _sysengage_document(self):
        self.ensure_one()
        for name in self._document_fields():
            if self[name]:
                return self[name]
        return self.env["sale.order"]

    def _sysengage_prepare_copy_vals(self):
        """Values to carry these roles to another document (order → invoice, order → contract)."""
        return [
            {"sequence": line.sequence, "role_id": line.role_id.id, "partner_id": line.partner_id.id, "note": line.note}
            for line in self
        ]
