from markupsafe import Markup

from odoo import api, fields, models

# line changes that may change which conditions apply to the offer
LINE_CONDITION_FIELDS = {"product_id", "product_uom_qty", "product_uom_id", "price_unit", "discount"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # partial acceptance: the order line made from an offer line points to it
    sysengage_offer_line_id = fields.Many2one(
        "sale.order.line", string="Offer line", copy=False, index="btree_not_null", readonly=True
    )
    sysengage_acceptance_line_ids = fields.One2many("sale.order.line", "sysengage_offer_line_id", string="Accepted in")
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

    # price table of the base addon: the rule that prices the line, with its price and discount
    sysengage_price_rule_id = fields.Many2one(
        "sysengage.price.rule",
        string="Price rule",
        compute="_compute_sysengage_table_price",
        store=True,
        precompute=True,
        copy=False,
        help="The rule of the price table that gives the price of this line.",
    )
    sysengage_table_price = fields.Float(
        "Table price",
        compute="_compute_sysengage_table_price",
        store=True,
        precompute=True,
        copy=False,
        digits="Product Price",
    )
    sysengage_table_discount = fields.Float(
        "Table discount (%)",
        compute="_compute_sysengage_table_price",
        store=True,
        precompute=True,
        copy=False,
        digits="Discount",
    )
    sysengage_cost = fields.Monetary(
        "Cost",
        compute="_compute_sysengage_cost",
        store=True,
        help="Cost price of the product times the quantity, in the currency of the order.",
    )

    @api.depends("product_id", "product_uom_id", "product_uom_qty", "order_id.partner_id")
    def _compute_sysengage_table_price(self):
        # one batched resolution for all the lines of open offers; other lines keep their values
        to_price = self.filtered(
            lambda line: (
                line.product_id
                and not line.display_type
                and not line.is_downpayment
                and not line.combo_item_id
                and line.order_id.partner_id
                and line.order_id.state in ("draft", "sent")
            )
        )
        results = (
            self.env["sysengage.price.rule"]._sysengage_resolve_prices(
                [line._sysengage_prepare_price_line() for line in to_price]
            )
            if to_price
            else []
        )
        for line, result in zip(to_price, results):
            line.sysengage_price_rule_id = result and result["rule"]
            line.sysengage_table_price = result["price_unit"] if result else 0.0
            line.sysengage_table_discount = result["discount"] if result else 0.0
        for line in self - to_price:
            line.sysengage_price_rule_id = line.sysengage_price_rule_id
            line.sysengage_table_price = line.sysengage_table_price
            line.sysengage_table_discount = line.sysengage_table_discount

    @api.depends("sysengage_price_rule_id", "sysengage_table_price")
    def _compute_price_unit(self):
        # Override of sale: the price table comes before the pricelist (through _get_display_price);
        # prices typed by hand are kept by sale itself
        return super()._compute_price_unit()

    def _get_display_price(self):
        # the price table's price (before discount) wins over the pricelist
        self.ensure_one()
        if self.sysengage_price_rule_id:
            return self.sysengage_table_price
        return super()._get_display_price()

    @api.depends("sysengage_price_rule_id", "sysengage_table_discount")
    def _compute_discount(self):
        # the price table's discount replaces the pricelist's
        res = super()._compute_discount()
        for line in self.filtered("sysengage_price_rule_id"):
            line.discount = line.sysengage_table_discount
        return res

    def _sysengage_prepare_price_line(self):
        self.ensure_one()
        order = self.order_id
        return {
            "product": self.product_id,
            "partner": order.partner_id,
            "quantity": self.product_uom_qty or 1.0,
            "date": fields.Date.context_today(self, order.date_order) if order.date_order else None,
            "currency": order.currency_id or order.company_id.currency_id,
            "company": order.company_id,
            "uom": self.product_uom_id or self.product_id.uom_id,
        }

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

    def _sysengage_create_install_task(self, project):
        """A task to install the good of this line (goods cannot be billed through a task, unlike services)."""
        self.ensure_one()
        order = self.order_id
        task = (
            self.env["project.task"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "%(order)s - Install %(product)s", order=order.name, product=self.product_id.display_name
                    ),
                    "project_id": project.id,
                    "partner_id": order.partner_id.id,
                    "company_id": project.company_id.id,
                    # not the project's service line: a good is not billed through the time spent on its task
                    "sale_line_id": False,
                    "description": Markup("<p>%s</p>")
                    % self.env._("Install %(qty)s × %(product)s", qty=self.product_uom_qty, product=self.name),
                }
            )
        )
        self.task_id = task
        task.message_post(
            body=self.env._(
                "This task has been created from: %(order)s (%(product)s)",
                order=order._get_html_link(),
                product=self.product_id.name,
            )
        )
        return task
