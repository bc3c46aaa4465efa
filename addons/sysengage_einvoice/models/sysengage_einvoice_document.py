import io
import logging
import uuid
from datetime import timedelta

import psycopg2
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from ..tools import transport
from ..tools.backoff import retry_delay
from .sysengage_einvoice_channel import SysengageEinvoiceBuildError

_logger = logging.getLogger(__name__)


class SysengageEinvoiceDocument(models.Model):
    """One document going out through one channel: its generated files, recipients, planned time,
    status (to send, sent, acknowledged, rejected, cancelled) and the history of its attempts.

    ``document_type`` says what goes out: a customer invoice (``move_id``), a payment reminder
    (``reminder_id``) or, with a bridge addon, another record (e.g. an offer). Each type adds its
    source field, extends ``_sysengage_source`` and ``_build_files`` and calls ``super()``
    for the others.
    """

    _name = "sysengage.einvoice.document"
    _description = "E-invoice document"
    _inherit = ["mail.thread"]
    _order = "planned_date, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    uuid = fields.Char(default=lambda self: str(uuid.uuid4()), required=True, readonly=True, copy=False)
    document_type = fields.Selection(
        [("invoice", "Invoice"), ("reminder", "Payment reminder")],
        string="Type",
        default="invoice",
        required=True,
        readonly=True,
        index=True,
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", ondelete="cascade", index="btree_not_null", check_company=True
    )
    reminder_id = fields.Many2one(
        "sysengage.reminder", string="Reminder", ondelete="cascade", index="btree_not_null", check_company=True
    )
    source_ref = fields.Reference(selection="_selection_source_ref", string="Document", compute="_compute_source_ref")
    company_id = fields.Many2one(
        "res.company", compute="_compute_source_values", store=True, precompute=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_source_values",
        store=True,
        precompute=True,
        index=True,
        readonly=True,
    )
    channel_id = fields.Many2one("sysengage.einvoice.channel", required=True, check_company=True, index=True)
    channel_type = fields.Selection(related="channel_id.channel_type", store=True)
    flow_id = fields.Many2one("sysengage.dispatch.flow", string="Flow", check_company=True, index=True)
    state = fields.Selection(
        [
            ("to_send", "To send"),
            ("sent", "Sent"),
            ("acknowledged", "Acknowledged"),
            ("rejected", "Rejected"),
            ("error", "Error"),
            ("cancelled", "Cancelled"),
        ],
        default="to_send",
        required=True,
        tracking=True,
        index=True,
    )
    state_message = fields.Text(string="Reason", tracking=True, help="Why the last attempt failed or was rejected.")
    planned_date = fields.Datetime(string="Planned send", tracking=True, index=True)
    next_attempt_date = fields.Datetime(string="Next retry", readonly=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    sent_date = fields.Datetime(readonly=True, tracking=True)
    external_id = fields.Char(string="Receiver reference", readonly=True, copy=False)
    recipient_ids = fields.Many2many(
        "res.partner", string="Recipients", help="Pre-filled from the customer's invoice contacts."
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Files", readonly=True, copy=False)
    preview_pdf = fields.Binary(string="PDF preview", compute="_compute_preview")
    preview_xml = fields.Text(string="XML preview", compute="_compute_preview")
    amount_total = fields.Monetary(string="Amount", compute="_compute_amount")
    currency_id = fields.Many2one("res.currency", compute="_compute_amount")

    _move_channel_unique = models.Constraint("UNIQUE(move_id, channel_id)", "An invoice is sent only once per channel.")
    _reminder_channel_unique = models.Constraint(
        "UNIQUE(reminder_id, channel_id)", "A reminder is sent only once per channel."
    )
    _source_set = models.Constraint(
        "CHECK(document_type != 'invoice' OR move_id IS NOT NULL)", "An invoice document needs its invoice."
    )

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "cancelled":
            # a reminder whose every send is cancelled before its fee was invoiced charges no fee
            reminders = self.reminder_id.filtered(lambda reminder: reminder.dispatch_state == "cancelled")
            reminders._drop_fees()
        return result

    @api.model
    def _selection_source_ref(self):
        return [("account.move", "Invoice"), ("sysengage.reminder", "Payment reminder")]

    @api.depends("move_id.name", "reminder_id.name", "channel_id.name")
    def _compute_name(self):
        for document in self:
            source = document._sysengage_source()
            document.name = f"{source.display_name or ''} – {document.channel_id.name or ''}"

    @api.depends("document_type", "move_id", "reminder_id")
    def _compute_source_ref(self):
        for document in self:
            source = document._sysengage_source()
            document.source_ref = f"{source._name},{source.id}" if source else False

    @api.depends(
        "move_id.company_id", "move_id.commercial_partner_id", "reminder_id.company_id", "reminder_id.partner_id"
    )
    def _compute_source_values(self):
        for document in self:
            source = document._sysengage_source()
            document.company_id = source.company_id if source else document.company_id
            if document.document_type == "invoice":
                document.partner_id = document.move_id.commercial_partner_id
            elif source:
                document.partner_id = source.partner_id.commercial_partner_id

    @api.depends("move_id.amount_total", "reminder_id.amount_residual")
    def _compute_amount(self):
        for document in self:
            if document.document_type == "reminder":
                document.amount_total = document.reminder_id.amount_residual
                document.currency_id = document.reminder_id.currency_id
            elif document.document_type == "invoice":
                document.amount_total = document.move_id.amount_total
                document.currency_id = document.move_id.currency_id
            else:
                source = document._sysengage_source()
                document.currency_id = source.currency_id if source else False
                document.amount_total = source.amount_total if source else 0.0

    def _sysengage_source(self):
        """The record this document sends (invoice, reminder...); type addons extend it."""
        self.ensure_one()
        if self.document_type == "invoice":
            return self.move_id
        if self.document_type == "reminder":
            return self.reminder_id
        return self.env["account.move"]

    @api.depends("attachment_ids")
    def _compute_preview(self):
        for document in self:
            pdf = document.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")[:1]
            xml = document.attachment_ids.filtered(lambda a: "xml" in (a.mimetype or ""))[:1]
            document.preview_pdf = pdf.datas if pdf else False
            raw = xml.raw if xml else b""
            if len(raw) > 200000:
                raw = raw[:200000] + b"\n..."
            document.preview_xml = raw.decode("utf-8", "replace") if raw else False

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------
    @api.model
    def _create_for_moves(self, moves):
        """Documents for the posted customer invoices ``moves`` on their customer's channel; the files
        are built at once (a build error is kept as the reason, the document stays to send)."""
        vals_list = []
        existing = self.search([("move_id", "in", moves.ids)])
        channels, flows = {}, {}  # per (channel type, company): one search each, not one per invoice
        for move in moves:
            if move.state != "posted" or not move.is_sale_document():
                raise UserError(
                    self.env._("Only posted customer invoices can be sent (%(invoice)s).", invoice=move.display_name)
                )
            channel_type = move.partner_id._sysengage_einvoice_channel_type()
            if not channel_type:
                raise UserError(
                    self.env._(
                        "Invoice sending of %(partner)s is not an e-invoice channel.",
                        partner=move.commercial_partner_id.display_name,
                    )
                )
            key = (channel_type, move.company_id.id)
            if key not in channels:
                channels[key] = self.env["sysengage.einvoice.channel"]._get_for_type(channel_type, move.company_id)
            channel = channels[key]
            if not channel:
                raise UserError(
                    self.env._(
                        "No active %(type)s channel is configured for %(company)s.",
                        type=channel_type,
                        company=move.company_id.name,
                    )
                )
            if existing.filtered(lambda d, m=move, c=channel: d.move_id == m and d.channel_id == c):
                continue
            if channel not in flows:
                flows[channel] = self.env["sysengage.dispatch.flow"]._get_for_channel(channel)
            flow = flows[channel]
            vals_list.append(
                {
                    "document_type": "invoice",
                    "move_id": move.id,
                    "channel_id": channel.id,
                    "flow_id": flow.id,
                    "planned_date": flow._next_slot() if flow else fields.Datetime.now(),
                    "recipient_ids": [fields.Command.set(move.partner_id._sysengage_invoice_recipients().ids)],
                }
            )
        documents = self._create_and_build(vals_list)
        return documents | existing.filtered(lambda d: d.move_id in moves)

    @api.model
    def _create_and_build(self, vals_list):
        """Create the documents of ``vals_list`` and build their files at once (the invoice PDFs
        rendered in batches first); a build error is kept as the reason, the document stays to send."""
        documents = self.create(vals_list)
        if documents.move_id:
            self.env["sysengage.einvoice.channel"]._prefetch_invoice_pdfs(documents)  # batched PDFs
        for document in documents:
            document._sysengage_build()
        documents._wake_dispatch_job()
        return documents

    def _wake_dispatch_job(self):
        """Wake the dispatch job up when these documents may leave: now for those due, at their flow's slot for
        the others (instead of at the job's next interval after it)."""
        now = fields.Datetime.now()
        at = {max(document.planned_date or now, now) for document in self if document.channel_type != "paper"}
        cron = self.env.ref("sysengage_einvoice.ir_cron_sysengage_einvoice_send", raise_if_not_found=False)
        if at and cron:
            cron._trigger(at=sorted(at))

    @api.model
    def _queue_letters(self, document_type, source_field, records, existing_domain=None):
        """Queue ``records`` (the source of a document, in its field ``source_field``) as letters of
        ``document_type`` on the flow of their company, with the values of
        :meth:`_prepare_letter_vals`; a record already queued (a document matching
        ``existing_domain``) is not queued twice. Returns the new documents and the existing ones."""
        existing = self.search(Domain(source_field, "in", records.ids) & Domain(existing_domain or Domain.TRUE))
        flows = {}
        vals_list = []
        for record in records - existing[source_field]:
            vals = self._prepare_letter_vals(document_type, record, flows)
            if vals:
                vals.update({"document_type": document_type, source_field: record.id})
                vals_list.append(vals)
        return self._create_and_build(vals_list) | existing

    @api.model
    def _prepare_letter_vals(self, document_type, record, flows):
        """The queue values of the letter ``record`` of ``document_type``, or None when it stays
        unqueued; a type addon prepares its own type and calls ``super()`` for the others. ``flows``
        (a dict) keeps the flows found. A reminder goes on paper for customers who get their invoices
        by post, else by e-mail; a reminder without a flow stays unqueued (shown on the reminder)."""
        if document_type != "reminder":
            raise ValueError(f"No queue values for documents of type {document_type}")
        partner = record.partner_id
        flow = self._letter_flow("reminder", record.company_id, partner, flows)
        return self._prepare_queue_vals(flow, partner) if flow else None

    @api.model
    def _prepare_queue_vals(self, flow, partner, recipients=None):
        """Values shared by every document queued on ``flow`` for ``partner``: channel, planned slot
        and recipients (the given ones, else the customer's invoice contacts)."""
        if recipients is None:
            recipients = partner._sysengage_invoice_recipients()
        return {
            "flow_id": flow.id,
            "channel_id": flow.channel_id.id,
            "planned_date": flow._next_slot(),
            "recipient_ids": [fields.Command.set(recipients.ids)],
        }

    @api.model
    def _letter_flow(self, document_type, company, partner, cache):
        """The flow of ``document_type`` of ``company`` for a letter to ``partner``: on paper for customers
        who get their invoices by post, else by e-mail. ``cache`` (a dict) keeps the flows found."""
        channel_type = "paper" if partner._sysengage_einvoice_channel_type() == "paper" else "email"
        key = (document_type, company, channel_type)
        if key not in cache:
            cache[key] = self.env["sysengage.dispatch.flow"]._get_for_type(
                document_type, company, channel_type=channel_type
            )
        return cache[key]

    @api.model
    def _create_for_reminders(self, reminders):
        """Queue ``reminders`` on the reminder flow of their company (paper for customers who get their
        invoices by post, else e-mail); reminders without a flow stay unqueued (shown on the reminder)."""
        return self._queue_letters("reminder", "reminder_id", reminders)

    def _build_files(self):
        """The files of this document: list of dicts (name, raw, mimetype, main). Invoices are built by
        their channel; a type addon builds its own type and calls ``super()`` for the others."""
        self.ensure_one()
        if self.document_type == "invoice":
            return self.channel_id._build_files(self.move_id)
        if self.document_type == "reminder":
            self._check_simple_channel()
            reminder = self.reminder_id
            return [
                {
                    "name": reminder._file_name(),
                    "raw": reminder._render_pdf(),
                    "mimetype": "application/pdf",
                    "main": True,
                }
            ]
        raise SysengageEinvoiceBuildError(
            self.env._("Documents of type %(type)s have no builder.", type=self.document_type)
        )

    def _check_simple_channel(self):
        """Reminders and offers are PDF letters: they leave by e-mail or on paper only."""
        if self.channel_type not in ("email", "paper"):
            raise SysengageEinvoiceBuildError(
                self.env._(
                    "Channel %(channel)s cannot carry a %(type)s: use an e-mail or paper channel.",
                    channel=self.channel_id.display_name,
                    type=dict(self._fields["document_type"]._description_selection(self.env)).get(
                        self.document_type, self.document_type
                    ),
                )
            )

    def _mail_content(self):
        """Subject and body of the e-mail carrying this document, in the customer's language."""
        self.ensure_one()
        source = self._sysengage_source()
        document = self.with_context(lang=self.partner_id.lang or self.env.lang)
        env = document.env
        company = self.company_id
        if self.document_type == "invoice":
            move = self.move_id
            return {
                "subject": self.env._("Invoice %(number)s from %(company)s", number=move.name, company=company.name),
                "body": self.env._(
                    "Dear customer,\n\nPlease find attached invoice %(number)s of %(amount)s %(currency)s.\n\n"
                    "%(company)s",
                    number=move.name,
                    amount=f"{move.amount_total:.2f}",
                    currency=move.currency_id.name,
                    company=company.name,
                ),
            }
        if self.document_type == "reminder":
            reminder = self.reminder_id.with_env(env)
            return {
                "subject": env._(
                    "%(level)s: open invoices at %(company)s", level=reminder.level_id.name, company=company.name
                ),
                "body": env._(
                    "Dear customer,\n\nAccording to our records, invoices of %(amount)s %(currency)s are still "
                    "open: %(invoices)s. Please find our reminder attached.\n\n%(company)s",
                    amount=f"{reminder.amount_residual:.2f}",
                    currency=reminder.currency_id.name,
                    invoices=", ".join(reminder.line_ids.move_id.mapped("name")),
                    company=company.name,
                ),
            }
        return {"subject": source.display_name or self.name, "body": source.display_name or self.name}

    def _cancel_reason(self):
        """Why this document must not leave any more (it is then cancelled), or False; types extend it.
        A reminder whose invoices were all paid meanwhile is not sent."""
        self.ensure_one()
        if self.document_type == "reminder":
            moves = self.reminder_id.line_ids.move_id
            still_open = moves.filtered(lambda m: m.state == "posted" and m.payment_state in ("not_paid", "partial"))
            if moves and not still_open:
                return self.env._("Not sent: the invoices of this reminder are paid or cancelled.")
        return False

    def _send_blocker(self):
        """Why this document cannot leave now (a reason shown on it), or False; types extend it."""
        self.ensure_one()
        return False

    def _after_send(self):
        """Hook run once a document was sent (e-mailed, delivered or printed); types extend it."""
        for document in self.filtered(lambda d: d.document_type == "reminder"):
            document.reminder_id.message_post(
                body=self.env._("Reminder sent through %(channel)s.", channel=document.channel_id.display_name)
            )
        # a sent reminder invoices its fee (a second send, by another channel, finds it invoiced)
        self.filtered(lambda d: d.document_type == "reminder").reminder_id._invoice_fees()

    def _sysengage_build(self):
        """(Re)build the files; on a build error keep the reason, the document stays to send."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                files = self._build_files()
        except (SysengageEinvoiceBuildError, UserError) as error:
            self.state_message = str(error.args[0] if error.args else error)
            return False
        self.attachment_ids.unlink()
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": file["name"],
                    "raw": file["raw"],
                    "mimetype": file["mimetype"],
                    "res_model": self._name,
                    "res_id": self.id,
                }
                for file in files
            ]
        )
        self.write({"attachment_ids": [fields.Command.set(attachments.ids)], "state_message": False})
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send_now(self):
        documents = self.filtered(lambda d: d.state == "to_send" and not d.channel_id._is_print_batch())
        if self.filtered(lambda d: d.channel_id._is_print_batch()):
            raise UserError(self.env._("Paper documents leave through the print batch."))
        documents._send_committed()
        return True

    def _send_committed(self):
        """Send each document in a transaction of its own, committed once its outcome is written.

        "Send now" runs in a request that Odoo replays after a serialization failure: sent in the
        request's own transaction, a document delivered before the failure would be delivered again
        by the replay. Committed one by one, the replay finds it sent and leaves it. Changes of the
        calling transaction are not seen (a web client saves the record before calling the button)."""
        self.env.flush_all()
        for document in self:
            with self.env.registry.cursor() as cr:
                document.with_env(self.env(cr=cr))._sysengage_send(commit=True)
        # the documents and what their sending changed (reminders, invoices) were written elsewhere
        self.env.invalidate_all()
        return True

    def action_postpone(self):
        for document in self.filtered(lambda d: d.state == "to_send"):
            start = max(document.planned_date or fields.Datetime.now(), fields.Datetime.now()) + timedelta(days=1)
            flow = document.flow_id
            document.planned_date = flow._next_slot(start) if flow else start
        return True

    def action_cancel(self):
        self.filtered(lambda d: d.state == "to_send").write({"state": "cancelled"})
        return True

    def action_reset_to_send(self):
        self.filtered(lambda d: d.state in ("rejected", "error", "cancelled")).write(
            {"state": "to_send", "attempt_count": 0, "next_attempt_date": False}
        )
        return True

    def action_rebuild(self):
        for document in self.filtered(lambda d: d.state == "to_send"):
            document._sysengage_build()
        return True

    def action_print_batch(self):
        """Merge the PDFs of the selected paper documents into one batch and mark them sent."""
        documents = self.filtered(lambda d: d.state == "to_send" and d.channel_id._is_print_batch())
        if not documents:
            raise UserError(self.env._("Select paper documents that are still to send."))
        documents = documents._sysengage_lock()
        pdfs = []
        for document in documents:
            if not document.attachment_ids and not document._sysengage_build():
                raise UserError(
                    self.env._("%(doc)s: %(reason)s", doc=document.display_name, reason=document.state_message)
                )
            pdfs += [a.raw for a in document.attachment_ids if a.mimetype == "application/pdf"]
        batch = self.env["ir.attachment"].create(
            {
                "name": self.env._("Print batch %s.pdf", fields.Datetime.now().strftime("%Y-%m-%d %H%M")),
                "raw": self._sysengage_merge_pdfs(pdfs),
                "mimetype": "application/pdf",
            }
        )
        now = fields.Datetime.now()
        documents.write({"state": "sent", "sent_date": now, "state_message": False})
        for document in documents:
            document.message_post(body=self.env._("Printed in batch %s.", batch.name), attachment_ids=batch.ids)
        documents._after_send()
        return {"type": "ir.actions.act_url", "url": f"/web/content/{batch.id}?download=true", "target": "self"}

    def _action_open(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_einvoice.sysengage_einvoice_document_action")
        if len(self) == 1:
            action.update({"res_id": self.id, "view_mode": "form", "views": [(False, "form")]})
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _sysengage_lock(self):
        """Lock the documents still to send, skipping those another transaction is sending: the
        rows returned are ours alone until commit, so a second cron run cannot send them again."""
        if not self:
            return self
        self.flush_model(["state"])
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s AND state = 'to_send' FOR UPDATE SKIP LOCKED",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
                rows = self.env.cr.fetchall()
        except SerializationFailure:
            # A row was changed (sent) and committed by another transaction after our snapshot was
            # taken (e.g. the cron while a long "Send now" runs): it is not ours to send. Retry the
            # others one by one so a single conflict does not skip the whole set.
            if len(self) == 1:
                return self.browse()
            return self.browse().union(*(document._sysengage_lock() for document in self))
        locked = self.browse([row[0] for row in rows])
        locked.invalidate_recordset(["state"])
        return locked.filtered(lambda d: d.state == "to_send")

    def _sysengage_send(self, commit=False):
        """Send each document once: lock, build if needed, transport, record the outcome.

        ``commit``: commit each outcome as soon as it is written (cron, "Send now"), before the
        follow-ups (message, hooks) run, so that nothing failing afterwards can send it again."""
        sent = self.browse()
        for document in self:
            locked = document._sysengage_lock()
            if not locked:
                continue
            receipt = locked._send_guarded()
            if commit:
                # the outcome is durable before anything else can fail (see the docstring); outside a
                # cron (the own cursor of "Send now") this just commits
                self.env["ir.cron"]._commit_progress()
            if receipt is not None:
                locked._after_send_followups(receipt)
            if locked.state in ("sent", "acknowledged"):
                sent |= locked
            if commit:
                # One document per transaction in the cron: an outcome is never lost nor replayed.
                self.env["ir.cron"]._commit_progress(1)
        return sent

    def _send_guarded(self):
        """:meth:`_send_one`, with an unexpected error (a bad value in one document) put on
        this document (state error, with its reason) instead of stopping the run for every other one."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                return self._send_one()
        except psycopg2.OperationalError:
            raise  # a concurrency error is the transaction's, replayed by Odoo: not this document's fault
        except Exception as error:  # any other failure belongs to this document alone
            _logger.exception("Dispatch document %s could not be sent", self.id)
            reason = self.env._("Unexpected error while sending: %(error)s", error=str(error) or repr(error))
            self.write({"state": "error", "state_message": reason, "next_attempt_date": False})
            return None

    def _send_one(self):
        """Deliver this document; return the transport's receipt once it is recorded sent, else None."""
        self.ensure_one()
        channel = self.channel_id
        obsolete = self._cancel_reason()
        if obsolete:
            self.write({"state": "cancelled", "state_message": obsolete})
            self.message_post(body=obsolete)
            return None
        blocker = self._send_blocker()
        if blocker:
            self.state_message = blocker
            return None
        if channel._requires_recipients() and not self.recipient_ids.filtered("email"):
            self.state_message = self.env._("Recipients: add at least one recipient with an e-mail address.")
            return None
        if not self.attachment_ids and not self._sysengage_build():
            return None
        files = {attachment.name: attachment.raw for attachment in self.attachment_ids}
        try:
            receipt = channel._transport(self, files)
        except transport.TransientError as error:
            self._record_failure(str(error))
            return None
        except transport.RejectedError as error:
            self.write({"state": "rejected", "state_message": str(error)})
            return None
        except SysengageEinvoiceBuildError as error:
            self.state_message = str(error.args[0] if error.args else error)
            return None
        self.write(
            {
                "state": receipt.get("state", "sent"),
                "sent_date": fields.Datetime.now(),
                "external_id": receipt.get("external_id") or self.external_id,
                "state_message": False,
                "next_attempt_date": False,
                "attempt_count": self.attempt_count + 1,
            }
        )
        return receipt

    def _after_send_followups(self, receipt):
        """The chatter message and the hooks of a document just sent. Its outcome is already
        written: a failure here is logged, it never turns a delivered document back to send."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                # a note of the dispatch, nobody to notify: logged (as core logs its notes), without going through
                # the followers and notification machinery of message_post for each document of a month end
                self._message_log(body=receipt.get("message") or self.env._("Sent."))
                self._after_send()
        except psycopg2.OperationalError:
            raise
        except Exception:  # the document left: its follow-ups must not undo that
            _logger.exception("Follow-ups of the sent dispatch document %s failed", self.id)

    def _record_failure(self, reason):
        attempts = self.attempt_count + 1
        vals = {"attempt_count": attempts, "state_message": reason}
        if attempts < self.channel_id.max_attempts:
            vals["next_attempt_date"] = fields.Datetime.now() + retry_delay(attempts)
        else:
            vals["next_attempt_date"] = False
            vals["state_message"] = self.env._(
                "%(reason)s (gave up after %(count)s attempts; use Send now to retry)", reason=reason, count=attempts
            )
        self.write(vals)

    def action_check_status(self):
        """Ask the network for the receiver's verdict on sent documents (acknowledged or rejected)."""
        for document in self.filtered(lambda d: d.state == "sent" and d.external_id):
            try:
                state, message = document.channel_id._fetch_status(document)
            except transport.TransportError as error:
                document.message_post(body=self.env._("Status check failed: %s", str(error)))
                continue
            if state:
                document.write({"state": state, "state_message": message if state == "rejected" else False})
                document.message_post(body=message)
        return True

    @api.model
    def _cron_check_status(self):
        self.search([("state", "=", "sent"), ("external_id", "!=", False)], limit=500).action_check_status()

    @api.model
    def _due_domain(self):
        now = fields.Datetime.now()
        return [
            ("state", "=", "to_send"),
            ("channel_type", "!=", "paper"),
            "|",
            ("planned_date", "=", False),
            ("planned_date", "<=", now),
            "|",
            ("next_attempt_date", "=", False),
            ("next_attempt_date", "<=", now),
        ]

    @api.model
    def _cron_send_due(self):
        documents = self.search(self._due_domain(), limit=500)
        documents = documents.filtered(lambda d: d.attempt_count < d.channel_id.max_attempts)
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        if in_cron:
            self.env["ir.cron"]._commit_progress(remaining=len(documents))
        documents._sysengage_send(commit=in_cron)
        # the fees of reminders sent earlier whose follow-ups failed (see _after_send_followups)
        self.env["sysengage.reminder"]._invoice_fees_of_sent_reminders()

    # ------------------------------------------------------------------
    # Data shared by the builders
    # ------------------------------------------------------------------
    @api.model
    def _partner_address(self, partner):
        return {
            "company": partner.commercial_partner_id.name,
            "street": partner.street or "",
            "street2": partner.street2 or "",
            "zip": partner.zip or "",
            "city": partner.city or "",
            "country": partner.country_id.code or "",
            "email": partner.email or "",
        }

    @api.model
    def _invoice_values(self, move):
        """Lines, VAT per rate and totals of ``move`` in its currency, as plain values."""
        currency = move.currency_id
        lines = []
        for line in move.invoice_line_ids.filtered(lambda aml: aml.display_type == "product"):
            taxes = line.tax_ids.filtered(lambda t: t.amount_type == "percent")
            lines.append(
                {
                    "description": (line.name or line.product_id.display_name or "").split("\n")[0][:250],
                    "product_code": line.product_id.default_code or "",
                    "quantity": line.quantity,
                    "uom": line.product_uom_id.name or "",
                    "price_unit": line.price_unit * (1 - (line.discount or 0.0) / 100.0),
                    "tax_rate": sum(taxes.mapped("amount")),
                    "tax_amount": currency.round(line.price_total - line.price_subtotal),
                    "amount_excl": currency.round(line.price_subtotal),
                }
            )
        taxes = [
            {"rate": detail["rate"], "base": detail["base"], "amount": detail["amount"]}
            for detail in move._sysengage_vat_detail()
        ]
        return {
            "supplier": self._partner_address(move.company_id.partner_id),
            "customer": self._partner_address(move.partner_id),
            "lines": lines,
            "taxes": taxes,
            "total_excl": move.amount_untaxed,
            "total_incl": move.amount_total,
        }

    @api.model
    def _sysengage_merge_pdfs(self, pdfs):
        writer = OdooPdfFileWriter()
        for pdf in pdfs:
            reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
            for page in range(reader.getNumPages()):
                writer.addPage(reader.getPage(page))
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()
