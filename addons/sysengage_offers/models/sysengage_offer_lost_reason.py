from odoo import fields, models


class SysengageOfferLostReason(models.Model):
    _name = "sysengage.offer.lost.reason"
    _description = "Reason an offer was lost"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    order_count = fields.Integer("Lost offers", compute="_compute_order_count")

    def _compute_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("sysengage_lost_reason_id", "in", self.ids)], ["sysengage_lost_reason_id"], ["__count"]
            )
        )
        for reason in self:
            reason.order_count = counts.get(reason, 0)
