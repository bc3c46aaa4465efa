from odoo import Command, api, fields, models
from odoo.exceptions import LockError, UserError


class SysengageOfferAcceptanceWizard(models.TransientModel):
    _name = "sysengage.offer.acceptance.wizard"
    _description = "Partial acceptance of an offer"

    offer_id = fields.Many2one("sale.order", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="offer_id.currency_id")
    client_order_ref = fields.Char("Customer reference", help="Reference of the customer's order, if any.")
    line_ids = fields.One2many(
        "sysengage.offer.acceptance.wizard.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("offer_id")
    def _compute_line_ids(self):
        for wizard in self:
            lines = wizard.offer_id.order_line.filtered(
                lambda line: not line.display_type and line.sysengage_remaining_qty > 0
            )
            wizard.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "offer_line_id": line.id,
                        "quantity": line.sysengage_remaining_qty,
                    }
                )
                for line in lines
            ]

    def action_accept(self):
        """Create and confirm the order holding the accepted lines; record the refused ones.

        Every check runs before anything is written, so a wrong line leaves nothing behind.
        """
        self.ensure_one()
        offer = self.offer_id
        if offer.state not in ("draft", "sent"):
            raise UserError(self.env._("The offer %(offer)s is no longer open for acceptance.", offer=offer.name))
        # the acceptance writes on the offer (refusals) and makes an order from it: the user must be
        # allowed to change that offer, and every line must be one of its lines
        offer.check_access("write")
        self.line_ids._check_offer_line()
        offer._sysengage_check_acceptance_allowed()
        try:
            # two acceptances of the same offer at once could each see the quantities still open
            offer.lock_for_update(allow_referencing=True)
        except LockError as error:
            raise UserError(
                self.env._("The offer %(offer)s is being accepted by someone else: try again.", offer=offer.name)
            ) from error
        accepted = self.line_ids.filtered("accept")
        refused = self.line_ids.filtered("refuse")
        if not accepted and not refused:
            raise UserError(self.env._("Tick at least one line to accept or to refuse."))
        self.line_ids._check_decisions()
        # what is refused is measured before the new order takes its part of the quantities
        refusals = [
            (
                wiz_line.offer_line_id,
                wiz_line.offer_line_id.sysengage_remaining_qty - (wiz_line.quantity if wiz_line.accept else 0.0),
                wiz_line.refusal_reason,
            )
            for wiz_line in refused
        ]
        # one savepoint: an order that cannot be confirmed leaves neither the order nor the refusals behind
        with self.env.cr.savepoint():
            order = self.env["sale.order"]
            if accepted:
                order = order.create(self._prepare_order_vals(accepted))
            for offer_line, quantity, reason in refusals:
                offer_line.write(
                    {
                        "sysengage_refused_qty": offer_line.sysengage_refused_qty + quantity,
                        "sysengage_refusal_reason": reason,
                    }
                )
            if order:
                order.action_confirm()
        if order:
            offer.message_post(
                body=self.env._("Accepted in part by the order %(order)s.", order=order._get_html_link())
            )
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": order.id,
                "views": [(False, "form")],
            }
        offer.message_post(body=self.env._("Lines refused by the customer."))
        return {"type": "ir.actions.act_window_close"}

    def _prepare_order_vals(self, accepted):
        """The new order: a copy of the offer header with only the accepted lines (and their sections)."""
        offer = self.offer_id
        quantities = {wiz_line.offer_line_id: wiz_line.quantity for wiz_line in accepted}
        line_cmds, pending_sections = [], []
        for line in offer.order_line.sorted(lambda line: (line.sequence, line.id)):
            if line.display_type in ("line_section", "line_subsection"):
                if line.display_type == "line_section":
                    pending_sections = []
                pending_sections.append(line)
                continue
            if line not in quantities:
                continue
            line_cmds += [Command.create(section.copy_data()[0]) for section in pending_sections]
            pending_sections = []
            line_cmds.append(
                Command.create(
                    line.copy_data(
                        {
                            "product_uom_qty": quantities[line],
                            "sysengage_offer_line_id": line.id,
                        }
                    )[0]
                )
            )
        vals = offer.copy_data(
            {
                "order_line": line_cmds,
                "origin": offer.name,
                "sysengage_offer_id": offer.id,
                "client_order_ref": self.client_order_ref or offer.client_order_ref,
                "validity_date": offer.validity_date,
            }
        )[0]
        return vals
