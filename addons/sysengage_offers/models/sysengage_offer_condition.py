from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.condition_matching import ConditionRule, check_amount_range

CONDITION_TYPES = [
    ("payment", "Payment"),
    ("delivery", "Delivery"),
    ("validity", "Validity"),
    ("warranty", "Warranty"),
    ("legal", "Legal"),
]


class SysengageOfferCondition(models.Model):
    _name = "sysengage.offer.condition"
    _description = "Offer condition"
    _order = "condition_type, priority desc, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    condition_type = fields.Selection(CONDITION_TYPES, string="Type", required=True, default="payment")
    text = fields.Html(required=True, translate=True, sanitize_attributes=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    priority = fields.Integer(
        default=10,
        help="For each condition type, only the applicable conditions with the highest priority are added.",
    )
    automatic = fields.Boolean(
        default=True,
        help="Added to offers automatically when its rules match. Otherwise it is only added by hand or by a template.",
    )
    company_id = fields.Many2one("res.company", index=True)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", help="Currency of the amount range (the company currency)."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "sysengage_offer_condition_partner_rel",
        string="Customers",
        domain=[("is_company", "=", True)],
    )
    grouping_code_ids = fields.Many2many(
        "sysengage.grouping.code",
        "sysengage_offer_condition_grouping_code_rel",
        string="Customer groups",
        help="Grouping codes of the customer (any of them matches).",
    )
    product_ids = fields.Many2many("product.product", string="Products", check_company=True)
    product_category_ids = fields.Many2many("product.category", string="Product groups")
    amount_min = fields.Monetary("Minimum amount", currency_field="currency_id")
    amount_max = fields.Monetary("Maximum amount", currency_field="currency_id", help="0 means no upper bound.")
    lang = fields.Selection(selection="_get_lang_selection", string="Language")
    date_from = fields.Date("Valid from")
    date_to = fields.Date("Valid until")

    _check_dates = models.Constraint(
        "CHECK(date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
        "The start of validity of a condition must be before its end.",
    )

    @api.model
    def _get_lang_selection(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("amount_min", "amount_max")
    def _check_amount_range(self):
        for condition in self:
            if not check_amount_range(condition.amount_min, condition.amount_max):
                raise ValidationError(
                    self.env._(
                        "The amount range of the condition %(name)s is inverted or negative: from %(min)s to %(max)s.",
                        name=condition.name,
                        min=condition.amount_min,
                        max=condition.amount_max,
                    )
                )

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for condition in self:
            condition.currency_id = (condition.company_id or self.env.company).currency_id

    def _to_rule(self, currency):
        """The plain rule used by the matching helper, amounts converted into ``currency``."""
        self.ensure_one()
        company = self.company_id or self.env.company
        today = fields.Date.context_today(self)

        def convert(amount):
            if not amount:
                return 0.0
            return self.currency_id._convert(amount, currency, company, today)

        return ConditionRule(
            id=self.id,
            condition_type=self.condition_type,
            priority=self.priority,
            partner_ids=frozenset(self.partner_ids.ids),
            grouping_code_ids=frozenset(self.grouping_code_ids.ids),
            product_ids=frozenset(self.product_ids.ids),
            category_ids=frozenset(self.product_category_ids.ids),
            amount_min=convert(self.amount_min),
            amount_max=convert(self.amount_max),
            company_id=self.company_id.id or None,
            lang=self.lang or None,
            date_from=self.date_from or None,
            date_to=self.date_to or None,
        )
