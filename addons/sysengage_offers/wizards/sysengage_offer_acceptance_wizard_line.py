from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SysengageOfferAcceptanceWizardLine(models.TransientModel):
    _name = "sysengage.offer.acceptance.wizard.line"
    _description = "Line of a partial acceptance"
    _order = "sequence, id"

    wizard_id = fields.Many2one("sysengage.offer.acceptance.wizard", required=True, ondelete="cascade")
    offer_line_id = fields.Many2one("sale.order.line", required=True, readonly=True, ondelete="cascade")
    sequence = fields.Integer(related="offer_line_id.sequence")
    name = fields.Text(related="offer_line_id.name")
    product_id = fields.Many2one(related="offer_line_id.product_id")
    product_uom_id = fields.Many2one(related="offer_line_id.product_uom_id")
    offered_qty = fields.Float(related="offer_line_id.product_uom_qty", string="Offered")
    remaining_qty = fields.Float(related="offer_line_id.sysengage_remaining_qty", string="To decide")
    price_unit = fields.Float(related="offer_line_id.price_unit")
    accept = fields.Boolean()
    quantity = fields.Float("Accepted quantity", digits="Product Unit")
    refuse = fields.Boolean(help="Refuse the quantity not accepted.")
    refusal_reason = fields.Char()

    @api.constrains("offer_line_id", "wizard_id")
    def _check_offer_line(self):
        # the lines are created by the wizard, but RPC may create them too: only lines of the wizard's offer
        for wiz_line in self:
            if wiz_line.offer_line_id.order_id != wiz_line.wizard_id.offer_id:
                raise ValidationError(
                    self.env._(
                        "The line #%(line)s does not belong to the offer being accepted (#%(offer)s).",
                        line=wiz_line.offer_line_id.id,
                        offer=wiz_line.wizard_id.offer_id.id,
                    )
                )

    def _check_decisions(self):
        for wiz_line in self:
            offer_line = wiz_line.offer_line_id
            remaining = offer_line.sysengage_remaining_qty
            if (wiz_line.accept or wiz_line.refuse) and remaining <= 0:
                raise UserError(
                    self.env._(
                        "The line %(line)s was already accepted or refused in full.",
                        line=offer_line.name,
                    )
                )
            if wiz_line.accept:
                if wiz_line.quantity <= 0:
                    raise UserError(
                        self.env._("Enter a positive quantity for the accepted line %(line)s.", line=offer_line.name)
                    )
                if offer_line.product_uom_id.compare(wiz_line.quantity, remaining) > 0:
                    raise UserError(
                        self.env._(
                            "You cannot accept %(qty)s of %(line)s: only %(remaining)s remain to be decided.",
                            qty=wiz_line.quantity,
                            line=offer_line.name,
                            remaining=remaining,
                        )
                    )
            if wiz_line.refuse:
                if not wiz_line.refusal_reason:
                    raise UserError(
                        self.env._("Give the reason why the line %(line)s is refused.", line=offer_line.name)
                    )
                if wiz_line.accept and offer_line.product_uom_id.compare(wiz_line.quantity, remaining) >= 0:
                    raise UserError(
                        self.env._(
                            "The line %(line)s is accepted in full: nothing is left to refuse.", line=offer_line.name
                        )
                    )
