import io
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from odoo.addons.sysengage_base.tools.report_options import with_options

from ..tools.reminder import days_overdue, due_level

REMINDER_REPORT = "sysengage_einvoice.report_sysengage_reminder"


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
        for reminder in self:
            reminder.name = f"{reminder.level_id.name or ''} – {reminder.partner_id.name or ''} – {reminder.date or ''}"

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
    # Actions
    # ------------------------------------------------------------------
    def action_queue(self):
        """Queue the reminders on their company's reminder flow."""
        documents = self.env["sysengage.einvoice.document"]._sysengage_create_for_reminders(self)
        missing = self - documents.reminder_id
        if missing:
            raise UserError(
                self.env._(
                    "No dispatch flow for payment reminders is configured for %(company)s: create one with an "
                    "e-mail or paper channel.",
                    company=missing.company_id[:1].name,
                )
            )
        return documents._sysengage_action_open()

    def action_open_documents(self):
        self.ensure_one()
        return self.document_ids._sysengage_action_open()

    def action_print(self):
        return self.env.ref(REMINDER_REPORT).report_action(self)

    @api.model
    def action_create_due(self):
        reminders = self._sysengage_create_due_reminders()
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
    def _sysengage_overdue_domain(self, today):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual", ">", 0),
            ("invoice_date_due", "<", today),
            ("sysengage_reminder_blocked", "=", False),
        ]

    @api.model
    def _sysengage_create_due_reminders(self, today=None):
        """Create the reminders due on ``today``: one per customer, level and currency, listing each
        overdue invoice that reached that level; then queue them. Invoices whose last reminder is
        still waiting to go out are left for a later run."""
        today = today or fields.Date.context_today(self)
        moves = self.env["account.move"].search(self._sysengage_overdue_domain(today), order="invoice_date_due, id")
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
            index = due_level(today, move.invoice_date_due, levels.mapped("delay"), reached,
                              move.sysengage_last_reminder_date)
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
        self.env["sysengage.einvoice.document"]._sysengage_create_for_reminders(reminders)
        return reminders

    @api.model
    def _cron_create_reminders(self):
        self._sysengage_create_due_reminders()

    # ------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------
    def _sysengage_file_name(self):
        self.ensure_one()
        level = self.level_id.with_context(lang=self.partner_id.lang or self.env.lang).name
        return f"{level} {self.partner_id.name} {self.date}.pdf".replace("/", "_")

    def _sysengage_render_pdf(self):
        """The reminder letter with the QR-bill of each invoice's open amount."""
        self.ensure_one()
        return self.env["ir.actions.report"]._render_qweb_pdf(REMINDER_REPORT, self.ids)[0]

    def _sysengage_qr_moves(self):
        """The invoices of the reminder that get a QR-bill page (l10n_ch decides whether it is valid)."""
        self.ensure_one()
        return self.line_ids.move_id.filtered("l10n_ch_is_qr_valid")

    @api.model
    def _sysengage_append_qr_bills(self, streams):
        """Append to each reminder's rendered letter the QR-bill pages that core l10n_ch renders for its
        invoices (amount = the invoice's open amount); ``streams`` is the report engine's dict."""
        report_model = self.env["ir.actions.report"]
        data = with_options({}, force_payment_part=True)  # whatever the invoice or customer choose
        for reminder in self.browse(list(streams)):
            moves = reminder._sysengage_qr_moves()
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
