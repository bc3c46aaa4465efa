from odoo import Command, fields, models


class SysengageLineCopyWizardLine(models.TransientModel):
    _name = "sysengage.line.copy.wizard.line"
    _description = "Source line offered for copy"
    _order = "sequence, id"

    wizard_id = fields.Many2one("sysengage.line.copy.wizard", required=True, ondelete="cascade")
    selected = fields.Boolean("Copy")
    sequence = fields.Integer()
    display_type = fields.Selection(
        [("line_section", "Section"), ("line_subsection", "Subsection"), ("line_note", "Note")]
    )
    name = fields.Text("Description")
    product_id = fields.Many2one("product.product")
    quantity = fields.Float(digits="Product Unit")
    product_uom_id = fields.Many2one("uom.uom", string="Unit")
    price_unit = fields.Float("Unit price", digits="Product Price")
    discount = fields.Float("Discount (%)", digits="Discount")
    tax_ids = fields.Many2many("account.tax", string="Taxes")

    def _prepare_order_line_vals(self, start_sequence):
        vals_list = []
        for offset, line in enumerate(self):
            vals = {"sequence": start_sequence + offset, "name": line.name, "display_type": line.display_type}
            if not line.display_type:
                vals.update(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.quantity,
                        "product_uom_id": line.product_uom_id.id,
                        "price_unit": line.price_unit,
                        "technical_price_unit": line.price_unit,
                        "discount": line.discount,
                        "tax_ids": [Command.set(line.tax_ids.ids)],
                    }
                )
            vals_list.append(vals)
        return vals_list

    def _prepare_move_line_vals(self, start_sequence):
        vals_list = []
        for offset, line in enumerate(self):
            vals = {
                "sequence": start_sequence + offset,
                "name": line.name,
                "display_type": line.display_type or "product",
            }
            if not line.display_type:
                vals.update(
                    {
                        "product_id": line.product_id.id,
                        "quantity": line.quantity,
                        "product_uom_id": line.product_uom_id.id,
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                        "tax_ids": [Command.set(line.tax_ids.ids)],
                    }
                )
            vals_list.append(vals)
        return vals_list
