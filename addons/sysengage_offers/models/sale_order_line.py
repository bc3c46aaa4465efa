from odoo import api, fields, models


# line changes that may change which conditions apply to the offer
LINE_CONDITION_FIELDS = {"product_id", "product_uom_qty", "product_uom_id", "price_unit", "discount"}


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

    sysengage_cost = fields.Monetary(
        "Cost",
        compute="_compute_sysengage_cost",
        store=True,
        help="Cost price of the product times the quantity, in the currency of the order.",
    )

    @api.depends("product_id", "product_uom_qty", "product_uom_id", "order_id.currency_id", "order_id.date_order")
    def _compute_sysengage_cost(self):
        for line in self:
            if not line.product_id or line.display_type:
                line.sysengage_cost = 0.0
                continue
            company = line.company_id or self.env.company
            product = line.product_id.with_company(company)
            unit_cost = product.uom_id._compute_price(product.standard_price, line.product_uom_id or product.uom_id)
            currency = line.currency_id or company.currency_id
            cost = company.currency_id._convert(
                unit_cost * line.product_uom_qty,
                currency,
                company,
                fields.Date.context_today(line, line.order_id.date_order) if line.order_id.date_order else None,
            )
            line.sysengage_cost = currency.round(cost)

    @api.model_create_multi
    def create(self, vals_list):
        order_ids = {vals.get("order_id") for vals in vals_list if vals.get("order_id")}
        snapshot = self.env["sale.order"].browse(order_ids)._sysengage_approval_snapshot()
        lines = super().create(vals_list)
        lines.order_id._sysengage_approval_reset_changed(snapshot)
        if not self.env.context.get("sysengage_skip_condition_sync"):
            lines.order_id._sysengage_sync_conditions()
        return lines

    def write(self, vals):
        # a change of the lines of an approved offer goes around the order's write: reset here
        snapshot = self.order_id._sysengage_approval_snapshot()
        res = super().write(vals)
        self.order_id._sysengage_approval_reset_changed(snapshot)
        if LINE_CONDITION_FIELDS & set(vals) and not self.env.context.get("sysengage_skip_condition_sync"):
            self.order_id._sysengage_sync_conditions()
        return res

    def unlink(self):
        orders = self.order_id
        snapshot = orders._sysengage_approval_snapshot()
        res = super().unlink()
        orders._sysengage_approval_reset_changed(snapshot)
        if not self.env.context.get("sysengage_skip_condition_sync"):
            orders.exists()._sysengage_sync_conditions()
        return res

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
