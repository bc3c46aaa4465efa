from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from .sysengage_offer_condition import CONDITION_TYPES


class SysengageOfferConditionLine(models.Model):
    _name = "sysengage.offer.condition.line"
    _description = "Condition printed on an offer, order or invoice"
    _order = "sequence, condition_type, id"
    _check_company_auto = True

    order_id = fields.Many2one("sale.order", ondelete="cascade", index="btree_not_null")
    move_id = fields.Many2one("account.move", ondelete="cascade", index="btree_not_null")
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, index=True)
    condition_id = fields.Many2one("sysengage.offer.condition", ondelete="set null", check_company=True)
    condition_type = fields.Selection(CONDITION_TYPES, string="Type", required=True, default="payment")
    name = fields.Char(required=True)
    text = fields.Html(sanitize_attributes=True)
    sequence = fields.Integer(default=10)
    origin = fields.Selection(
        [("auto", "Automatic"), ("template", "Template"), ("manual", "Manual")],
        required=True,
        default="manual",
        help="Automatic conditions are removed again when their rules no longer match, unless edited.",
    )
    is_edited = fields.Boolean("Edited", copy=True, help="Edited by hand: never replaced or removed automatically.")

    _check_document = models.Constraint(
        "CHECK((order_id IS NOT NULL) OR (move_id IS NOT NULL))",
        "A condition belongs to an offer, an order or an invoice.",
    )

    @api.depends("order_id.company_id", "move_id.company_id")
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.order_id.company_id or line.move_id.company_id

    @api.onchange("condition_id")
    def _onchange_condition_id(self):
        if self.condition_id:
            lang = self.order_id.partner_id.lang or self.move_id.partner_id.lang or self.env.lang
            condition = self.condition_id.with_context(lang=lang)
            self.name = condition.name
            self.text = condition.text
            self.condition_type = condition.condition_type

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("condition_id") and not (vals.get("name") and vals.get("text")):
                condition = self.env["sysengage.offer.condition"].browse(vals["condition_id"])
                document = (
                    self.env["sale.order"].browse(vals["order_id"])
                    if vals.get("order_id")
                    else self.env["account.move"].browse(vals.get("move_id"))
                )
                condition = condition.with_context(lang=document.partner_id.lang or self.env.lang)
                vals.setdefault("name", condition.name)
                vals.setdefault("text", condition.text)
                vals.setdefault("condition_type", condition.condition_type)
        return super().create(vals_list)

    def write(self, vals):
        # a text or title changed by the user protects the line against the automatic update
        if not self.env.context.get("sysengage_condition_sync") and {"name", "text"} & set(vals):
            vals = dict(vals, is_edited=True)
        return super().write(vals)

    def unlink(self):
        # an automatic condition dropped by the user is remembered so that it is not added again
        if not self.env.context.get("sysengage_condition_sync"):
            for line in self.filtered(lambda line: line.origin == "auto" and line.order_id and line.condition_id):
                line.order_id.sysengage_dropped_condition_ids = [Command.link(line.condition_id.id)]
        return super().unlink()

    @api.constrains("order_id", "move_id")
    def _check_single_document(self):
        for line in self:
            if line.order_id and line.move_id:
                raise ValidationError(self.env._("A condition belongs either to an order or to an invoice."))

    def _prepare_copy_vals(self):
        """Values to carry these conditions to another document (order → invoice, line copy)."""
        return [
            {
                "condition_id": line.condition_id.id,
                "condition_type": line.condition_type,
                "name": line.name,
                "text": line.text,
                "sequence": line.sequence,
                "origin": line.origin,
                "is_edited": line.is_edited,
            }
            for line in self
        ]
