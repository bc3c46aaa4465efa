from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    sysengage_recurring = fields.Boolean(
        string="Recurring",
        compute="_compute_sysengage_recurring",
        store=True,
        readonly=False,
        precompute=True,
        help="Billed by a contract created when the order is confirmed, not by the order.",
    )

    @api.depends("product_id")
    def _compute_sysengage_recurring(self):
        for line in self:
            line.sysengage_recurring = bool(line.product_id.sysengage_recurring) and not line.display_type

    # Override: recurring lines are billed by their contract, never by the order
    @api.depends("sysengage_recurring")
    def _compute_qty_to_invoice(self):
        result = super()._compute_qty_to_invoice()
        for line in self:
            if line.sysengage_recurring:
                line.qty_to_invoice = 0.0
        return result
