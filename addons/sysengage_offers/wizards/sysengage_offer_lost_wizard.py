from odoo import fields, models
from odoo.exceptions import UserError


class SysengageOfferLostWizard(models.TransientModel):
    _name = "sysengage.offer.lost.wizard"
    _description = "Mark offers as lost"

    order_ids = fields.Many2many("sale.order", string="Offers", required=True)
    lost_reason_id = fields.Many2one("sysengage.offer.lost.reason", string="Reason", required=True)
    note = fields.Text()

    def action_mark_lost(self):
        self.ensure_one()
        not_open = self.order_ids.filtered(lambda order: order.state not in ("draft", "sent"))
        if not_open:
            raise UserError(
                self.env._(
                    "Only open offers can be marked as lost: %(names)s.", names=", ".join(not_open.mapped("name"))
                )
            )
        self.order_ids.write({"sysengage_lost_reason_id": self.lost_reason_id.id, "sysengage_lost_note": self.note})
        self.order_ids._action_cancel()
        for order in self.order_ids:
            order.message_post(
                body=self.env._("Offer lost: %(reason)s", reason=self.lost_reason_id.name),
            )
        return {"type": "ir.actions.act_window_close"}
