from odoo import models


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    def _create_invoices(self, sale_orders):
        # Override: down payments are invoiced here without the order's _create_invoices; an order
        # that still meets an offer rule is invoiced only once approved
        sale_orders._sysengage_offer_approval_check("confirm")
        return super()._create_invoices(sale_orders)
