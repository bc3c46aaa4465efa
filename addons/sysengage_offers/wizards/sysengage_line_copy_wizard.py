from odoo import Command, api, fields, models
from odoo.exceptions import UserError

SECTION_TYPES = ("line_section", "line_subsection", "line_note")


class SysengageLineCopyWizard(models.TransientModel):
    _name = "sysengage.line.copy.wizard"
    _description = "Copy lines from an offer, order or invoice"

    target_order_id = fields.Many2one("sale.order", string="Copy into offer", readonly=True, ondelete="cascade")
    target_move_id = fields.Many2one("account.move", string="Copy into invoice", readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    source_type = fields.Selection(
        [("sale.order", "Offer or order"), ("account.move", "Invoice")],
        string="Copy from",
        required=True,
        default="sale.order",
    )
    source_order_id = fields.Many2one(
        "sale.order",
        string="Source offer or order",
        domain="[('company_id', '=', company_id), ('id', '!=', target_order_id)]",
    )
    source_move_id = fields.Many2one(
        "account.move",
        string="Source invoice",
        domain="[('company_id', '=', company_id), ('move_type', 'in', ('out_invoice', 'out_refund')),"
        " ('id', '!=', target_move_id)]",
    )
    line_ids = fields.One2many(
        "sysengage.line.copy.wizard.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("target_order_id", "target_move_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.target_order_id.company_id or wizard.target_move_id.company_id

    @api.depends("source_type", "source_order_id", "source_move_id")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            if wizard.source_type == "sale.order":
                commands += [Command.create(vals) for vals in wizard._prepare_lines_from_order(wizard.source_order_id)]
            else:
                commands += [Command.create(vals) for vals in wizard._prepare_lines_from_move(wizard.source_move_id)]
            wizard.line_ids = commands

    @api.model
    def _prepare_lines_from_order(self, order):
        return [
            {
                "sequence": line.sequence,
                "display_type": line.display_type if line.display_type in SECTION_TYPES else False,
                "name": line.name,
                "product_id": line.product_id.id,
                "quantity": line.product_uom_qty,
                "product_uom_id": line.product_uom_id.id,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "tax_ids": [Command.set(line.tax_ids.ids)],
            }
            for line in order.order_line.filtered(lambda line: not line.is_downpayment)
        ]

    @api.model
    def _prepare_lines_from_move(self, move):
        return [
            {
                "sequence": line.sequence,
                "display_type": line.display_type if line.display_type in SECTION_TYPES else False,
                "name": line.name,
                "product_id": line.product_id.id,
                "quantity": line.quantity,
                "product_uom_id": line.product_uom_id.id,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "tax_ids": [Command.set(line.tax_ids.ids)],
            }
            for line in move.invoice_line_ids
        ]

    def action_copy(self):
        """Append the ticked lines to the target document, in their source order."""
        self.ensure_one()
        lines = self.line_ids.filtered("selected").sorted(lambda line: (line.sequence, line.id))
        if not lines:
            raise UserError(self.env._("Tick at least one line to copy."))
        source = self.source_order_id if self.source_type == "sale.order" else self.source_move_id
        if source.company_id != self.company_id:
            raise UserError(self.env._("Lines can only be copied between documents of the same company."))
        if self.target_order_id:
            target = self.target_order_id
            if target.state not in ("draft", "sent"):
                raise UserError(self.env._("Lines can only be copied into an offer that is not confirmed."))
            start = max(target.order_line.mapped("sequence") or [0]) + 1
            target.write({"order_line": [Command.create(vals) for vals in lines._prepare_order_line_vals(start)]})
        elif self.target_move_id:
            target = self.target_move_id
            if target.state != "draft":
                raise UserError(self.env._("Lines can only be copied into a draft invoice."))
            start = max(target.invoice_line_ids.mapped("sequence") or [0]) + 1
            target.write({"invoice_line_ids": [Command.create(vals) for vals in lines._prepare_move_line_vals(start)]})
        else:
            raise UserError(self.env._("There is no document to copy the lines into."))
        return {"type": "ir.actions.act_window_close"}
