from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # partial acceptance: the order line made from an offer line points to it
    sysengage_offer_line_id = fields.Many2one(
        "sale.order.line", string="Offer line", copy=False, index="btree_not_null", readonly=True
    )
    sysengage_acceptance_line_ids = fields.One2many(
        "sale.order.line", "sysengage_offer_line_id", string="Accepted in"
    )
    sysengage_accepted_qty = fields.Float(
        "Accepted quantity",
        compute="_compute_sysengage_accepted_qty",
        store=True,
        digits="Product Unit",
    )
    sysengage_refused_qty = fields.Float("Refused quantity", copy=False, readonly=True, digits="Product Unit")
    sysengage_refusal_reason = fields.Char("Refusal reason", copy=False, readonly=True)
    sysengage_remaining_qty = fields.Float(
        "Quantity to decide",
        compute="_compute_sysengage_remaining_qty",
        digits="Product Unit",
    )
    sysengage_acceptance_state = fields.Selection(
        [
            ("open", "Open"),
            ("partial", "Partially decided"),
            ("accepted", "Accepted"),
            ("refused", "Refused"),
        ],
        string="Acceptance",
        compute="_compute_sysengage_acceptance_state",
        store=True,
    )

    @api.depends(
        "sysengage_acceptance_line_ids.product_uom_qty",
        "sysengage_acceptance_line_ids.state",
    )
    def _compute_sysengage_accepted_qty(self):
        for line in self:
            accepted = line.sysengage_acceptance_line_ids.filtered(lambda acc: acc.state != "cancel")
            line.sysengage_accepted_qty = sum(accepted.mapped("product_uom_qty"))

    @api.depends("product_uom_qty", "sysengage_accepted_qty", "sysengage_refused_qty")
    def _compute_sysengage_remaining_qty(self):
        for line in self:
            remaining = line.product_uom_qty - line.sysengage_accepted_qty - line.sysengage_refused_qty
            if line.product_uom_id:
                remaining = line.product_uom_id.round(remaining)
            line.sysengage_remaining_qty = max(remaining, 0.0)

    @api.depends("product_uom_qty", "sysengage_accepted_qty", "sysengage_refused_qty", "display_type")
    def _compute_sysengage_acceptance_state(self):
        for line in self:
            decided = line.sysengage_accepted_qty + line.sysengage_refused_qty
            if line.display_type or not decided:
                line.sysengage_acceptance_state = "open"
            elif line.sysengage_remaining_qty > 0:
                line.sysengage_acceptance_state = "partial"
            elif line.sysengage_accepted_qty:
                line.sysengage_acceptance_state = "accepted"
            else:
                line.sysengage_acceptance_state = "refused"
