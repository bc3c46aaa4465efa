import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL, float_round, format_date

from ..tools.indexation import indexation_factor
from ..tools.recurrence import PERIODICITY_MONTHS, Recurrence, RecurrenceError
from .account_move_line import BILLING_TOKEN
from .sysengage_contract_template import BILLING_MODE_SELECTION, PERIODICITY_SELECTION

_logger = logging.getLogger(__name__)

#: states in which due periods are invoiced (a terminated contract is billed up to its end date)
BILLABLE_STATES = ("running", "to_renew", "terminated")
#: a contract never catches up more than this many periods in one call (guards against absurd start dates)
MAX_CATCH_UP = 240
DEFAULT_BATCH_SIZE = 200


class SysengageContract(models.Model):
    _name = "sysengage.contract"
    _description = "Contract"
    _inherit = ["sysengage.event.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/", index="trigram")
    title = fields.Char(tracking=True)
    active = fields.Boolean(default=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("to_renew", "To Renew"),
            ("terminated", "Terminated"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_expand_states",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    partner_invoice_id = fields.Many2one(
        "res.partner",
        string="Invoice Address",
        compute="_compute_partner_invoice_id",
        store=True,
        readonly=False,
        required=True,
        check_company=True,
        precompute=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        tracking=True,
        precompute=True,
        domain="[('share', '=', False)]",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Sales Journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        check_company=True,
        domain="[('type', '=', 'sale')]",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        compute="_compute_payment_term_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    template_id = fields.Many2one("sysengage.contract.template", check_company=True)
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", copy=False, index="btree_not_null")
    tag_ids = fields.Many2many("sysengage.contract.tag", string="Tags")
    note = fields.Html(string="Internal Note")

    date_start = fields.Date(string="Start Date", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(string="End Date", tracking=True, copy=False)
    notice_months = fields.Integer(string="Notice Period (Months)", default=3)
    auto_renew = fields.Boolean(string="Automatic Renewal")
    renewal_months = fields.Integer(string="Renewal (Months)", default=12)
    termination_date = fields.Date(readonly=True, copy=False, tracking=True)
    termination_reason = fields.Text(readonly=True, copy=False)

    periodicity = fields.Selection(PERIODICITY_SELECTION, required=True, default="monthly", tracking=True)
    interval_months = fields.Integer(
        string="Every (Months)",
        compute="_compute_interval_months",
        store=True,
        readonly=False,
        precompute=True,
    )
    billing_mode = fields.Selection(BILLING_MODE_SELECTION, required=True, default="advance")
    invoice_offset = fields.Integer(
        string="Invoice Date Offset (Days)", help="Days added to (or, when negative, removed from) the invoice date."
    )
    prorate_first = fields.Boolean(
        string="First Period Pro Rata",
        help="Align the periods on the calendar and invoice the first one pro rata temporis (days actual/actual).",
    )
    group_invoices = fields.Boolean(
        string="Group per Customer",
        default=lambda self: self.env.company.sysengage_contract_group_invoices,
        help="Invoice this contract together with the customer's other grouped contracts due the same day.",
    )
    auto_post = fields.Boolean(
        string="Post Invoices at Once", default=lambda self: self.env.company.sysengage_contract_auto_post
    )
    next_period_start = fields.Date(
        string="Invoiced Until (Next Period Start)",
        copy=False,
        readonly=True,
        help="First day not invoiced yet.",
    )
    next_invoice_date = fields.Date(compute="_compute_next_invoice_date", store=True, index=True, copy=False)
    has_reopened_periods = fields.Boolean(
        string="Reopened Periods",
        copy=False,
        readonly=True,
        help="A cancelled or deleted invoice reopened a period while later periods keep their invoices: "
        "the billing checks the invoices of this contract and invoices only the periods without one.",
    )

    line_ids = fields.One2many("sysengage.contract.line", "contract_id", string="Lines", copy=True)
    indexation_ids = fields.One2many("sysengage.contract.indexation", "contract_id", string="Indexations")
    recurring_amount = fields.Monetary(string="Amount per Period", compute="_compute_recurring_amounts", store=True)
    mrr = fields.Monetary(string="MRR", compute="_compute_recurring_amounts", store=True, aggregator="sum")
    arr = fields.Monetary(string="ARR", compute="_compute_recurring_amounts", store=True, aggregator="sum")
    invoice_count = fields.Integer(compute="_compute_invoice_count")

    _interval_positive = models.Constraint(
        "CHECK (interval_months > 0)", "The number of months between two invoices must be positive."
    )
    _notice_positive = models.Constraint(
        "CHECK (notice_months >= 0 AND renewal_months >= 0)", "Notice and renewal periods cannot be negative."
    )
    _due_idx = models.Index("(next_invoice_date, id) WHERE state IN ('running', 'to_renew', 'terminated')")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(name)s: the end date %(end)s is before the start date %(start)s.",
                        name=contract.display_name,
                        end=format_date(self.env, contract.date_end),
                        start=format_date(self.env, contract.date_start),
                    )
                )

    @api.constrains("partner_id", "partner_invoice_id", "currency_id", "journal_id", "line_ids", "state")
    def _check_invoiceable(self):
        for contract in self:
            if contract.state == "cancelled":
                continue
            errors = contract._sysengage_invoiceable_errors()
            if errors:
                raise ValidationError("\n".join(errors))

    def _sysengage_invoiceable_errors(self):
        """The reasons why this contract cannot be invoiced (an empty list when it can)."""
        self.ensure_one()
        errors = []
        name = self.display_name
        if not self.line_ids.filtered(lambda line: not line.display_type):
            errors.append(self.env._("Contract %(name)s has no line to invoice.", name=name))
        address = self.partner_invoice_id
        if not address or not (address.street and address.zip and address.city and address.country_id):
            errors.append(
                self.env._(
                    "Contract %(name)s: the customer %(customer)s has no complete invoice address "
                    "(street, ZIP, city and country).",
                    name=name,
                    customer=self.partner_id.display_name,
                )
            )
        journal_currency = self.journal_id.currency_id or self.company_id.currency_id
        if self.currency_id and journal_currency and self.currency_id != journal_currency:
            if self.journal_id.currency_id:
                errors.append(
                    self.env._(
                        "Contract %(name)s is in %(currency)s but its journal %(journal)s only accepts "
                        "%(journal_currency)s.",
                        name=name,
                        currency=self.currency_id.name,
                        journal=self.journal_id.display_name,
                        journal_currency=journal_currency.name,
                    )
                )
            elif not self.env["res.currency.rate"].search_count(
                [("currency_id", "=", self.currency_id.id), ("company_id", "in", [self.company_id.id, False])],
                limit=1,
            ):
                errors.append(
                    self.env._(
                        "Contract %(name)s is in %(currency)s, which has no exchange rate to %(journal_currency)s.",
                        name=name,
                        currency=self.currency_id.name,
                        journal_currency=journal_currency.name,
                    )
                )
        return errors

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("partner_id")
    def _compute_partner_invoice_id(self):
        for contract in self:
            contract.partner_invoice_id = (
                contract.partner_id.address_get(["invoice"])["invoice"] if contract.partner_id else False
            )

    @api.depends("partner_id")
    def _compute_user_id(self):
        for contract in self:
            contract.user_id = contract.partner_id.commercial_partner_id.user_id or contract.user_id or self.env.user

    @api.depends("journal_id", "company_id")
    def _compute_currency_id(self):
        for contract in self:
            contract.currency_id = (
                contract.journal_id.currency_id or contract.company_id.currency_id or contract.currency_id
            )

    @api.depends("company_id")
    def _compute_journal_id(self):
        for contract in self:
            if contract.journal_id.company_id == contract.company_id:
                continue
            contract.journal_id = self.env["account.journal"].search(
                [*self.env["account.journal"]._check_company_domain(contract.company_id), ("type", "=", "sale")],
                limit=1,
            )

    @api.depends("partner_id", "company_id")
    def _compute_payment_term_id(self):
        for contract in self:
            partner = contract.partner_id.with_company(contract.company_id)
            contract.payment_term_id = partner.property_payment_term_id or contract.payment_term_id

    @api.depends("partner_id", "partner_invoice_id", "company_id")
    def _compute_fiscal_position_id(self):
        for contract in self:
            if not contract.partner_id:
                contract.fiscal_position_id = False
                continue
            contract.fiscal_position_id = (
                self.env["account.fiscal.position"]
                .with_company(contract.company_id)
                ._get_fiscal_position(contract.partner_id, delivery=contract.partner_invoice_id)
            )

    @api.depends("periodicity")
    def _compute_interval_months(self):
        for contract in self:
            if contract.periodicity in PERIODICITY_MONTHS:
                contract.interval_months = PERIODICITY_MONTHS[contract.periodicity]
            elif not contract.interval_months:
                contract.interval_months = 1

    @api.depends(
        "state",
        "next_period_start",
        "date_start",
        "date_end",
        "interval_months",
        "billing_mode",
        "invoice_offset",
        "prorate_first",
    )
    def _compute_next_invoice_date(self):
        for contract in self:
            if contract.state not in BILLABLE_STATES or not contract.date_start:
                contract.next_invoice_date = False
                continue
            try:
                recurrence = contract._sysengage_recurrence()
            except RecurrenceError:
                contract.next_invoice_date = False
                continue
            contract.next_invoice_date = recurrence.next_invoice_date(contract.next_period_start or contract.date_start)

    @api.depends("line_ids.price_subtotal", "interval_months")
    def _compute_recurring_amounts(self):
        for contract in self:
            amount = sum(contract.line_ids.mapped("price_subtotal"))
            contract.recurring_amount = amount
            contract.mrr = amount / contract.interval_months if contract.interval_months > 0 else 0.0
            contract.arr = contract.mrr * 12

    def _compute_invoice_count(self):
        groups = self.env["account.move.line"]._read_group(
            [("sysengage_contract_id", "in", self.ids)], ["sysengage_contract_id"], ["move_id:count_distinct"]
        )
        counts = {contract.id: count for contract, count in groups}
        for contract in self:
            contract.invoice_count = counts.get(contract.id, 0)

    # ------------------------------------------------------------------
    # Onchanges
    # ------------------------------------------------------------------
    @api.onchange("template_id")
    def _onchange_template_id(self):
        template = self.template_id
        if not template:
            return
        self.update(self._prepare_template_vals(template))
        self.line_ids = [Command.clear()] + [
            Command.create(line._prepare_contract_line_vals()) for line in template.line_ids
        ]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("sysengage.contract") or "/"
        contracts = super().create(vals_list)
        # the constraint only runs on the fields given: check every new contract as a whole
        contracts._check_invoiceable()
        contracts.filtered(lambda c: c.state in BILLABLE_STATES)._sysengage_mark_customers()
        return contracts

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for contract, vals in zip(self, vals_list):
            vals.setdefault("title", self.env._("%(title)s (copy)", title=contract.title or contract.name))
        return vals_list

    def write(self, vals):
        res = super().write(vals)
        if "next_period_start" in vals and not self.env.context.get("sysengage_reopen_sync"):
            # the billing advanced a contract with reopened periods: step over the periods that still
            # have their invoice (the flag is prefetched with the record, no query for the others)
            reopened = self.filtered("has_reopened_periods")
            if reopened:
                reopened._sysengage_sync_reopened()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        for contract in self:
            if contract.state != "draft" or contract.next_period_start:
                raise UserError(
                    self.env._("Contract %(name)s is not a draft: cancel or terminate it instead.", name=contract.name)
                )

    @api.depends("name", "title", "partner_id")
    def _compute_display_name(self):
        for contract in self:
            parts = [contract.name or ""]
            if contract.title:
                parts.append(contract.title)
            contract.display_name = " - ".join(parts)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(self.env._("Only a draft contract can be started (%(name)s).", name=contract.name))
        self._check_invoiceable()
        self.write({"state": "running"})
        self._sysengage_mark_customers()
        return True

    def action_cancel(self):
        invoiced = self.filtered(lambda c: c.next_period_start and c.next_period_start > c.date_start)
        if invoiced:
            raise UserError(
                self.env._(
                    "Contracts already invoiced cannot be cancelled; terminate them: %(names)s",
                    names=", ".join(invoiced.mapped("name")),
                )
            )
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        self.filtered(lambda c: c.state == "cancelled").write({"state": "draft"})
        return True

    def action_generate_invoices(self):
        """Generate now every invoice due today for the selected contracts (catch-up included)."""
        not_running = self.filtered(lambda c: c.state not in BILLABLE_STATES)
        if not_running:
            raise UserError(
                self.env._(
                    "Only running contracts can be invoiced: %(names)s", names=", ".join(not_running.mapped("name"))
                )
            )
        locked = self._sysengage_lock(self.ids)
        if len(locked) != len(self):
            raise UserError(
                self.env._("Some of these contracts are being invoiced by another process right now; try again.")
            )
        result = self._sysengage_generate_invoices(fields.Date.context_today(self))
        if result["failed"]:
            raise UserError("\n".join(result["errors"]))
        moves = result["moves"]
        if not moves:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._("No period is due today for these contracts."),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return self._sysengage_action_view_moves(moves)

    def action_view_invoices(self):
        self.ensure_one()
        moves = self.env["account.move.line"].search([("sysengage_contract_id", "=", self.id)]).move_id
        return self._sysengage_action_view_moves(moves)

    def _sysengage_action_view_moves(self, moves):
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["context"] = {"default_move_type": "out_invoice"}
        if len(moves) == 1:
            action.update({"views": [(False, "form")], "res_id": moves.id})
        else:
            action["domain"] = [("id", "in", moves.ids)]
        return action

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "views": [(False, "form")],
            "res_id": self.sale_order_id.id,
        }

    def action_view_forecast(self):
        return self.env["sysengage.contract.forecast"]._sysengage_action_forecast(self)

    def action_open_terminate_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Terminate Contract"),
            "res_model": "sysengage.contract.terminate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_open_renew_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Renew Contract"),
            "res_model": "sysengage.contract.renew",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods: recurrence and pricing
    # ------------------------------------------------------------------
    @api.model
    def _prepare_template_vals(self, template):
        vals = {
            "periodicity": template.periodicity,
            "interval_months": template.interval_months,
            "billing_mode": template.billing_mode,
            "invoice_offset": template.invoice_offset,
            "prorate_first": template.prorate_first,
            "notice_months": template.notice_months,
            "auto_renew": template.auto_renew,
            "renewal_months": template.renewal_months,
        }
        if template.journal_id:
            vals["journal_id"] = template.journal_id.id
        if template.payment_term_id:
            vals["payment_term_id"] = template.payment_term_id.id
        if template.duration_months and self.date_start:
            vals["date_end"] = self.date_start + relativedelta(months=template.duration_months, days=-1)
        return vals

    def _sysengage_recurrence(self, date_end=None):
        self.ensure_one()
        return Recurrence(
            date_start=self.date_start,
            interval=self.interval_months,
            mode=self.billing_mode,
            invoice_offset=self.invoice_offset,
            prorate_first=self.prorate_first,
            date_end=date_end or self.date_end or None,
        )

    def _sysengage_due_periods(self, reference_date):
        """The periods of this contract to invoice on ``reference_date``.

        A contract with reopened periods (see ``has_reopened_periods``) skips the periods that still
        have a live invoice: only the ones freed by a cancelled or deleted invoice, and the new ones,
        are due. The other contracts (the common case) run no query here.
        """
        self.ensure_one()
        recurrence = self._sysengage_recurrence()
        if not self.has_reopened_periods:
            return recurrence.due_periods(self.next_period_start or self.date_start, reference_date, limit=MAX_CATCH_UP)
        self._sysengage_sync_reopened()
        live = self._sysengage_live_period_starts().get(self.id, set())
        due = []
        for period in recurrence.iter_periods(self.next_period_start or self.date_start):
            if period.invoice_date > reference_date or len(due) >= MAX_CATCH_UP:
                break
            if period.start not in live:
                due.append(period)
        return due

    def _sysengage_indexation_factor(self, day, price_table=False):
        """Product of (1 + percent) of the indexations applied on or before ``day``.

        With ``price_table``, only the indexations that also apply to prices read from the price
        table (or the product's sales price) count.
        """
        self.ensure_one()
        return indexation_factor(
            [
                (indexation.date, indexation.percent)
                for indexation in self.indexation_ids
                if not price_table or indexation.apply_to_price_table
            ],
            day,
        )

    # ------------------------------------------------------------------
    # Business methods: periods reopened by a cancelled or deleted invoice
    # ------------------------------------------------------------------
    def _sysengage_live_period_starts(self, contract_ids=None):
        """{contract id: {period start}} of the periods of ``self`` with a live (not cancelled) invoice line."""
        ids = tuple(contract_ids or self.ids)
        if not ids:
            return {}
        self.env["account.move.line"].flush_model(["sysengage_contract_id", "sysengage_period_start", "parent_state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT sysengage_contract_id, sysengage_period_start
                  FROM account_move_line
                 WHERE sysengage_contract_id IN %s
                   AND sysengage_period_start IS NOT NULL
                   AND parent_state != 'cancel'
                """,
                ids,
            )
        )
        live = defaultdict(set)
        for contract_id, start in rows:
            live[contract_id].add(start)
        return live

    def _sysengage_sync_reopened(self):
        """Move the next period start over the periods that are invoiced; keep the flag while invoiced
        periods lie ahead of it (gaps left by cancelled invoices in between)."""
        live_by_contract = self._sysengage_live_period_starts()
        for contract in self:
            live = live_by_contract.get(contract.id, set())
            cursor = contract.next_period_start or contract.date_start
            try:
                recurrence = contract._sysengage_recurrence()
            except RecurrenceError:
                continue
            period = recurrence.period_starting(cursor)
            while period is not None and period.start in live:
                cursor = period.end + timedelta(days=1)
                period = recurrence.period_starting(cursor)
            pending = period is not None and any(start >= cursor for start in live)
            vals = {}
            if cursor != (contract.next_period_start or contract.date_start):
                vals["next_period_start"] = cursor
            if pending != contract.has_reopened_periods:
                vals["has_reopened_periods"] = pending
            if vals:
                contract.with_context(sysengage_reopen_sync=True).write(vals)

    def _sysengage_reopen_periods(self, periods, move_names, deleted=False):
        """Wind the contract back so the ``periods`` [(start, end)] left without a live invoice are
        invoiced again by the next run, and say so in the chatter.

        ``move_names`` names the cancelled (or, with ``deleted``, deleted) invoices. A period still
        invoiced by another live invoice is not reopened.
        """
        self.ensure_one()
        live = self._sysengage_live_period_starts().get(self.id, set())
        reopened = sorted({(start, end) for start, end in periods if start not in live})
        if not reopened:
            return []
        cursor = min(self.next_period_start or self.date_start, reopened[0][0])
        self.with_context(sysengage_reopen_sync=True).write(
            {"next_period_start": cursor, "has_reopened_periods": any(start >= cursor for start in live)}
        )
        names = ", ".join(move_names)
        labels = ", ".join(
            self.env._("%(start)s to %(end)s", start=format_date(self.env, start), end=format_date(self.env, end))
            for start, end in reopened
        )
        if deleted:
            body = self.env._(
                "Invoice %(invoices)s was deleted: period(s) %(periods)s open again; the next run invoices them.",
                invoices=names,
                periods=labels,
            )
        else:
            body = self.env._(
                "Invoice %(invoices)s was cancelled: period(s) %(periods)s open again; the next run invoices them.",
                invoices=names,
                periods=labels,
            )
        self.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
        return reopened

    def _sysengage_period_amount(self, period):
        """Untaxed amount of the invoice of ``period``, as the invoice will compute it."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.display_type)
        prices = self._sysengage_resolve_prices([(line, period) for line in lines])
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        total = 0.0
        for line in lines:
            ratio = period.overlap_ratio(line.date_start, line.date_end)
            if not ratio:
                continue
            price_unit, discount = prices[line, period.start]
            # the invoice line holds the unit price at the "Product Price" precision, like here
            price_unit = float_round(price_unit * float(ratio), precision_digits=price_digits)
            total += self.currency_id.round(line.quantity * price_unit * (1 - (discount or 0.0) / 100.0))
        return total

    def _sysengage_mark_customers(self):
        # narrow sudo: whoever may start a contract records the lifecycle of its customer, even without
        # the right to edit contacts; only the lifecycle fields are written
        self.partner_id.commercial_partner_id.sudo()._sysengage_mark_customer()

    # ------------------------------------------------------------------
    # Business methods: invoicing
    # ------------------------------------------------------------------
    def _prepare_invoice_vals(self, invoice_date):
        """Header of an invoice of this contract (lines are added by the caller)."""
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "journal_id": self.journal_id.id,
            "currency_id": self.currency_id.id,
            "partner_id": self.partner_invoice_id.id,
            "invoice_date": invoice_date,
            "invoice_payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "invoice_user_id": self.user_id.id,
            "invoice_origin": self.name,
            "invoice_line_ids": [],
        }

    def _prepare_invoice_line_vals_list(self, period, prices, date_cache):
        """Invoice line values of one period; ``prices`` maps a contract line to (price_unit, discount)."""
        self.ensure_one()
        lang = self.partner_invoice_id.lang or self.env.lang
        vals_list = []
        for line in self.line_ids:
            if line.display_type:
                vals_list.append(
                    {
                        "display_type": line.display_type,
                        "name": line._sysengage_period_description(period, lang, date_cache),
                        "sequence": line.sequence,
                        "sysengage_contract_id": self.id,
                        "sysengage_contract_line_id": line.id,
                        "sysengage_period_start": period.start,
                        "sysengage_period_end": period.end,
                    }
                )
                continue
            ratio = period.overlap_ratio(line.date_start, line.date_end)
            if not ratio:
                continue
            price_unit, discount = prices[line]
            taxes = line.tax_ids
            if self.fiscal_position_id:
                taxes = self.fiscal_position_id.map_tax(taxes)
            vals = {
                "display_type": "product",
                "sequence": line.sequence,
                "product_id": line.product_id.id,
                "name": line._sysengage_period_description(period, lang, date_cache),
                "quantity": line.quantity,
                # pro rata on the unit price: the currency rounds the subtotal once, at the end
                "price_unit": price_unit * float(ratio),
                "discount": discount,
                "tax_ids": [Command.set(taxes.ids)],
                "sysengage_contract_id": self.id,
                "sysengage_contract_line_id": line.id,
                "sysengage_period_start": period.start,
                "sysengage_period_end": period.end,
            }
            if line.analytic_distribution:
                vals["analytic_distribution"] = line.analytic_distribution
            vals_list.append(vals)
        return vals_list

    def _sysengage_resolve_prices(self, period_lines):
        """{(contract line, period start): (price_unit, discount)} for ``[(line, period), ...]``.

        Fixed prices (and free-text lines) are the agreed prices: every indexation of the contract
        moves them. The other lines are resolved by the price table of sysengage_base at the period
        start, in one batch for all of them, else take the product's sales price; only the
        indexations marked "also on price table prices" move those.
        """
        prices = {}
        to_resolve = []
        for line, period in period_lines:
            if line.price_forced or not line.product_id:
                factor = line.contract_id._sysengage_indexation_factor(period.start)
                prices[line, period.start] = (line.price_unit * factor, line.discount)
            else:
                to_resolve.append((line, period))
        if not to_resolve:
            return prices
        results = [False] * len(to_resolve)
        if "sysengage.price.rule" in self.env:
            resolver = getattr(self.env["sysengage.price.rule"], "_sysengage_resolve_prices", None)
            if resolver:
                results = resolver(
                    [
                        {
                            "product": line.product_id,
                            "partner": line.contract_id.partner_id,
                            "quantity": line.quantity,
                            "date": period.start,
                            "currency": line.contract_id.currency_id,
                            "company": line.contract_id.company_id,
                        }
                        for line, period in to_resolve
                    ]
                )
        for (line, period), result in zip(to_resolve, results):
            if result:
                price_unit, discount = result["price_unit"], result.get("discount") or line.discount
            else:
                price_unit, discount = line._sysengage_list_price(period.start), line.discount
            contract = line.contract_id
            if contract.indexation_ids:
                price_unit *= contract._sysengage_indexation_factor(period.start, price_table=True)
            prices[line, period.start] = (price_unit, discount)
        return prices

    def _sysengage_collect(self, reference_date):
        """Prepare the invoices of every due period of ``self``.

        Returns ``(groups, failures)``: ``groups`` maps a grouping key to
        ``{"vals": invoice vals, "contracts": {contract: last period}}``; ``failures`` maps a
        contract to its error message. Nothing is written here.
        """
        groups = {}
        failures = {}
        date_cache = {}
        due = {}
        for contract in self:
            try:
                errors = contract._sysengage_invoiceable_errors()
                if errors:
                    raise ValidationError("\n".join(errors))
                periods = contract._sysengage_due_periods(reference_date)
            except (UserError, ValidationError, RecurrenceError) as error:
                failures[contract] = str(error.args[0] if error.args else error)
                continue
            if periods:
                due[contract] = periods
        # one price resolution for the whole batch; if it fails, each contract resolves its own
        # below, so that only the contract with bad data is skipped
        try:
            prices = self._sysengage_resolve_prices(
                [
                    (line, period)
                    for contract, periods in due.items()
                    for line in contract.line_ids
                    if not line.display_type
                    for period in periods
                ]
            )
        except (UserError, ValidationError, ValueError, KeyError, TypeError):
            prices = None
        for contract, periods in due.items():
            try:
                lines = contract.line_ids.filtered(lambda line: not line.display_type)
                contract_prices = prices
                if contract_prices is None:
                    contract_prices = contract._sysengage_resolve_prices(
                        [(line, period) for line in lines for period in periods]
                    )
                for period in periods:
                    period_prices = {line: contract_prices[line, period.start] for line in lines}
                    line_vals = contract._prepare_invoice_line_vals_list(period, period_prices, date_cache)
                    if contract.group_invoices:
                        key = (
                            "group",
                            contract.company_id.id,
                            contract.partner_invoice_id.id,
                            contract.currency_id.id,
                            contract.journal_id.id,
                            contract.payment_term_id.id,
                            contract.fiscal_position_id.id,
                            period.invoice_date,
                        )
                    else:
                        key = ("contract", contract.id, period.start)
                    group = groups.get(key)
                    if group is None:
                        vals = contract._prepare_invoice_vals(period.invoice_date)
                        if key[0] == "contract":
                            vals.update(
                                {
                                    "sysengage_contract_id": contract.id,
                                    "sysengage_period_start": period.start,
                                    "sysengage_period_end": period.end,
                                }
                            )
                        else:
                            vals["invoice_origin"] = False
                        group = groups[key] = {"vals": vals, "contracts": {}}
                    elif key[0] == "group":
                        group["vals"]["invoice_user_id"] = group["vals"]["invoice_user_id"] or contract.user_id.id
                    if key[0] == "group":
                        # one block per contract: its name as a section, then its lines in their order
                        block = (len(group["contracts"]) + 1) * 10000
                        for vals in line_vals:
                            vals["sequence"] = block + 1 + (vals.get("sequence") or 0)
                        line_vals.insert(
                            0,
                            {
                                "display_type": "line_section",
                                "name": contract.display_name,
                                "sequence": block,
                            },
                        )
                    group["vals"]["invoice_line_ids"].extend(Command.create(vals) for vals in line_vals)
                    group["contracts"][contract] = period
            except psycopg2.Error:
                raise
            except (UserError, ValidationError, RecurrenceError, ValueError, KeyError, TypeError) as error:
                failures[contract] = str(error.args[0] if error.args else error)
        for contract in failures:
            # drop the groups holding a failed contract's periods: they would be incomplete
            for key in [k for k, g in groups.items() if contract in g["contracts"]]:
                for other in groups[key]["contracts"]:
                    if other not in failures:
                        failures.setdefault(
                            other,
                            self.env._("Grouped with the failed contract %(name)s.", name=contract.name),
                        )
        if failures:
            groups = {k: g for k, g in groups.items() if not any(c in failures for c in g["contracts"])}
        return groups, failures

    def _sysengage_create_moves(self, groups):
        """Create the invoices of ``groups`` in one batched create; on error, one by one in savepoints.

        Returns ``(moves, {contract: error})``.
        """
        # no "invoice created" log nor follower subscription per invoice: the contract and the period on
        # the invoice are the trace; this halves the mail overhead of a large run
        Move = self.env["account.move"].with_context(
            # the contract and periods of these invoices are set here (refused from clients)
            sysengage_contract_billing=BILLING_TOKEN,
            default_move_type="out_invoice",
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
        keys = list(groups)
        failures = {}
        vals_list = [groups[key]["vals"] for key in keys]
        completed = self._sysengage_complete_move_vals(vals_list)
        try:
            with self.env.cr.savepoint():
                complete = [vals for vals in completed if vals]
                standard = [vals for vals, done in zip(vals_list, completed, strict=True) if not done]
                moves = Move.browse()
                if complete:
                    # written out in full: no line synchronisation (see _sysengage_complete_move_vals)
                    # (nor analytic synchronisation: it only concerns posted items)
                    moves |= Move.with_context(skip_invoice_sync=True, skip_analytic_sync=True).create(complete)
                if standard:
                    moves |= Move.create(standard)
            # the invoices are edited later like any other: without the context of their creation
            return self.env["account.move"].browse(moves.ids), failures
        except (psycopg2.Error, UserError, ValidationError) as error:
            _logger.info("Batched creation of %s contract invoices failed (%s); retrying one by one", len(keys), error)
        moves = Move.browse()
        for key in keys:
            try:
                with self.env.cr.savepoint():
                    moves |= Move.create(groups[key]["vals"])
            except psycopg2.errors.UniqueViolation:
                for contract in groups[key]["contracts"]:
                    failures[contract] = self.env._(
                        "An invoice already exists for this contract and period (created by another process)."
                    )
            except (psycopg2.Error, UserError, ValidationError) as error:
                for contract in groups[key]["contracts"]:
                    failures[contract] = str(error.args[0] if error.args else error)
        return self.env["account.move"].browse(moves.ids), failures

    def _sysengage_complete_move_vals(self, vals_list):
        """Return, for each invoice of ``vals_list``, its values with every journal item written out, or ``None``.

        ``account.move.create`` builds the tax and receivable items of a new invoice from its product
        lines through its line synchronisation, which writes back on every line and costs most of the
        time of a large run. Here the same items are computed beforehand, by Odoo's own engines: the
        ``account.tax`` helpers the invoice uses for the taxes and the tax tags, the payment term's
        ``_compute_terms`` for the installments, the product's income account mapped by the fiscal
        position. The invoice is then created complete (like Odoo creates a reversal), without the
        synchronisation; Odoo still checks that it balances, and any later edit of the invoice runs the
        normal synchronisation. ``tests/test_contract_invoice_lines.py`` proves the items equal to the
        ones Odoo builds, case by case. What this does not build (a foreign currency, cash rounding, an
        early payment discount) gets ``None`` and the standard path; so does everything when the system
        parameter ``sysengage_contracts.complete_invoice_lines`` is ``False`` (e.g. with a localisation
        that adds its own dynamic lines).
        """
        enabled = self.env["ir.config_parameter"].sudo().get_param("sysengage_contracts.complete_invoice_lines", "True")
        if enabled.lower() in ("0", "false", "no", ""):
            return [None] * len(vals_list)
        cache = {"accounts": {}, "taxes": {}, "analytic_models": {}}
        return [self._sysengage_complete_one_move_vals(vals, cache) for vals in vals_list]

    def _sysengage_complete_one_move_vals(self, vals, cache):
        AccountTax = self.env["account.tax"]
        company = self.env["res.company"].browse(vals["company_id"])
        currency = company.currency_id
        term = self.env["account.payment.term"].browse(vals.get("invoice_payment_term_id") or [])
        if (
            vals.get("move_type") != "out_invoice"
            or vals.get("currency_id") != currency.id
            or vals.get("invoice_cash_rounding_id")
            or term.early_discount
        ):
            return None
        journal = self.env["account.journal"].browse(vals["journal_id"])
        fiscal_position = self.env["account.fiscal.position"].browse(vals.get("fiscal_position_id") or [])
        partner = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
        if company.id not in cache["analytic_models"]:
            cache["analytic_models"][company.id] = bool(
                self.env["account.analytic.distribution.model"].search_count(
                    [("company_id", "in", [company.id, False])], limit=1
                )
            )
        # without any analytic distribution model, the line's distribution is the contract line's: given
        # here, the line skips looking for models one search per line (else Odoo applies them)
        analytic_models = cache["analytic_models"][company.id]
        line_commands = []
        base_lines = []
        for command in vals["invoice_line_ids"]:
            line = dict(command[2])
            line_commands.append(Command.create(line))
            if line.get("display_type", "product") != "product":
                continue
            if not analytic_models:
                line.setdefault("analytic_distribution", False)
            product = self.env["product.product"].browse(line.get("product_id") or [])
            account_key = (company.id, product.id, fiscal_position.id, journal.id)
            if account_key not in cache["accounts"]:
                income = self.env["account.account"]
                if product:
                    income = product.product_tmpl_id.with_company(company).get_product_accounts(
                        fiscal_pos=fiscal_position
                    )["income"]
                cache["accounts"][account_key] = income or journal.default_account_id
            account = cache["accounts"][account_key]
            if not account:
                return None
            # (the line computes the same account itself: given here, it would run the account's
            # inverse, one write per line)
            tax_ids = tuple(line["tax_ids"][0][2]) if line.get("tax_ids") else ()
            if tax_ids not in cache["taxes"]:
                cache["taxes"][tax_ids] = AccountTax.browse(tax_ids)
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    None,
                    price_unit=line.get("price_unit", 0.0),
                    quantity=line.get("quantity", 1.0),
                    discount=line.get("discount", 0.0),
                    currency_id=currency,
                    tax_ids=cache["taxes"][tax_ids],
                    product_id=product,
                    partner_id=partner,
                    account_id=account,
                    analytic_distribution=line.get("analytic_distribution"),
                    rate=1.0,
                    sign=-1,  # a customer invoice credits its income lines
                    is_refund=False,
                    sysengage_vals=line,
                )
            )
        if not base_lines:
            return None
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(base_lines, company)
        results = AccountTax._prepare_tax_lines(base_lines, company)
        untaxed = 0.0
        for base_line, amounts in results["base_lines_to_update"]:
            base_line["sysengage_vals"].update(amounts)
            untaxed -= amounts["amount_currency"]
        tax = 0.0
        items = []
        for tax_vals in results["tax_lines_to_add"]:
            items.append(Command.create({**tax_vals, "display_type": "tax"}))
            tax -= tax_vals["amount_currency"]
        if term:
            terms = term._compute_terms(
                date_ref=vals["invoice_date"],
                currency=currency,
                company=company,
                tax_amount=tax,
                tax_amount_currency=tax,
                sign=1,
                untaxed_amount=untaxed,
                untaxed_amount_currency=untaxed,
                cash_rounding=None,
            )
            installments = [(fields.Date.to_date(t["date"]), t["company_amount"]) for t in terms["line_ids"]]
        else:
            # like Odoo: without payment terms an invoice is due on the day it is created
            installments = [(fields.Date.context_today(self), currency.round(untaxed + tax))]
        due = defaultdict(float)
        for date_maturity, amount in installments:
            due[date_maturity] += amount
        for date_maturity, amount in due.items():
            items.append(
                Command.create(
                    {
                        "display_type": "payment_term",
                        "date_maturity": date_maturity,
                        "balance": amount,
                        "amount_currency": amount,
                    }
                )
            )
        return dict(vals, invoice_line_ids=line_commands, line_ids=items)

    def _sysengage_post_moves(self, moves):
        """Post ``moves`` in one go; on error, one by one (a move that cannot be posted stays in draft)."""
        errors = {}
        if not moves:
            return errors
        try:
            with self.env.cr.savepoint():
                moves.action_post()
            return errors
        except (UserError, ValidationError, psycopg2.Error) as error:
            _logger.info("Batched posting of %s contract invoices failed (%s); posting one by one", len(moves), error)
        for move in moves:
            try:
                with self.env.cr.savepoint():
                    move.action_post()
            except (UserError, ValidationError, psycopg2.Error) as error:
                errors[move] = str(error.args[0] if error.args else error)
        return errors

    def _sysengage_generate_invoices(self, reference_date):
        """Invoice every period of ``self`` due on ``reference_date``; the caller holds the row locks.

        Returns ``{"moves": account.move, "failed": contracts, "errors": [messages]}``.
        Writes nothing for a contract that fails; never commits.
        """
        groups, failures = self._sysengage_collect(reference_date)
        moves = self.env["account.move"]
        if groups:
            created, create_failures = self._sysengage_create_moves(groups)
            failures.update(create_failures)
            moves |= created
            # advance the contracts, grouped by their new next period start (few distinct dates)
            last_periods = {}
            for group in groups.values():
                for contract, period in group["contracts"].items():
                    if contract in failures:
                        continue
                    if contract not in last_periods or period.end > last_periods[contract].end:
                        last_periods[contract] = period
            by_start = defaultdict(list)
            for contract, period in last_periods.items():
                by_start[period.end + timedelta(days=1)].append(contract.id)
            for next_start, ids in by_start.items():
                self.browse(ids).write({"next_period_start": next_start})
            to_post = moves.filtered(lambda m: any(c.auto_post for c in m.invoice_line_ids.sysengage_contract_id))
            post_errors = self._sysengage_post_moves(to_post)
            for move, message in post_errors.items():
                for contract in move.invoice_line_ids.sysengage_contract_id:
                    contract.message_post(
                        body=self.env._(
                            "Invoice %(move)s was created but could not be posted: %(error)s",
                            move=move.display_name,
                            error=message,
                        )
                    )
        failed = self.browse([c.id for c in failures])
        for contract, message in failures.items():
            contract._sysengage_report_failure(message)
        return {"moves": moves, "failed": failed, "errors": list(failures.values())}

    def _sysengage_report_failure(self, message):
        """Tell the contract's rep that it could not be invoiced (chatter + one open activity)."""
        self.ensure_one()
        summary = self.env._("Recurring invoice failed")
        self.message_post(
            body=self.env._("The recurring invoice could not be created: %(error)s", error=message),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        if not self.activity_ids.filtered(lambda a: a.summary == summary):
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=message,
                user_id=(self.user_id or self.create_uid or self.env.user).id,
            )

    # ------------------------------------------------------------------
    # Locking and cron
    # ------------------------------------------------------------------
    @api.model
    def _sysengage_lock(self, ids):
        """Lock the rows of ``ids`` not locked by another transaction; return the ids locked."""
        if not ids:
            return []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sysengage_contract WHERE id IN %s ORDER BY id FOR UPDATE SKIP LOCKED",
                tuple(ids),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _sysengage_lock_due_batch(self, reference_date, after_id, limit):
        """Lock the next ``limit`` due contracts after ``after_id`` (ordered by id), skipping rows locked elsewhere."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM sysengage_contract
                 WHERE state IN %(states)s
                   AND next_invoice_date <= %(date)s
                   AND active
                   AND id > %(after)s
              ORDER BY id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
                """,
                states=BILLABLE_STATES,
                date=reference_date,
                after=after_id,
                limit=limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _sysengage_count_due(self, reference_date, after_id):
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*) FROM sysengage_contract
                 WHERE state IN %(states)s AND next_invoice_date <= %(date)s AND active AND id > %(after)s
                """,
                states=BILLABLE_STATES,
                date=reference_date,
                after=after_id,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_generate_invoices(self, batch_size=None, reference_date=None):
        """Invoice every due contract, in batches committed one by one.

        Each batch is locked with ``FOR UPDATE SKIP LOCKED`` (a second worker takes the next rows),
        its invoices are created in one ``create`` and the contracts advanced in the same
        transaction, then committed: a crash loses at most the current batch, which the next run
        redoes. The unique indexes on the invoices are the last line of defence.
        """
        reference_date = reference_date or fields.Date.context_today(self)
        batch_size = batch_size or int(
            self.env["ir.config_parameter"].sudo().get_param("sysengage_contracts.batch_size", DEFAULT_BATCH_SIZE)
        )
        IrCron = self.env["ir.cron"]
        last_id = 0
        while True:
            try:
                with self.env.cr.savepoint(flush=False):
                    ids = self._sysengage_lock_due_batch(reference_date, last_id, batch_size)
            except psycopg2.errors.SerializationFailure:
                # another worker committed these rows after our snapshot: start a new transaction
                IrCron._commit_progress(0)
                continue
            if not ids:
                break
            last_id = ids[-1]
            contracts = self.browse(ids)
            result = contracts._sysengage_generate_invoices(reference_date)
            _logger.info(
                "Contracts %s..%s: %s invoices, %s failures",
                ids[0],
                ids[-1],
                len(result["moves"]),
                len(result["failed"]),
            )
            remaining = self._sysengage_count_due(reference_date, last_id)
            # commit the batch (cron progress); the cache is dropped so memory stays flat
            time_left = IrCron._commit_progress(len(ids), remaining=remaining)
            self.env.invalidate_all()
            if time_left <= 0:
                break
        return True

    @api.model
    def _sysengage_renewal_condition(self, kind, reference_date):
        """SQL condition of the contracts the renewal cron handles (see :meth:`_sysengage_lock_renewal_batch`)."""
        if kind == "notice":
            return SQL(
                "state = 'running' AND date_end IS NOT NULL "
                "AND (date_end - make_interval(months => COALESCE(notice_months, 0)))::date < %s",
                reference_date,
            )
        return SQL("state IN ('running', 'to_renew') AND date_end < %s AND next_invoice_date IS NULL", reference_date)

    @api.model
    def _sysengage_lock_renewal_batch(self, kind, reference_date, after_id, limit):
        """Lock the next ``limit`` contracts (ordered by id, after ``after_id``) the renewal cron has to
        handle, skipping rows locked by another transaction.

        ``kind`` is ``"notice"`` (running, notice deadline passed: renew or flag to renew) or ``"ended"``
        (past their end and fully invoiced: terminate). Months are subtracted like ``relativedelta``
        (clamped to the month end), and the caller checks every row again in Python.
        """
        condition = self._sysengage_renewal_condition(kind, reference_date)
        self.env.flush_all()
        return [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT id FROM sysengage_contract
                     WHERE active AND %(condition)s AND id > %(after)s
                  ORDER BY id
                     LIMIT %(limit)s
                       FOR UPDATE SKIP LOCKED
                    """,
                    condition=condition,
                    after=after_id,
                    limit=limit,
                )
            )
        ]

    def _sysengage_renewal_due(self, reference_date):
        """True when the notice deadline of this running contract has passed on ``reference_date``."""
        self.ensure_one()
        if self.state != "running" or not self.date_end:
            return False
        return reference_date > self.date_end - relativedelta(months=self.notice_months)

    def _sysengage_process_renewals(self, reference_date):
        """Renew (automatic renewal) or flag to renew the locked contracts of ``self`` whose notice passed."""
        summary = self.env._("Contract to renew")
        for contract in self:
            if not contract._sysengage_renewal_due(reference_date):
                continue
            if contract.auto_renew and contract.renewal_months:
                new_end = contract.date_end + relativedelta(months=contract.renewal_months)
                contract.write({"date_end": new_end})
                contract.message_post(
                    body=self.env._(
                        "Renewed automatically until %(date)s (no termination before the notice deadline).",
                        date=format_date(self.env, new_end),
                    )
                )
                continue
            contract.state = "to_renew"
            if not contract.activity_ids.filtered(lambda activity: activity.summary == summary):
                contract.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=contract.date_end,
                    summary=summary,
                    user_id=(contract.user_id or self.env.user).id,
                )

    def _sysengage_process_ends(self, reference_date):
        """Terminate the locked contracts of ``self`` that are past their end and fully invoiced."""
        self.filtered(
            lambda c: (
                c.state in ("running", "to_renew")
                and c.date_end
                and c.date_end < reference_date
                and not c.next_invoice_date
            )
        ).write({"state": "terminated"})

    @api.model
    def _sysengage_count_renewals(self, kind, reference_date, after_id):
        condition = self._sysengage_renewal_condition(kind, reference_date)
        return self.env.execute_query(
            SQL(
                "SELECT count(*) FROM sysengage_contract WHERE active AND %s AND id > %s",
                condition,
                after_id,
            )
        )[0][0]

    @api.model
    def _cron_update_renewals(self, batch_size=None, reference_date=None):
        """Renew contracts whose notice deadline passed (automatic renewal) or flag them to renew, then
        terminate the contracts past their end and fully invoiced.

        Batches of contracts are locked with ``FOR UPDATE SKIP LOCKED`` (a second worker takes other
        rows), handled and committed one by one with ``ir.cron._commit_progress``: a crash loses at most
        the current batch, whose contracts still match and are redone by the next run; a contract
        already renewed or flagged no longer matches, so it is never renewed or flagged twice.
        """
        reference_date = reference_date or fields.Date.context_today(self)
        batch_size = batch_size or int(
            self.env["ir.config_parameter"].sudo().get_param("sysengage_contracts.batch_size", DEFAULT_BATCH_SIZE)
        )
        IrCron = self.env["ir.cron"]
        for kind in ("notice", "ended"):
            last_id = 0
            while True:
                try:
                    with self.env.cr.savepoint(flush=False):
                        ids = self._sysengage_lock_renewal_batch(kind, reference_date, last_id, batch_size)
                except psycopg2.errors.SerializationFailure:
                    # another worker committed these rows after our snapshot: start a new transaction
                    IrCron._commit_progress(0)
                    continue
                if not ids:
                    break
                last_id = ids[-1]
                contracts = self.browse(ids)
                if kind == "notice":
                    contracts._sysengage_process_renewals(reference_date)
                else:
                    contracts._sysengage_process_ends(reference_date)
                remaining = self._sysengage_count_renewals(kind, reference_date, last_id)
                time_left = IrCron._commit_progress(len(ids), remaining=remaining)
                self.env.invalidate_all()
                if time_left <= 0:
                    return True
        return True

    @api.model
    def _get_due_domain(self, reference_date):
        return Domain("state", "in", BILLABLE_STATES) & Domain("next_invoice_date", "<=", reference_date)

    # ------------------------------------------------------------------
    # Demo data (called from demo/sysengage_contracts_demo.xml only)
    # ------------------------------------------------------------------
    @api.model
    def _sysengage_demo_start_and_bill(self, contract_ids, late_payer_ids):
        """Demo: start the contracts, invoice every period due today (posted, as the cron does) and
        register the customers' payments: all invoices older than three weeks are paid, except those of
        ``late_payer_ids`` less than two and a half months old (they wait for a payment reminder)."""
        contracts = self.browse(contract_ids)
        contracts.filtered(lambda contract: contract.state == "draft").action_start()
        today = fields.Date.context_today(self)
        locked = self.browse(self._sysengage_lock(contracts.ids))
        moves = locked._sysengage_generate_invoices(today)["moves"].filtered(lambda move: move.state == "posted")
        late_payers = self.browse(late_payer_ids)
        for move in moves.sorted("invoice_date"):
            late = move.invoice_line_ids.sysengage_contract_id & late_payers
            limit = today - relativedelta(days=75 if late else 21)
            if move.invoice_date > limit:
                continue
            self.env["account.payment.register"].with_company(move.company_id).with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"payment_date": move.invoice_date + relativedelta(days=18)})._create_payments()
        return True
