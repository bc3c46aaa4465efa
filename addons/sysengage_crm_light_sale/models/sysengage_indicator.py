from odoo import api, models


class SysengageIndicator(models.Model):
    _inherit = "sysengage.indicator"

    @api.model
    def _get_source_specs(self):
        # Override of sysengage_crm_light: confirmed order lines and offers (with their conversion rate)
        specs = super()._get_source_specs()
        specs["order_line"] = {
            "label": self.env._("Order lines"),
            "sequence": 20,
            "model": "sale.order.line",
            "domain": [("state", "=", "sale"), ("display_type", "=", False)],
            "date": "order_id.date_order",
            "customer": "order_partner_id",
            "product": "product_id",
            "product_group": "product_id.categ_id",
            "sales_rep": "salesman_id",
            "measures": {
                "revenue": ("price_subtotal", 1),
                # offered when sale_margin is installed
                "margin": ("margin", 1),
                "quantity": ("product_uom_qty", 1),
                "count": ("__count", 1),
            },
        }
        specs["offer"] = {
            "label": self.env._("Offers"),
            "sequence": 30,
            "model": "sale.order",
            "domain": [],
            "date": "date_order",
            "customer": "partner_id",
            "sales_rep": "user_id",
            "measures": {"revenue": ("amount_untaxed", 1), "count": ("__count", 1)},
            "won_domain": [("state", "=", "sale")],
        }
        return specs
