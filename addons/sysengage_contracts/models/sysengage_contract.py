from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, float_round, format_date

from ..tools.indexation import indexation_factor
from ..tools.recurrence import PERIODICITY_MONTHS, Recurrence, RecurrenceError
from .sysengage_contract_template import BILLING_MODE_SELECTION, PERIODICITY_SELECTION

#: states in which due periods are invoiced (a terminated contract is billed up to its end date)
BILLABLE_STATES = ("running", "to_renew", "terminated")
#: a contract never catches up more than this many periods in one call (guards against absurd start dates)
MAX_CATCH_UP = 240


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
    auto_send = fields.Boolean(
        string="Send Invoices at Once",
        default=lambda self: self.env.company.sysengage_contract_auto_send,
        help='Hand the invoices posted at once to the "Send & Print" background job of Invoicing, which '
        "sends each one by the customer's sending method.",
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
            errors = contract._invoiceable_errors()
            if errors:
                raise ValidationError("\n".join(errors))

    def _invoiceable_errors(self):
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
                recurrence = contract._recurrence()
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
        contracts.filtered(lambda c: c.state in BILLABLE_STATES)._mark_customers()
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
                reopened._sync_reopened()
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
        self._mark_customers()
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
        locked = self._lock(self.ids)
        if len(locked) != len(self):
            raise UserError(
                self.env._("Some of these contracts are being invoiced by another process right now; try again.")
            )
        result = self._generate_invoices(fields.Date.context_today(self))
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
        return self._action_view_moves(moves)

    def action_view_invoices(self):
        self.ensure_one()
        moves = self.env["account.move.line"].search([("sysengage_contract_id", "=", self.id)]).move_id
        return self._action_view_moves(moves)

    def _action_view_moves(self, moves):
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
        return self.env["sysengage.contract.forecast"]._action_forecast(self)

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

    def _recurrence(self, date_end=None):
        self.ensure_one()
        return Recurrence(
            date_start=self.date_start,
            interval=self.interval_months,
            mode=self.billing_mode,
            invoice_offset=self.invoice_offset,
            prorate_first=self.prorate_first,
            date_end=date_end or self.date_end or None,
        )

    def _due_periods(self, reference_date):
        """The periods of this contract to invoice on ``reference_date``.

        A contract with reopened periods (see ``has_reopened_periods``) skips the periods that still
        have a live invoice: only the ones freed by a cancelled or deleted invoice, and the new ones,
        are due. The other contracts (the common case) run no query here.
        """
        self.ensure_one()
        recurrence = self._recurrence()
        if not self.has_reopened_periods:
            return recurrence.due_periods(self.next_period_start or self.date_start, reference_date, limit=MAX_CATCH_UP)
        self._sync_reopened()
        live = self._live_period_starts().get(self.id, set())
        due = []
        for period in recurrence.iter_periods(self.next_period_start or self.date_start):
            if period.invoice_date > reference_date or len(due) >= MAX_CATCH_UP:
                break
            if period.start not in live:
                due.append(period)
        return due

    def _indexation_factor(self, day, price_table=False):
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

    def _resolve_prices(self, period_lines):
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
                factor = line.contract_id._indexation_factor(period.start)
                prices[line, period.start] = (line.price_unit * factor, line.discount)
            else:
                to_resolve.append((line, period))
        if not to_resolve:
            return prices
        results = self.env["sysengage.price.rule"]._sysengage_resolve_prices(
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
                price_unit, discount = line._list_price(period.start), line.discount
            contract = line.contract_id
            if contract.indexation_ids:
                price_unit *= contract._indexation_factor(period.start, price_table=True)
            prices[line, period.start] = (price_unit, discount)
        return prices

    # ------------------------------------------------------------------
    # Business methods: periods reopened by a cancelled or deleted invoice
    # ------------------------------------------------------------------
    def _live_period_starts(self, contract_ids=None):
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

    def _sync_reopened(self):
        """Move the next period start over the periods that are invoiced; keep the flag while invoiced
        periods lie ahead of it (gaps left by cancelled invoices in between)."""
        live_by_contract = self._live_period_starts()
        for contract in self:
            live = live_by_contract.get(contract.id, set())
            cursor = contract.next_period_start or contract.date_start
            try:
                recurrence = contract._recurrence()
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

    def _reopen_periods(self, periods, move_names, deleted=False):
        """Wind the contract back so the ``periods`` [(start, end)] left without a live invoice are
        invoiced again by the next run, and say so in the chatter.

        ``move_names`` names the cancelled (or, with ``deleted``, deleted) invoices. A period still
        invoiced by another live invoice is not reopened.
        """
        self.ensure_one()
        live = self._live_period_starts().get(self.id, set())
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

    def _period_amount(self, period):
        """Untaxed amount of the invoice of ``period``, as the invoice will compute it."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.display_type)
        prices = self._resolve_prices([(line, period) for line in lines])
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

    def _mark_customers(self):
        # narrow sudo: whoever may start a contract records the lifecycle of its customer, even without
        # the right to edit contacts; only the lifecycle fields are written
        self.partner_id.commercial_partner_id.sudo()._sysengage_mark_customer()
