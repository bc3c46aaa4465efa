import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.sysengage_base.tools import price_resolution as resolution

_logger = logging.getLogger(__name__)

# columns read by the resolver, in the order of resolution.Rule fields
_RULE_COLUMNS = (
    "id",
    "customer_scope",
    "partner_id",
    "grouping_code_id",
    "article_scope",
    "product_tmpl_id",
    "categ_id",
    "min_quantity",
    "date_start",
    "date_end",
    "currency_id",
    "company_id",
    "price_type",
    "fixed_price",
    "discount",
)
# a change of one of these fields may settle a reported tie
_KEY_FIELDS = set(_RULE_COLUMNS) - {"id", "fixed_price", "discount"} | {"active"}


class SysengagePriceRule(models.Model):
    _name = "sysengage.price.rule"
    _description = "Price rule"
    _inherit = ["mail.thread", "sysengage.approval.mixin"]
    _order = "customer_scope, article_scope, min_quantity desc, date_start desc, id"
    _check_company_auto = True

    name = fields.Char(string="Description", help="Optional note, e.g. the agreement the price comes from.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        tracking=True,
        help="Leave empty to share the rule between all companies.",
    )
    customer_scope = fields.Selection(
        [
            (resolution.CUSTOMER_PARTNER, "One customer"),
            (resolution.CUSTOMER_GROUP, "Customer group"),
            (resolution.CUSTOMER_ALL, "All customers"),
        ],
        required=True,
        default=resolution.CUSTOMER_ALL,
        index=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain=["|", ("is_company", "=", True), ("parent_id", "=", False)],
    )
    grouping_code_id = fields.Many2one(
        "sysengage.grouping.code", string="Customer group", index="btree_not_null", tracking=True
    )
    article_scope = fields.Selection(
        [
            (resolution.ARTICLE_PRODUCT, "One article"),
            (resolution.ARTICLE_CATEGORY, "Article group"),
            (resolution.ARTICLE_ALL, "All articles"),
        ],
        required=True,
        default=resolution.ARTICLE_PRODUCT,
        index=True,
        tracking=True,
    )
    product_tmpl_id = fields.Many2one(
        "product.template", string="Article", index="btree_not_null", check_company=True, tracking=True
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Article group",
        index="btree_not_null",
        tracking=True,
        help="The rule applies to the articles of this category and of its sub-categories.",
    )
    min_quantity = fields.Float(
        string="From quantity",
        default=0.0,
        digits="Product Unit",
        tracking=True,
        help="Quantity break: the rule applies from this quantity on (in the unit of the article).",
    )
    date_start = fields.Date(string="Valid from", index=True, tracking=True)
    date_end = fields.Date(string="Valid until", index=True, tracking=True)
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        tracking=True,
        help="A fixed price applies to documents in this currency only. A discount without currency applies to "
        "every currency.",
    )
    price_type = fields.Selection(
        [(resolution.PRICE_FIXED, "Fixed price"), (resolution.PRICE_DISCOUNT, "Discount on list price")],
        required=True,
        default=resolution.PRICE_FIXED,
        tracking=True,
    )
    fixed_price = fields.Monetary(string="Price", currency_field="currency_id", tracking=True)
    discount = fields.Float(string="Discount (%)", digits="Discount", tracking=True)
    tie_detected = fields.Boolean(
        string="Tie to settle",
        readonly=True,
        copy=False,
        index=True,
        help="This rule is as specific as another one for a customer and an article: neither is applied until a "
        "manager changes one of them.",
    )
    tie_rule_ids = fields.Many2many(
        "sysengage.price.rule",
        "sysengage_price_rule_tie_rel",
        "rule_id",
        "other_rule_id",
        string="Tied with",
        readonly=True,
        copy=False,
    )

    _min_quantity_positive = models.Constraint(
        "CHECK (min_quantity >= 0)", "The quantity break of a price rule cannot be negative."
    )
    _discount_range = models.Constraint(
        "CHECK (discount >= 0 AND discount <= 100)", "A discount must be between 0 and 100 %."
    )
    _dates_ordered = models.Constraint(
        "CHECK (date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
        "The end of validity of a price rule cannot be before its start.",
    )
    _partner_scope = models.Constraint(
        "CHECK ((customer_scope = 'partner') = (partner_id IS NOT NULL))",
        "Choose the customer of a rule for one customer (and only then).",
    )
    _group_scope = models.Constraint(
        "CHECK ((customer_scope = 'group') = (grouping_code_id IS NOT NULL))",
        "Choose the customer group of a rule for a customer group (and only then).",
    )
    _product_scope = models.Constraint(
        "CHECK ((article_scope = 'product') = (product_tmpl_id IS NOT NULL))",
        "Choose the article of a rule for one article (and only then).",
    )
    _category_scope = models.Constraint(
        "CHECK ((article_scope = 'category') = (categ_id IS NOT NULL))",
        "Choose the article group of a rule for an article group (and only then).",
    )
    _search_key_idx = models.Index("(company_id, article_scope, customer_scope, min_quantity) WHERE active")
    _partner_product_idx = models.Index("(partner_id, product_tmpl_id) WHERE partner_id IS NOT NULL")
    _group_product_idx = models.Index("(grouping_code_id, product_tmpl_id) WHERE grouping_code_id IS NOT NULL")

    @api.constrains("price_type", "currency_id", "fixed_price")
    def _check_fixed_price(self):
        for rule in self:
            if rule.price_type == resolution.PRICE_FIXED and not rule.currency_id:
                raise ValidationError(self.env._("A fixed price needs a currency."))
            if rule.price_type == resolution.PRICE_FIXED and rule.fixed_price < 0:
                raise ValidationError(self.env._("A fixed price cannot be negative."))

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for rule in self:
            if rule.partner_id and rule.partner_id.commercial_partner_id != rule.partner_id:
                raise ValidationError(
                    self.env._(
                        "Price rules are set on the company %(company)s, not on its contact %(contact)s.",
                        company=rule.partner_id.commercial_partner_id.display_name,
                        contact=rule.partner_id.display_name,
                    )
                )

    @api.depends("customer_scope", "partner_id", "grouping_code_id", "article_scope", "product_tmpl_id", "categ_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for rule in self:
            customer = {
                resolution.CUSTOMER_PARTNER: rule.partner_id.display_name,
                resolution.CUSTOMER_GROUP: rule.grouping_code_id.display_name,
            }.get(rule.customer_scope) or self.env._("All customers")
            article = {
                resolution.ARTICLE_PRODUCT: rule.product_tmpl_id.display_name,
                resolution.ARTICLE_CATEGORY: rule.categ_id.display_name,
            }.get(rule.article_scope) or self.env._("All articles")
            rule.display_name = f"{customer} / {article}"

    @api.onchange("customer_scope")
    def _onchange_customer_scope(self):
        if self.customer_scope != resolution.CUSTOMER_PARTNER:
            self.partner_id = False
        if self.customer_scope != resolution.CUSTOMER_GROUP:
            self.grouping_code_id = False

    @api.onchange("article_scope")
    def _onchange_article_scope(self):
        if self.article_scope != resolution.ARTICLE_PRODUCT:
            self.product_tmpl_id = False
        if self.article_scope != resolution.ARTICLE_CATEGORY:
            self.categ_id = False

    def write(self, vals):
        if _KEY_FIELDS & set(vals):
            settled = (self | self.tie_rule_ids).filtered("tie_detected")
            if settled:
                # the managers changed the table: the next pricing tells whether the tie is gone
                super(SysengagePriceRule, settled).write(
                    {"tie_detected": False, "tie_rule_ids": [fields.Command.clear()]}
                )
        return super().write(vals)

    def action_settle_tie(self):
        """The manager has looked at the tie (e.g. the prices are equal): clear the flag."""
        rules = self | self.tie_rule_ids
        rules.write({"tie_detected": False, "tie_rule_ids": [fields.Command.clear()]})
        return True

    @api.model
    def action_sysengage_explain_price(self, product=None, partner=None, quantity=1.0, date=None, currency=None):
        """The "why this price" wizard, prefilled; other addons call it from their lines."""
        context = {"default_quantity": quantity}
        if product:
            context["default_product_id"] = product.id
        if partner:
            context["default_partner_id"] = partner.id
        if currency:
            context["default_currency_id"] = currency.id
        if date:
            context["default_date"] = fields.Date.to_string(date)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Why this price?"),
            "res_model": "sysengage.price.explain.wizard",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    # ------------------------------------------------------------------
    # Resolution
    # ------------------------------------------------------------------
    @api.model
    def _resolve_price(self, product, partner, quantity=1.0, date=None, currency=None, company=None):
        """The table price of ``product`` for ``partner``.

        :return: ``{"price_unit", "discount", "rule", "beaten"}`` or ``False`` when no rule applies (or
            on a tie, which is reported to the managers)
        """
        line = {
            "product": product,
            "partner": partner,
            "quantity": quantity,
            "date": date,
            "currency": currency,
            "company": company,
        }
        return self._sysengage_resolve_prices([line])[0]

    @api.model
    def _sysengage_resolve_prices(self, lines):
        """Batch version of :meth:`_resolve_price`: one search for all ``lines``.

        :param lines: list of dicts with ``product`` (product.product or product.template), ``partner``,
            and optionally ``quantity``, ``date``, ``currency``, ``company``, ``uom`` (the line unit)
        :return: a list, in the order of ``lines``, of result dicts or ``False``
        """
        explained = self._explain_prices(lines)
        ties = [item for item in explained if item["decision"].is_tie]
        if ties:
            self._report_ties(ties)
        return [item["result"] for item in explained]

    @api.model
    def _explain_prices(self, lines):
        """Resolution with its reasons: per line ``{"line", "decision", "result", "tied"}`` (records)."""
        self._prefetch(lines)
        prepared = [self._prepare_line(line) for line in lines]
        candidates = self._fetch_candidates(prepared)
        decisions = resolution.resolve_many(candidates, [plain for _values, plain in prepared])
        explained = []
        for (values, _plain), decision in zip(prepared, decisions):
            result = False
            if decision.winner:
                price_unit, discount = resolution.price_of(
                    decision.winner,
                    self._sysengage_list_price(values)
                    if decision.winner.price_type == resolution.PRICE_DISCOUNT
                    else 0.0,
                )
                if decision.winner.price_type == resolution.PRICE_FIXED and values["uom"] != values["product_uom"]:
                    price_unit = values["product_uom"]._compute_price(price_unit, values["uom"])
                result = {
                    "price_unit": price_unit,
                    "discount": discount,
                    "rule": self.browse(decision.winner.id),
                    "beaten": self.browse([rule.id for rule in decision.beaten]),
                }
            explained.append(
                {
                    "line": values,
                    "decision": decision,
                    "result": result,
                    "tied": self.browse([rule.id for rule in decision.tied]),
                    "beaten": self.browse([rule.id for rule in decision.beaten]),
                }
            )
        return explained

    @api.model
    def _prefetch(self, lines):
        """Read what the lines need in a few queries, whatever recordsets their records come from."""
        products = self.env["product.product"].browse(
            {line["product"].id for line in lines if line["product"]._name == "product.product"}
        )
        templates = self.env["product.template"].browse(
            {line["product"].id for line in lines if line["product"]._name == "product.template"}
        )
        products.fetch(["product_tmpl_id"])
        templates |= products.product_tmpl_id
        templates.fetch(["categ_id", "uom_id"])
        templates.categ_id.fetch(["parent_path"])
        partners = self.env["res.partner"].browse({line["partner"].id for line in lines if line.get("partner")})
        partners.fetch(["commercial_partner_id"])
        partners.commercial_partner_id.fetch(["sysengage_grouping_code_ids"])

    @api.model
    def _prepare_line(self, line):
        """Normalise one line: ``(values with records, resolution.Line)``."""
        product = line["product"]
        template = product.product_tmpl_id if product._name == "product.product" else product
        variant = product if product._name == "product.product" else product.product_variant_id
        partner = line.get("partner") or self.env["res.partner"]
        commercial = partner.commercial_partner_id
        company = line.get("company") or self.env.company
        currency = line.get("currency") or company.currency_id
        date = line.get("date") or fields.Date.context_today(self)
        date = fields.Date.to_date(date)  # a datetime gives its date
        # quantity breaks read the size of the line, also on a credit note line with a negative quantity
        quantity = abs(line.get("quantity", 1.0) or 0.0)
        uom = line.get("uom") or template.uom_id
        if uom != template.uom_id:
            # quantity breaks are expressed in the unit of the article
            quantity = uom._compute_quantity(quantity, template.uom_id, round=False)
        category_ids = tuple(int(part) for part in reversed((template.categ_id.parent_path or "").split("/")) if part)
        values = {
            "product": variant,
            "template": template,
            "partner": commercial,
            "company": company,
            "currency": currency,
            "date": date,
            "quantity": quantity,
            "uom": uom,
            "product_uom": template.uom_id,
        }
        plain = resolution.Line(
            product_tmpl_id=template.id,
            category_ids=category_ids,
            partner_id=commercial.id or None,
            grouping_code_ids=frozenset(commercial.sysengage_grouping_code_ids.ids),
            quantity=quantity,
            date=date,
            currency_id=currency.id,
            company_id=company.id,
        )
        return values, plain

    @api.model
    def _get_candidates_domain(self, plain_lines):
        """Rules that may apply to at least one of ``plain_lines`` (refined per line in Python)."""
        template_ids = {line.product_tmpl_id for line in plain_lines}
        category_ids = {categ_id for line in plain_lines for categ_id in line.category_ids}
        partner_ids = {line.partner_id for line in plain_lines if line.partner_id}
        code_ids = {code_id for line in plain_lines for code_id in line.grouping_code_ids}
        dates = [line.date for line in plain_lines]
        return (
            Domain("company_id", "in", [*{line.company_id for line in plain_lines}, False])
            & (
                Domain("article_scope", "=", resolution.ARTICLE_ALL)
                | Domain("product_tmpl_id", "in", list(template_ids))
                | Domain("categ_id", "in", list(category_ids))
            )
            & (
                Domain("customer_scope", "=", resolution.CUSTOMER_ALL)
                | Domain("partner_id", "in", list(partner_ids))
                | Domain("grouping_code_id", "in", list(code_ids))
            )
            & Domain("min_quantity", "<=", max(line.quantity for line in plain_lines))
            & (Domain("date_start", "=", False) | Domain("date_start", "<=", max(dates)))
            & (Domain("date_end", "=", False) | Domain("date_end", ">=", min(dates)))
            & (
                Domain("currency_id", "=", False)
                | Domain("currency_id", "in", list({line.currency_id for line in plain_lines}))
            )
        )

    @api.model
    def _get_candidates_pairs_sql(self, plain_lines):
        """Narrow the candidates to the (customer, article) pairs really asked for.

        The domain alone crosses every customer of the batch with every article; on a batch mixing
        many customers this condition keeps only the rules of a customer (or customer group) for the
        articles (or article groups) of that customer's own lines.
        """

        def column(name):
            return SQL.identifier(self._table, name)

        def pairs_in(left, right, pairs):
            firsts, seconds = zip(*pairs) if pairs else ((), ())
            return SQL(
                "(%s, %s) IN (SELECT * FROM unnest(%s::int[], %s::int[]))",
                column(left),
                column(right),
                list(firsts),
                list(seconds),
            )

        def scope(customer_column, customer_ids, article_pairs, category_pairs):
            return SQL(
                "((%s = 'all' AND %s = ANY(%s)) OR (%s = 'product' AND %s) OR (%s = 'category' AND %s))",
                column("article_scope"),
                column(customer_column),
                list(customer_ids),
                column("article_scope"),
                pairs_in(customer_column, "product_tmpl_id", article_pairs),
                column("article_scope"),
                pairs_in(customer_column, "categ_id", category_pairs),
            )

        partner_lines = [line for line in plain_lines if line.partner_id]
        return SQL(
            "(%s <> 'partner' OR %s) AND (%s <> 'group' OR %s)",
            column("customer_scope"),
            scope(
                "partner_id",
                {line.partner_id for line in partner_lines},
                {(line.partner_id, line.product_tmpl_id) for line in partner_lines},
                {(line.partner_id, categ_id) for line in partner_lines for categ_id in line.category_ids},
            ),
            column("customer_scope"),
            scope(
                "grouping_code_id",
                {code_id for line in plain_lines for code_id in line.grouping_code_ids},
                {(code_id, line.product_tmpl_id) for line in plain_lines for code_id in line.grouping_code_ids},
                {
                    (code_id, categ_id)
                    for line in plain_lines
                    for code_id in line.grouping_code_ids
                    for categ_id in line.category_ids
                },
            ),
        )

    @api.model
    def _fetch_candidates(self, prepared):
        """One query for the whole batch; rows become plain ``resolution.Rule`` values."""
        if not prepared:
            return []
        plain_lines = [plain for _values, plain in prepared]
        query = self._search(self._get_candidates_domain(plain_lines))
        query.add_where(self._get_candidates_pairs_sql(plain_lines))
        rows = self.env.execute_query(query.select(*(SQL.identifier(self._table, column) for column in _RULE_COLUMNS)))
        return [resolution.Rule(*row) for row in rows]

    @api.model
    def _sysengage_list_price(self, values):
        """List price of the line's article, in the line currency and unit."""
        product = values["product"].with_company(values["company"])
        price = product.lst_price
        if values["uom"] != values["product_uom"]:
            price = values["product_uom"]._compute_price(price, values["uom"])
        if product.currency_id and product.currency_id != values["currency"]:
            price = product.currency_id._convert(
                price, values["currency"], values["company"], values["date"], round=False
            )
        return price

    @api.model
    def _report_ties(self, ties):
        """Flag tied rules for the managers, with a note in their chatter; each tie is reported once."""
        if self.env.cr.readonly:
            _logger.warning("Price rule tie not reported (read-only transaction)")
            return
        for item in ties:
            tied = item["tied"]
            new = tied.filtered(lambda rule, tied=tied: not rule.tie_detected or (tied - rule) - rule.tie_rule_ids)
            if not new:
                continue
            values = item["line"]
            body = self.env._(
                "Tie between the price rules %(rules)s for %(customer)s, %(article)s, quantity %(quantity)s on "
                "%(date)s: they are equally specific, so none is applied. Change one of them to settle it.",
                rules=", ".join(f"#{rule.id} {rule.display_name}" for rule in tied),
                customer=values["partner"].display_name or self.env._("no customer"),
                article=values["product"].display_name,
                quantity=values["quantity"],
                date=values["date"],
            )
            # narrow sudo: the user pricing a line may not edit the table, the managers must still be told
            tied_sudo = tied.sudo()
            managers = self._get_tie_managers(values["company"])
            for rule in tied_sudo:
                rule.write(
                    {"tie_detected": True, "tie_rule_ids": [fields.Command.link(other.id) for other in tied - rule]}
                )
                # the managers are notified once per tie, on its first rule
                rule.message_post(
                    body=body,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    partner_ids=managers.partner_id.ids if rule == tied_sudo[:1] else [],
                )

    @api.model
    def _get_tie_managers(self, company):
        """Users told of a tie: the Sysengage managers of ``company``."""
        return (
            self.env.ref("sysengage_base.group_manager")
            .sudo()
            .all_user_ids.filtered(lambda user: not user.share and company in user.company_ids)
        )
