from odoo import api, fields, models


class SysengagePriceExplainWizard(models.TransientModel):
    _name = "sysengage.price.explain.wizard"
    _description = "Why this price?"

    product_id = fields.Many2one("product.product", string="Article", required=True)
    partner_id = fields.Many2one("res.partner", string="Customer")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    date = fields.Date(default=fields.Date.context_today, required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, readonly=False, required=True
    )
    rule_id = fields.Many2one("sysengage.price.rule", string="Winning rule", compute="_compute_explanation")
    price_unit = fields.Monetary(string="Table price", compute="_compute_explanation")
    discount = fields.Float(string="Discount (%)", digits="Discount", compute="_compute_explanation")
    list_price = fields.Monetary(string="List price", compute="_compute_explanation")
    beaten_rule_ids = fields.Many2many("sysengage.price.rule", string="Beaten rules", compute="_compute_explanation")
    tied_rule_ids = fields.Many2many("sysengage.price.rule", string="Tied rules", compute="_compute_explanation")
    outcome = fields.Selection(
        [("rule", "A rule gives the price"), ("tie", "Tie: no rule applied"), ("none", "No rule: list price")],
        compute="_compute_explanation",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.currency_id or wizard.company_id.currency_id

    @api.depends("product_id", "partner_id", "quantity", "date", "currency_id", "company_id")
    def _compute_explanation(self):
        PriceRule = self.env["sysengage.price.rule"]
        for wizard in self:
            wizard.update(
                {
                    "rule_id": False,
                    "price_unit": 0.0,
                    "discount": 0.0,
                    "list_price": 0.0,
                    "outcome": "none",
                    "beaten_rule_ids": False,
                    "tied_rule_ids": False,
                }
            )
            if not wizard.product_id or not wizard.currency_id:
                continue
            explained = PriceRule._explain_prices([wizard._prepare_price_line()])[0]
            wizard.list_price = PriceRule._sysengage_list_price(explained["line"])
            wizard.beaten_rule_ids = explained["beaten"]
            wizard.tied_rule_ids = explained["tied"]
            if explained["result"]:
                wizard.update(
                    {
                        "outcome": "rule",
                        "rule_id": explained["result"]["rule"],
                        "price_unit": explained["result"]["price_unit"],
                        "discount": explained["result"]["discount"],
                    }
                )
            elif explained["tied"]:
                wizard.outcome = "tie"

    def _prepare_price_line(self):
        self.ensure_one()
        return {
            "product": self.product_id,
            "partner": self.partner_id,
            "quantity": self.quantity,
            "date": self.date,
            "currency": self.currency_id,
            "company": self.company_id,
        }
