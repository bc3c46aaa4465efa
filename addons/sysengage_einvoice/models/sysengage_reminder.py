import io
import logging
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from odoo.addons.sysengage_base.tools.report_options import with_options

from ..tools.reminder import days_overdue, due_level

_logger = logging.getLogger(__name__)

REMINDER_REPORT = "sysengage_einvoice.report_sysengage_reminder"

# The fee of a reminder is set and invoiced by the server's own code only (a context key could be sent by any
# RPC client, this cannot): a user cannot put an invoiced fee back to invoice, nor change its amount.
_FEE_INTERNAL = ContextVar("sysengage_reminder_fee_internal", default=False)
FEE_FIELDS = {"fee_amount", "fee_invoicing", "fee_state", "fee_move_id"}


@contextmanager
def fee_write():
    token = _FEE_INTERNAL.set(True)
    try:
        yield
    finally:
        _FEE_INTERNAL.reset(token)


def fee_writing():
    """Whether the server's own fee code is writing (inside ``fee_write()``)."""
    return _FEE_INTERNAL.get()


class SysengageReminder(models.Model):
    """A payment reminder (Mahnung) of one level to one customer, listing the overdue invoices with
    their open amount. It goes out as a dispatch document of type reminder; its PDF carries the
    QR-bill of each invoice's open amount."""

    _name = "sysengage.reminder"
    _description = "Payment reminder"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, check_company=True)
    level_id = fields.Many2one(
        "sysengage.reminder.level", string="Level", required=True, ondelete="restrict", check_company=True, index=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    currency_id = fields.Many2one("res.currency", required=True)
    line_ids = fields.One2many("sysengage.reminder.line", "reminder_id", string="Invoices")
    amount_residual = fields.Monetary(string="Open amount", compute="_compute_amount_residual", store=True)
    fee_text = fields.Text(string="Fee text")
    document_ids = fields.One2many("sysengage.einvoice.document", "reminder_id", string="Sends")
    fee_amount = fields.Monetary(
        string="Fee", readonly=True, copy=False, help="Reminder fee, in the reminder's currency."
    )
    fee_invoicing = fields.Selection(
        [("separate", "Separate fee invoice"), ("next_invoice", "On the next invoice")],
        string="Fee invoicing",
        readonly=True,
        copy=False,
    )
    fee_state = fields.Selection(
        [
            ("none", "No fee"),
            ("to_invoice", "To invoice"),
            ("waiting", "Waiting for the next invoice"),
            ("invoiced", "Invoiced"),
            ("dropped", "Dropped"),
        ],
        string="Fee status",
        required=True,
        default="none",
        readonly=True,
        copy=False,
        index=True,
    )
    fee_move_id = fields.Many2one(
        "account.move",
        string="Fee invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    dispatch_state = fields.Selection(
        [
            ("not_queued", "Not queued"),
            ("to_send", "To send"),
            ("sent", "Sent"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_dispatch_state",
        store=True,
    )

    @api.depends("level_id.name", "partner_id.name", "date")
    def _compute_name(self):
        # in the customer's language, as on the letter: "1er rappel – Horlogerie du Jura SA – 02.12.2026"
        for reminder in self:
            lang = reminder.partner_id.lang or self.env.lang
            level = reminder.level_id.with_context(lang=lang).name or ""
            day = format_date(self.env, reminder.date, lang_code=lang) if reminder.date else ""
            reminder.name = f"{level} – {reminder.partner_id.name or ''} – {day}"

    @api.depends("line_ids.amount_residual")
    def _compute_amount_residual(self):
        for reminder in self:
            reminder.amount_residual = sum(reminder.line_ids.mapped("amount_residual"))

    @api.depends("document_ids.state")
    def _compute_dispatch_state(self):
        for reminder in self:
            states = set(reminder.document_ids.mapped("state"))
            if not states:
                reminder.dispatch_state = "not_queued"
            elif "to_send" in states:
                reminder.dispatch_state = "to_send"
            elif states & {"sent", "acknowledged"}:
                reminder.dispatch_state = "sent"
            elif "rejected" in states:
                reminder.dispatch_state = "rejected"
            else:
                reminder.dispatch_state = "cancelled"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not _FEE_INTERNAL.get() and any(FEE_FIELDS & set(vals) for vals in vals_list):
            raise UserError(self.env._("The fee of a reminder comes from its level; it cannot be set by hand."))
        reminders = super().create(vals_list)
        with fee_write():
            for reminder in reminders:
                fee_vals = reminder._prepare_fee_vals()
                if fee_vals:
                    reminder.write(fee_vals)
        return reminders

    def write(self, vals):
        if not _FEE_INTERNAL.get() and FEE_FIELDS & set(vals):
            raise UserError(
                self.env._("The fee of a reminder is invoiced by the reminder itself, not written by hand.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_invoice_fee(self):
        """Invoice the fee of these reminders now (as their level says: a separate posted invoice, or a line of
        the customer's next invoice); a fee already invoiced is never invoiced again."""
        done = self._invoice_fees()
        if len(self) == 1 and done.fee_move_id:
            return self.action_open_fee_invoice()
        return True

    def action_open_fee_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.fee_move_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_queue(self):
        """Queue the reminders on their company's reminder flow."""
        documents = self.env["sysengage.einvoice.document"]._create_for_reminders(self)
        missing = self - documents.reminder_id
        if missing:
            raise UserError(
                self.env._(
                    "No dispatch flow for payment reminders is configured for %(company)s: create one with an "
                    "e-mail or paper channel.",
                    company=missing.company_id[:1].name,
                )
            )
        return documents._action_open()

    def action_open_documents(self):
        self.ensure_one()
        return self.document_ids._action_open()

    def action_print(self):
        return self.env.ref(REMINDER_REPORT).report_action(self)

    @api.model
    def action_create_due(self):
        reminders = self._create_due_reminders()
        if not reminders:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"message": self.env._("No invoice is due for a reminder today."), "type": "info"},
            }
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_einvoice.sysengage_reminder_action")
        action["domain"] = [("id", "in", reminders.ids)]
        return action

    # ------------------------------------------------------------------
    # Creation of the due reminders
    # ------------------------------------------------------------------
    @api.model
    def _overdue_domain(self, today):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual", ">", 0),
            ("invoice_date_due", "<", today),
            ("sysengage_reminder_blocked", "=", False),
        ]

    @api.model
    def _create_due_reminders(self, today=None):
        """Create the reminders due on ``today``: one per customer, level and currency, listing each
        overdue invoice that reached that level; then queue them. Invoices whose last reminder is
        still waiting to go out are left for a later run."""
        today = today or fields.Date.context_today(self)
        moves = self.env["account.move"].search(self._overdue_domain(today), order="invoice_date_due, id")
        if not moves:
            return self.browse()
        levels_by_company = defaultdict(lambda: self.env["sysengage.reminder.level"])
        for level in self.env["sysengage.reminder.level"].search([("company_id", "in", moves.company_id.ids)]):
            levels_by_company[level.company_id] |= level
        pending = set(
            self.env["sysengage.reminder.line"]
            .search([("move_id", "in", moves.ids), ("reminder_id.document_ids.state", "=", "to_send")])
            .move_id.ids
        )
        done = {(line.move_id.id, line.level_id.id) for line in moves.sysengage_reminder_line_ids}
        groups = defaultdict(list)
        for move in moves:
            levels = levels_by_company[move.company_id].sorted(lambda lvl: (lvl.delay, lvl.id))
            if not levels or move.id in pending:
                continue
            current = move.sysengage_reminder_level_id
            reached = list(levels).index(current) + 1 if current in levels else 0
            index = due_level(
                today, move.invoice_date_due, levels.mapped("delay"), reached, move.sysengage_last_reminder_date
            )
            if index is None or (move.id, levels[index].id) in done:
                continue
            key = (move.company_id, move.commercial_partner_id, levels[index], move.currency_id)
            groups[key].append(move)
        vals_list = [
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "level_id": level.id,
                "currency_id": currency.id,
                "date": today,
                "fee_text": level.with_context(lang=partner.lang or self.env.lang).fee_text or False,
                "line_ids": [
                    fields.Command.create(
                        {
                            "move_id": move.id,
                            "amount_residual": move.amount_residual,
                            "days_overdue": days_overdue(today, move.invoice_date_due),
                        }
                    )
                    for move in group
                ],
            }
            for (company, partner, level, currency), group in groups.items()
        ]
        reminders = self.create(vals_list)
        self.env["sysengage.einvoice.document"]._create_for_reminders(reminders)
        return reminders

    @api.model
    def _cron_create_reminders(self):
        self._create_due_reminders()

    # ------------------------------------------------------------------
    # Fee
    # ------------------------------------------------------------------
    def _prepare_fee_vals(self):
        """The fee of this new reminder, from its level, in the reminder's currency (at the reminder date)."""
        self.ensure_one()
        level = self.level_id
        company_currency = self.company_id.currency_id
        if level.fee_invoicing == "none" or company_currency.is_zero(level.fee_amount):
            return {}
        amount = company_currency._convert(level.fee_amount, self.currency_id, self.company_id, self.date)
        return {"fee_amount": amount, "fee_invoicing": level.fee_invoicing, "fee_state": "to_invoice"}

    def _lock_fees(self, skip_locked=False):
        """Lock the rows of these reminders for the rest of the transaction and read their fee state again: a
        second run (another user, the dispatch cron) waits here until the first one commits, then finds the fee
        invoiced (its transaction, older than that commit, fails here with a serialization error and is retried,
        as Odoo retries any request, in a new one). Returns the reminders whose row could be locked (all unless
        ``skip_locked``)."""
        if not self:
            return self
        self.flush_recordset(["fee_state", "fee_move_id"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM sysengage_reminder WHERE id IN %s ORDER BY id FOR UPDATE %s",
                tuple(self.ids),
                SQL("SKIP LOCKED") if skip_locked else SQL(""),
            )
        )
        locked = self.browse([row[0] for row in rows])
        locked.invalidate_recordset(["fee_state", "fee_move_id"])
        return locked

    def _invoice_fees(self):
        """Invoice the fees still to invoice: a posted fee invoice each for the levels invoicing separately,
        the others wait for the customer's next invoice. Returns the reminders whose fee was invoiced now."""
        # only reminders with a fee to invoice are locked (then read again: another run may have invoiced it)
        reminders = self.filtered(lambda reminder: reminder.fee_state == "to_invoice")
        reminders = reminders._lock_fees().filtered(lambda reminder: reminder.fee_state == "to_invoice")
        separate = reminders.filtered(lambda reminder: reminder.fee_invoicing == "separate")
        with fee_write():
            (reminders - separate).write({"fee_state": "waiting"})
            if not separate:
                return separate
            # a fee invoice carries its own fee only, not the fees waiting for the customer's next invoice
            moves = (
                self.env["account.move"]
                .with_context(sysengage_no_reminder_fee=True)
                .create([reminder._prepare_fee_invoice_vals() for reminder in separate])
            )
            moves.action_post()
            for reminder, move in zip(separate, moves, strict=True):
                reminder.write({"fee_state": "invoiced", "fee_move_id": move.id})
                reminder.message_post(
                    body=self.env._("Reminder fee invoiced: %(invoice)s.", invoice=move._get_html_link())
                )
        return separate

    @api.model
    def _invoice_fees_of_sent_reminders(self, limit=200):
        """Invoice the fees that sent reminders still have to invoice: the follow-ups of their send failed after
        the send was committed (a conflict with another transaction, a crash), so nobody invoiced them. Run by the
        dispatch cron after its sends; a fee that cannot be invoiced (its accounting set-up) is logged and left to
        the next run or to "Invoice fee", the others go on."""
        reminders = self.search(
            [("fee_state", "=", "to_invoice"), ("document_ids.state", "in", ("sent", "acknowledged"))],
            order="id",
            limit=limit,
        )
        invoiced = self.browse()
        for reminder in reminders:
            try:
                with self.env.cr.savepoint():
                    invoiced |= reminder._invoice_fees()
            except (UserError, ValidationError) as error:
                _logger.warning("The fee of the sent reminder %s could not be invoiced: %s", reminder.id, error)
        return invoiced

    def _drop_fees(self):
        """A reminder cancelled before its fee was invoiced charges no fee."""
        reminders = self.filtered(lambda reminder: reminder.fee_state in ("to_invoice", "waiting"))
        reminders = reminders._lock_fees().filtered(lambda reminder: reminder.fee_state in ("to_invoice", "waiting"))
        with fee_write():
            reminders.write({"fee_state": "dropped"})

    def _prepare_fee_invoice_vals(self):
        self.ensure_one()
        payment_days = self.level_id.payment_days
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.date,
            "invoice_payment_term_id": False,
            "invoice_date_due": fields.Date.add(self.date, days=payment_days) if payment_days else self.date,
            "invoice_origin": self.name,
            "invoice_line_ids": [fields.Command.create(self._prepare_fee_line_vals())],
        }

    def _prepare_fee_line_vals(self):
        """The invoice line of this reminder's fee, linked to the reminder: deleted from an invoice, the line gives
        the fee back (see account.move.line)."""
        self.ensure_one()
        level = self.level_id.with_context(lang=self.partner_id.lang or self.env.lang)
        product = level.fee_product_id
        return {
            "sysengage_reminder_id": self.id,
            "product_id": product.id,
            "name": self.env._(
                "%(product)s: %(level)s of %(date)s",
                product=product.with_context(lang=level.env.lang).name,
                level=level.name,
                date=self.date.strftime("%d.%m.%Y"),
            ),
            "quantity": 1.0,
            "price_unit": self.fee_amount,
        }

    # ------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------
    def _file_name(self):
        self.ensure_one()
        level = self.level_id.with_context(lang=self.partner_id.lang or self.env.lang).name
        return f"{level} {self.partner_id.name} {self.date}.pdf".replace("/", "_")

    def _render_pdf(self):
        """The reminder letter with the QR-bill of each invoice's open amount."""
        self.ensure_one()
        return self.env["ir.actions.report"]._render_qweb_pdf(REMINDER_REPORT, self.ids)[0]

    def _qr_moves(self):
        """The invoices of the reminder that get a QR-bill page (l10n_ch decides whether it is valid)."""
        self.ensure_one()
        return self.line_ids.move_id.filtered("l10n_ch_is_qr_valid")

    @api.model
    def _append_qr_bills(self, streams):
        """Append to each reminder's rendered letter the QR-bill pages that core l10n_ch renders for its
        invoices (amount = the invoice's open amount); ``streams`` is the report engine's dict."""
        report_model = self.env["ir.actions.report"]
        data = with_options({}, force_payment_part=True)  # whatever the invoice or customer choose
        for reminder in self.browse(list(streams)):
            moves = reminder._qr_moves()
            if not moves or not streams[reminder.id].get("stream"):
                continue
            writer = OdooPdfFileWriter()
            letter = OdooPdfFileReader(streams[reminder.id]["stream"], strict=False)
            for page in range(letter.getNumPages()):
                writer.addPage(letter.getPage(page))
            for move in moves:
                # one invoice per rendering: wkhtmltopdf cannot split a multi-document PDF everywhere
                qr_streams = report_model._render_qweb_pdf_prepare_streams(
                    "l10n_ch.l10n_ch_qr_report", dict(data), res_ids=move.ids
                )
                if move.id not in qr_streams:
                    continue
                qr_pdf = OdooPdfFileReader(qr_streams[move.id]["stream"], strict=False)
                for page in range(qr_pdf.getNumPages()):
                    writer.addPage(qr_pdf.getPage(page))
            output = io.BytesIO()
            writer.write(output)
            output.seek(0)
            streams[reminder.id]["stream"] = output
        return streams
