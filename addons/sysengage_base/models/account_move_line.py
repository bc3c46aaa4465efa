from collections import defaultdict

from odoo import api, fields, models

# Only server code of the suite holds this object (a client cannot put it in a context over RPC): set as the
# ``sysengage_move_batch`` context key by a batch creation of journal entries (the contract billing, the booking of a
# bank file), it has the company check run once per distinct company and value and keeps the subtotal and total
# the batch gives its journal items (see :func:`check_company_once` and ``AccountMoveLine.create``).
MOVE_BATCH_TOKEN = object()


def in_move_batch(env):
    """True inside a batch creation of journal entries by the suite's own code (see ``MOVE_BATCH_TOKEN``)."""
    return env.context.get("sysengage_move_batch") is MOVE_BATCH_TOKEN


def check_company_once(records, fnames, check):
    """Odoo's company check of ``records`` for ``fnames`` with one domain filter per field and distinct company,
    over the distinct values of all the records at once, instead of one per record and field.

    The outcome of Odoo's ``_check_company`` for a record and a field depends only on the record's companies and the
    field's value: each distinct value is filtered once with the domain of the companies it is checked against. When
    a value fails, ``check(subset, [name])`` runs Odoo's own check on the records holding it, which raises Odoo's own
    error naming them.
    """
    if fnames is None or {"company_id", "company_ids"} & set(fnames):
        fnames = list(records._fields)
    company_field = next((name for name in ("company_id", "company_ids") if name in records._fields), None)
    if records._name == "res.company" or not company_field:
        return check(records, fnames)
    for name in fnames:
        field = records._fields[name]
        if not (field.relational and field.check_company):
            continue

        def companies_of(record, field=field):
            # a company-dependent field is checked against the current company, whatever the record's
            return records.env.company._ids if field.company_dependent else record[company_field]._ids

        values = defaultdict(set)  # {companies the values are checked against: {value ids}}
        for record in records.sudo():
            values[companies_of(record)].update(record[name]._ids)
        refused = {}
        for companies, ids in values.items():
            corecords = records.env[field.comodel_name].sudo().browse(ids).with_context(active_test=False)
            domain = corecords._check_company_domain(records.env["res.company"].browse(companies))
            if ids and domain and (bad := ids - set(corecords.filtered_domain(domain)._ids)):
                refused[companies] = bad
        if refused:
            holders = [
                record.id
                for record in records.sudo()
                if refused.get(companies_of(record), set()).intersection(record[name]._ids)
            ]
            check(records.browse(holders), [name])


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    sysengage_price_rule_id = fields.Many2one(
        "sysengage.price.rule",
        string="Price rule",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The rule of the price table that gave the price of this line.",
    )
    # What the system last priced (article and price): a line whose price differs, or that was
    # created with an explicit price, was priced by hand and keeps its price until its article changes.
    sysengage_technical_product_id = fields.Many2one("product.product", copy=False)
    sysengage_technical_price_unit = fields.Float(copy=False)
    sysengage_price_manual = fields.Boolean(copy=False)

    @api.depends("quantity", "move_id.partner_id", "move_id.currency_id", "move_id.invoice_date")
    def _compute_price_unit(self):
        # Override of account: the price also follows quantity/customer/date, and customer documents take
        # the price table first; prices typed by hand are kept
        super_result = None
        to_price = self.filtered(lambda line: line.product_id and not line._sysengage_has_manual_price())
        table_lines = to_price.filtered(lambda line: line._sysengage_use_price_table())
        results = (
            self.env["sysengage.price.rule"]._sysengage_resolve_prices(
                [line._sysengage_prepare_price_line() for line in table_lines]
            )
            if table_lines
            else []
        )
        standard_lines = to_price - table_lines
        for line, table_result in zip(table_lines, results):
            if table_result:
                line.update(
                    {
                        "price_unit": table_result["price_unit"],
                        "discount": table_result["discount"],
                        "sysengage_price_rule_id": table_result["rule"].id,
                    }
                )
            else:
                standard_lines |= line
        if standard_lines:
            # the discount came from a rule that no longer applies
            standard_lines.filtered("sysengage_price_rule_id").update(
                {"discount": 0.0, "sysengage_price_rule_id": False}
            )
            super_result = super(AccountMoveLine, standard_lines)._compute_price_unit()
        for line in to_price:
            line.update(
                {
                    "sysengage_technical_product_id": line.product_id.id,
                    "sysengage_technical_price_unit": line.price_unit,
                    "sysengage_price_manual": False,
                }
            )
        return super_result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "price_unit" in vals and vals.get("product_id") and "sysengage_technical_product_id" not in vals:
                # an explicit price (e.g. from a sale order): keep it while the article stays the same
                vals.update(
                    {
                        "sysengage_technical_product_id": vals["product_id"],
                        "sysengage_technical_price_unit": vals["price_unit"],
                        "sysengage_price_manual": True,
                    }
                )
        self._sysengage_prepare_table_prices(vals_list)
        lines = super().create(vals_list)
        if in_move_batch(self.env):
            # the batch gives the subtotal and total of its items as their compute does (the line rounded alone):
            # Odoo would compute each line again, as it does not keep a read-only computed value given at creation
            given = lines.browse(
                [
                    line.id
                    for line, vals in zip(lines, vals_list, strict=True)
                    if "price_subtotal" in vals and "price_total" in vals
                ]
            )
            for name in ("price_subtotal", "price_total"):
                self.env.remove_to_compute(self._fields[name], given)
        return lines

    def _check_company(self, fnames=None):
        if in_move_batch(self.env):
            return check_company_once(self, fnames, lambda lines, names: super()._check_company(names))
        return super()._check_company(fnames)

    @api.model
    def _sysengage_prepare_table_prices(self, vals_list):
        """Put the table price in the values of new customer lines without price (one batch).

        At creation account only keeps the precomputed price, not the discount and the rule set beside it
        by :meth:`_compute_price_unit`, so the table is applied to the values here.
        """
        todo = []
        for vals in vals_list:
            if "price_unit" in vals or not vals.get("product_id") or not vals.get("move_id"):
                continue
            move = self.env["account.move"].browse(vals["move_id"])
            if vals.get("display_type", "product") != "product" or not move.is_sale_document(include_receipts=True):
                continue
            product = self.env["product.product"].browse(vals["product_id"])
            line = {
                "product": product,
                "partner": move.partner_id,
                "quantity": vals.get("quantity") or 1.0,
                "date": move.invoice_date or move.date or fields.Date.context_today(self),
                "currency": move.currency_id,
                "company": move.company_id,
            }
            if vals.get("product_uom_id"):
                line["uom"] = self.env["uom.uom"].browse(vals["product_uom_id"])
            todo.append((vals, line))
        if not todo:
            return
        results = self.env["sysengage.price.rule"]._sysengage_resolve_prices([line for _vals, line in todo])
        for (vals, _line), result in zip(todo, results):
            if not result:
                continue
            vals.update(
                {
                    "price_unit": result["price_unit"],
                    "sysengage_price_rule_id": result["rule"].id,
                    "sysengage_technical_product_id": vals["product_id"],
                    "sysengage_technical_price_unit": result["price_unit"],
                }
            )
            vals.setdefault("discount", result["discount"])

    def action_sysengage_explain_price(self):
        """Open "why this price?" for this line."""
        self.ensure_one()
        move = self.move_id
        return self.env["sysengage.price.rule"].action_sysengage_explain_price(
            product=self.product_id,
            partner=move.partner_id,
            quantity=self.quantity,
            date=move.invoice_date or move.date,
            currency=move.currency_id,
        )

    def _sysengage_has_manual_price(self):
        self.ensure_one()
        if self.product_id != self.sysengage_technical_product_id:
            return False
        currency = self.currency_id or self.move_id.currency_id or self.env.company.currency_id
        return self.sysengage_price_manual or bool(
            currency.compare_amounts(self.sysengage_technical_price_unit, self.price_unit)
        )

    def _sysengage_use_price_table(self):
        """Customer documents' product lines (not imported ones) take the price table."""
        self.ensure_one()
        return bool(
            self.product_id
            and self.display_type not in ("line_section", "line_subsection", "line_note")
            and not self.is_imported
            and self.move_id.is_sale_document(include_receipts=True)
        )

    def _sysengage_prepare_price_line(self):
        self.ensure_one()
        move = self.move_id
        return {
            "product": self.product_id,
            "partner": move.partner_id,
            "quantity": self.quantity or 1.0,
            "date": move.invoice_date or move.date or fields.Date.context_today(self),
            "currency": move.currency_id,
            "company": move.company_id,
            "uom": self.product_uom_id,
        }
