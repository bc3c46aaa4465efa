from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

#: markers replaced in a line description by the invoiced period's dates
MARKER_START = "#START#"
MARKER_END = "#END#"


class SysengageContractLine(models.Model):
    _name = "sysengage.contract.line"
    _description = "Contract Line"
    _inherit = ["analytic.mixin"]
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    contract_id = fields.Many2one("sysengage.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    sequence = fields.Integer(default=10)
    display_type = fields.Selection([("line_section", "Section"), ("line_note", "Note")])
    product_id = fields.Many2one(
        "product.product", check_company=True, domain="[('sale_ok', '=', True)]", ondelete="restrict"
    )
    name = fields.Text(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        help="Text of the invoice line; #START# and #END# are replaced by the invoiced period's dates.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit")
    price_forced = fields.Boolean(
        string="Fixed Price",
        help="Keep this unit price (indexations apply to it); otherwise the price table (or the product's "
        "sales price) is read again for every invoiced period.",
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    discount = fields.Float(string="Discount (%)", digits="Discount")
    tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )
    date_start = fields.Date(string="From", help="Leave empty to follow the contract.")
    date_end = fields.Date(string="Until", help="Leave empty to follow the contract.")
    price_subtotal = fields.Monetary(string="Amount per Period", compute="_compute_price_subtotal", store=True)

    @api.constrains("quantity", "display_type", "product_id", "name", "date_start", "date_end")
    def _check_line(self):
        for line in self:
            if line.display_type:
                continue
            if line.quantity < 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of the recurring line %(line)s cannot be negative (%(quantity)s).",
                        line=line.name or line.product_id.display_name,
                        quantity=line.quantity,
                    )
                )
            if not line.product_id and not line.name:
                raise ValidationError(self.env._("A contract line needs a product or a description."))
            if line.date_start and line.date_end and line.date_end < line.date_start:
                raise ValidationError(
                    self.env._(
                        "The line %(line)s ends before it starts.", line=line.name or line.product_id.display_name
                    )
                )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id and not line.display_type:
                line.name = line.product_id.get_product_multiline_description_sale()

    @api.depends("product_id", "quantity", "price_forced", "contract_id.partner_id", "contract_id.currency_id")
    def _compute_price_unit(self):
        today = fields.Date.context_today(self)
        for line in self:
            if line.price_forced or not line.product_id or line.display_type:
                continue
            contract = line.contract_id
            result = False
            if contract.partner_id:
                result = self.env["sysengage.price.rule"]._resolve_price(
                    line.product_id,
                    contract.partner_id,
                    quantity=line.quantity or 1.0,
                    date=contract.next_period_start or contract.date_start or today,
                    currency=contract.currency_id,
                    company=contract.company_id,
                )
            line.price_unit = result["price_unit"] if result else line._list_price(today)

    @api.depends("product_id", "contract_id.company_id")
    def _compute_tax_ids(self):
        for line in self:
            if not line.product_id:
                line.tax_ids = False
                continue
            company = line.contract_id.company_id or self.env.company
            line.tax_ids = line.product_id.taxes_id._filter_taxes_by_company(company)

    @api.depends("quantity", "price_unit", "discount", "display_type", "contract_id.currency_id")
    def _compute_price_subtotal(self):
        for line in self:
            if line.display_type:
                line.price_subtotal = 0.0
                continue
            amount = line.quantity * line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            line.price_subtotal = line.currency_id.round(amount) if line.currency_id else amount

    def _list_price(self, day):
        """The product's sales price in the contract's currency on ``day``."""
        self.ensure_one()
        contract = self.contract_id
        price = self.product_id.lst_price
        company_currency = contract.company_id.currency_id
        if contract.currency_id and company_currency and contract.currency_id != company_currency:
            price = company_currency._convert(price, contract.currency_id, contract.company_id, day, round=False)
        return price

    def _period_description(self, period, lang, date_cache):
        """The line's text with the period markers replaced (dates in the customer's language)."""
        self.ensure_one()
        text = self.name or self.product_id.display_name or ""
        if MARKER_START not in text and MARKER_END not in text:
            return text
        for marker, day in ((MARKER_START, period.start), (MARKER_END, period.end)):
            key = (lang, day)
            if key not in date_cache:
                date_cache[key] = format_date(self.env, day, lang_code=lang)
            text = text.replace(marker, date_cache[key])
        return text
