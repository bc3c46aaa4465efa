from odoo import fields, models


class SysengageContractTemplateLine(models.Model):
    _name = "sysengage.contract.template.line"
    _description = "Contract Template Line"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("sysengage.contract.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    display_type = fields.Selection([("line_section", "Section"), ("line_note", "Note")])
    product_id = fields.Many2one("product.product", domain="[('sale_ok', '=', True)]")
    name = fields.Text(string="Description")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    price_forced = fields.Boolean(string="Fixed Price")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    discount = fields.Float(string="Discount (%)", digits="Discount")

    def _prepare_contract_line_vals(self):
        self.ensure_one()
        vals = {
            "sequence": self.sequence,
            "display_type": self.display_type,
            "name": self.name,
        }
        if not self.display_type:
            vals.update(
                {
                    "product_id": self.product_id.id,
                    "quantity": self.quantity,
                    "discount": self.discount,
                    "price_forced": self.price_forced,
                }
            )
            if self.price_forced:
                vals["price_unit"] = self.price_unit
        return vals
