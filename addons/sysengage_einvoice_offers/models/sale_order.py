from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    sysengage_dispatch_document_ids = fields.One2many(
        "sysengage.einvoice.document",
        "sale_order_id",
        string="Dispatch sends",
        readonly=True,
        groups="sysengage_offers.group_user,sysengage_einvoice.group_user",
    )
    sysengage_dispatch_count = fields.Integer(
        compute="_compute_sysengage_dispatch_count", groups="sysengage_offers.group_user,sysengage_einvoice.group_user"
    )

    def _compute_sysengage_dispatch_count(self):
        counts = dict(
            self.env["sysengage.einvoice.document"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.sysengage_dispatch_count = counts.get(order, 0)

    def action_sysengage_dispatch_queue(self):
        """Queue the quotation(s) on the offer dispatch flow: PDF, recipients, planned send."""
        documents = self.env["sysengage.einvoice.document"]._create_for_orders(self)
        return documents._action_open()

    def action_sysengage_dispatch_documents(self):
        self.ensure_one()
        action = self.sysengage_dispatch_document_ids._action_open()
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {}
        action.pop("res_id", None)
        action.update({"view_mode": "list,form", "views": [(False, "list"), (False, "form")]})
        return action
