import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.sysengage_ged.tools import chain

from .ir_actions_report import RENDERING_KEY, GedRendering
from .sysengage_ged_archive import ARCHIVE_BATCH_SIZE

_logger = logging.getLogger(__name__)

XML_MIMETYPES = ("application/xml", "text/xml")
# invoices of one wkhtmltopdf run when the archive job renders a batch
RENDER_BATCH_SIZE = 25
# cursor cache key: depth of the _post calls running in this transaction; the state "posted" is
# written inside _post (which archives) and by no other path (a client cannot set it)
_POSTING = "sysengage_ged_posting"


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "sysengage.ged.record.mixin"]

    sysengage_ged_archive_ids = fields.One2many("sysengage.ged.archive", "move_id", string="Archives", readonly=True)
    sysengage_ged_archive_count = fields.Integer(string="Archive Count", compute="_compute_sysengage_ged_archive_count")
    # the archive status, for whoever may read the invoice (no Documents rights needed, no file content)
    sysengage_ged_archived = fields.Boolean(string="Archived", compute="_compute_sysengage_ged_archive_status")
    sysengage_ged_archive_signed = fields.Boolean(string="Signed", compute="_compute_sysengage_ged_archive_status")
    sysengage_ged_archive_timestamped = fields.Boolean(
        string="Timestamped", compute="_compute_sysengage_ged_archive_status"
    )
    sysengage_ged_archive_version = fields.Integer(
        string="Archive Version", compute="_compute_sysengage_ged_archive_status"
    )
    sysengage_ged_archive_date = fields.Datetime(string="Archived On", compute="_compute_sysengage_ged_archive_status")
    sysengage_ged_archive_queue_ids = fields.One2many(
        "sysengage.ged.archive.queue", "move_id", string="Archive Queue", readonly=True, copy=False
    )
    sysengage_ged_archive_pending = fields.Boolean(
        string="Archive Pending",
        compute="_compute_sysengage_ged_archive_status",
        help="Posted and waiting for the archive job, which archives it within seconds.",
    )

    def _compute_sysengage_ged_archive_count(self):
        counts = {}
        if self.ids and self.env["sysengage.ged.archive"].browse().has_access("read"):
            counts = dict(
                self.env["sysengage.ged.archive"]._read_group([("move_id", "in", self.ids)], ["move_id"], ["__count"])
            )
        for move in self:
            move.sysengage_ged_archive_count = counts.get(move, 0)

    def write(self, vals):
        # Override: in an archiving company, an invoice is posted by _post only (which archives it);
        # writing the state directly (e.g. over RPC) would post it without archive nor checks
        if vals.get("state") == "posted" and not self.env.cr.cache.get(_POSTING):
            unposted = self.filtered(lambda move: move.state != "posted")
            archiving = unposted.filtered(lambda move: move.company_id.sysengage_ged_archive_enabled)
            if archiving:
                raise UserError(
                    self.env._(
                        "%(moves)s cannot be posted by changing its status: use the Confirm button, "
                        "which checks and archives the invoice.",
                        moves=", ".join(archiving[:5].mapped("display_name")),
                    )
                )
        if "state" in vals and vals["state"] != "posted":
            # a posted state is archived before it is left: an invoice reset to draft while waiting
            # for the archive job is archived now, as the job would have (no posted state unarchived)
            self.filtered(lambda move: move.state == "posted")._sysengage_ged_archive_queued_now()
        return super().write(vals)

    def _compute_sysengage_ged_archive_status(self):
        # sudo: the status flags of the archived PDF of invoices this user reads (the computed records);
        # nothing of the archive's file, hashes or chain leaves this method
        current = self.sudo()._sysengage_ged_current_archives()
        pending = set(self.sudo().sysengage_ged_archive_queue_ids.move_id.ids)
        for move in self:
            move.sysengage_ged_archive_pending = move.id in pending
            archive = current.get(move.id)
            move.sysengage_ged_archived = bool(archive)
            move.sysengage_ged_archive_signed = bool(archive and archive.signed)
            move.sysengage_ged_archive_timestamped = bool(archive and archive.state == "timestamped")
            move.sysengage_ged_archive_version = archive.version if archive else 0
            move.sysengage_ged_archive_date = archive.create_date if archive else False

    def _sysengage_ged_current_archives(self):
        """``{move id: archive}``: the PDF archive of each move's current posted state (the newest
        version; posting again after a reset to draft archives a new one). Read by this env's user."""
        if not self.ids:
            return {}
        # an invoice waiting for the archive job has no archive of its current posted state yet (an
        # archive of a former posted state, before a reset to draft, is not it)
        waiting = self.env["sysengage.ged.archive.queue"].sudo().search([("move_id", "in", self.ids)]).move_id
        archives = self.env["sysengage.ged.archive"].search(
            [("move_id", "in", (self - waiting).ids), ("kind", "=", "pdf")], order="version desc"
        )
        current = {}
        for archive in archives:
            current.setdefault(archive.move_id.id, archive)
        return current

    def _sysengage_ged_archive_or_record(self, event_type, pdf_by_move=None):
        """Archive the moves with no archive of their current posted state yet (``event_type`` is
        then the trigger); for the others, record the print or send as an event of their archive:
        a posted invoice is archived once, not again at every print."""
        if self.env.cr.readonly:
            # a read-only request (the report routes): the archive and its events are written with a
            # read/write cursor of their own, as core does for what such requests must store (web
            # binary assets, devices): the read-only transaction wrote nothing, it is reset first
            self.env.cr.rollback()
            with self.env.registry.cursor(readonly=False) as cr:
                self.with_env(self.env(cr=cr))._sysengage_ged_archive_or_record(event_type, pdf_by_move=pdf_by_move)
            return
        # sudo: archives and their events are written by the system for whoever prints or sends
        current = self.sudo()._sysengage_ged_current_archives()
        to_archive = self.filtered(lambda move: move.id not in current)
        trigger = "send" if event_type == "send" else "print"
        # posted invoices waiting for the archive job: archived now with this rendering (one
        # rendering for both); those the job holds right now are archived by it
        queued = to_archive.filtered(lambda move: move.sudo().sysengage_ged_archive_queue_ids)
        taken = self.env["sysengage.ged.archive.queue"]._ged_take(queued)
        current.update(
            (archive.move_id.id, archive) for archive in taken._sysengage_ged_archive_from_queue(pdf_by_move).sudo()
        )
        (to_archive - queued)._sysengage_ged_archive(trigger, pdf_by_move=pdf_by_move)
        for move in self.filtered(lambda move: move.id in current):
            move._sysengage_ged_archive_new_xml(trigger)
        events = [
            {"archive_id": archive.id, "event_type": event_type, "sha256": archive.sha256}
            for move_id, archive in current.items()
            if move_id in self.ids
        ]
        if events:
            self.env["sysengage.ged.archive.event"].sudo().create(events)

    def _sysengage_ged_archive_new_xml(self, trigger):
        """Archive the e-invoice XML files of this archived move not archived yet (e.g. the UBL made
        when it is first sent): a file added to the posted state, not a new version of its PDF."""
        self.ensure_one()
        # sudo: the hashes already archived for this move, compared by the system
        known = set(
            self.env["sysengage.ged.archive"]
            .sudo()
            .search([("move_id", "=", self.id), ("kind", "=", "xml")])
            .mapped("sha256")
        )
        files = [
            ("xml", attachment.name, attachment.mimetype, attachment.raw)
            for attachment in self._sysengage_ged_einvoice_attachments()
            if chain.sha256_hex(attachment.raw) not in known
        ]
        if files:
            self.env["sysengage.ged.archive"]._ged_archive_files(self, trigger, files)

    def _post(self, soft=True):
        # Override: the posting path may write the state (see write), then the customer invoices wait
        # for the archive job (one queue row each, in this transaction: no rendering, no chain lock, no
        # network), which is woken up to archive them within seconds
        cache = self.env.cr.cache
        cache[_POSTING] = cache.get(_POSTING, 0) + 1
        try:
            posted = super()._post(soft=soft)
        finally:
            cache[_POSTING] -= 1
        if self.env["sysengage.ged.archive.queue"]._ged_enqueue(posted._sysengage_ged_to_archive()):
            posted._sysengage_ged_wake_archive_job(more_workers=True)
        return posted

    @api.model
    def _cron_account_move_send(self, job_count=10):
        # Override of core's "Send & Print" job (account.ir_cron_account_move_send), which it repeats with
        # one condition more: an invoice waiting for the archive job is sent once archived, with its signed
        # archive (one rendering for both, in the job's batches; the archive job wakes this job up after
        # each batch). An invoice whose archive failed is sent now: its send archives it or records why not.
        # sudo: the queue is read by the system, whoever runs the job (its scheduler's user, or an administrator
        # running it by hand without Documents rights)
        waiting = self.env["sysengage.ged.archive.queue"].sudo()._search([("error", "=", False)])
        domain = [
            ("sending_data", "!=", False),
            ("state", "=", "posted"),
            ("id", "not in", waiting.subselect(SQL.identifier(waiting.table, "move_id"))),
        ]
        to_process = self.search(
            domain, order="date asc, invoice_date asc, sequence_number asc, id asc", limit=job_count
        )
        to_process = to_process.try_lock_for_update()
        if not to_process:
            return
        self.env["account.move.send"]._generate_and_send_invoices(to_process, from_cron=True)
        self.env["ir.cron"]._commit_progress(len(to_process), remaining=self.search_count(domain))

    def _sysengage_ged_wake_send_job(self):
        """Wake core's "Send & Print" job up when some of these invoices wait to be sent."""
        if self.filtered("sending_data"):
            cron = self.env.ref("account.ir_cron_account_move_send", raise_if_not_found=False)
            if cron:
                cron._trigger()

    def _sysengage_ged_wake_archive_job(self, more_workers=False):
        """Wake the archive job up. With ``more_workers``, also its second scheduled action when more than
        one batch waits: the two take different batches in two cron workers."""
        xmlids = ["sysengage_ged.ir_cron_sysengage_ged_archive_pending"]
        if more_workers:
            # sudo: the queue is read by the system
            waiting = self.env["sysengage.ged.archive.queue"].sudo().search_count([], limit=ARCHIVE_BATCH_SIZE + 1)
            if waiting > ARCHIVE_BATCH_SIZE:
                xmlids.append("sysengage_ged.ir_cron_sysengage_ged_archive_pending_2")
        for xmlid in xmlids:
            # sudo: a user posting invoices wakes the system job; he cannot run nor change it
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    def _sysengage_ged_archive_queued_now(self):
        """Archive these posted invoices now if they wait for the archive job (waiting for the job
        if it is archiving them right now: they are then archived by it)."""
        # sudo: the queue is read by the system
        queued = self.filtered(lambda move: move.sudo().sysengage_ged_archive_queue_ids)
        taken = self.env["sysengage.ged.archive.queue"]._ged_take(queued, wait=True)
        archives = taken._sysengage_ged_archive_from_queue()
        if archives:
            self._sysengage_ged_wake_archive_job()  # for the timestamp
        return archives

    def _sysengage_ged_archive_from_queue(self, pdf_by_move=None):
        """Archive these invoices, whose queue rows this transaction holds, as their posting would
        have (rendered unless given), and remove their rows; return their PDF archives."""
        if not self:
            return self.env["sysengage.ged.archive"]
        # sudo: the queue rows are read and removed by the system
        rows = self.sudo().sysengage_ged_archive_queue_ids
        pdf_by_move = dict(pdf_by_move or {})
        missing = self.filtered(lambda move: move.id not in pdf_by_move)
        if missing:
            pdf_by_move.update(missing._sysengage_ged_render_pdf())
        archives = self.env["sysengage.ged.archive"]._ged_archive_batch(
            [
                (
                    move,
                    rows.filtered(lambda row, move=move: row.move_id == move)[:1].trigger or "post",
                    move._sysengage_ged_files(pdf_by_move[move.id]),
                )
                for move in self
            ]
        )
        rows._ged_done()
        self._sysengage_ged_wake_archive_job()
        self._sysengage_ged_wake_send_job()
        return archives.filtered(lambda archive: archive.kind == "pdf")

    def _sysengage_ged_to_archive(self):
        """The posted customer invoices whose company and journal archive invoices."""
        return self.filtered(
            lambda move: (
                move.state == "posted"
                and move.is_sale_document()
                and move.company_id.sysengage_ged_archive_enabled
                and move.journal_id.sysengage_ged_archive
            )
        )

    def _sysengage_ged_archive(self, trigger, pdf_by_move=None):
        """Archive the invoice PDF (rendered unless given) and the e-invoice XML of each move."""
        Archive = self.env["sysengage.ged.archive"]
        archives = Archive
        if not self:
            return archives
        pdf_by_move = dict(pdf_by_move or {})
        missing = self.filtered(lambda move: move.id not in pdf_by_move)
        if missing:
            pdf_by_move.update(missing._sysengage_ged_render_pdf())
        archives |= Archive._ged_archive_batch(
            [(move, trigger, move._sysengage_ged_files(pdf_by_move[move.id])) for move in self]
        )
        if archives:
            self._sysengage_ged_wake_archive_job()  # for the timestamp
        return archives

    def _sysengage_ged_files(self, pdf):
        """The files archived for this posted move: its PDF ``pdf`` and its e-invoice XML files."""
        self.ensure_one()
        files = [("pdf", self._get_invoice_report_filename(), "application/pdf", pdf)]
        files += [
            ("xml", attachment.name, attachment.mimetype, attachment.raw)
            for attachment in self._sysengage_ged_einvoice_attachments()
        ]
        return files

    def _sysengage_ged_pdf_attachments(self):
        """``[(name, data, mimetype)]``: the files embedded in the signed archive of this invoice's PDF: the
        Factur-X XML that core account_edi_ubl_cii embeds in every invoice PDF it sends (built by core's CII
        builder, as there). Under the signature, so that Send & Print sends the archive unchanged (see
        ``account.move.send._hook_invoice_document_after_pdf_report_render``)."""
        self.ensure_one()
        if not self.is_sale_document():
            return []
        xml = self.env["account.edi.xml.cii"]._export_invoice(self)[0]
        return [("factur-x.xml", xml, "text/xml")]

    def _sysengage_ged_is_signed_archive(self, raw):
        """Whether ``raw`` is, byte for byte, the signed archive of this invoice's current posted state."""
        self.ensure_one()
        if not raw:
            return False
        # sudo: the hash of the archive of an invoice this user sends, not the archive record
        archive = self.sudo()._sysengage_ged_current_archives().get(self.id)
        return bool(archive and archive.signed) and chain.sha256_hex(raw) == archive.sha256

    def _sysengage_ged_render_pdf(self):
        """Render the invoice PDFs as printed (QR-bill and annexes included): ``{move id: bytes}``.

        The moves of one company and report are rendered together, through the report entry point
        prints and dispatch use (``_pre_render_qweb_pdf``: few wkhtmltopdf runs for a batch); a move
        the batch could not split is rendered alone."""
        result = {}
        groups = defaultdict(list)
        for move in self:
            groups[move.company_id, self.env["account.move.send"]._get_default_pdf_report_id(move)].append(move.id)
        for (company, report), move_ids in groups.items():
            # force_report_rendering: an archive is always a real PDF, never the HTML test fallback;
            # fresh: the invoice as it is now, not the archive of a former posted state
            renderer = (
                self.env["ir.actions.report"]
                .with_context(**{RENDERING_KEY: GedRendering(fresh=True, archive=False)}, force_report_rendering=True)
                .with_company(company)
            )
            batch_size, data = self._sysengage_ged_render_batch()
            for chunk in split_every(batch_size, move_ids, list):
                streams, _report_type = renderer._pre_render_qweb_pdf(
                    report.report_name, res_ids=chunk, data=dict(data) if data else None
                )
                for move_id in chunk:
                    stream = streams.get(move_id, {}).get("stream")
                    if stream:
                        result[move_id] = stream.getvalue()
                    else:
                        result[move_id] = renderer._render_qweb_pdf(report.report_name, [move_id])[0]
                for stream_data in streams.values():
                    if stream_data.get("stream"):
                        stream_data["stream"].close()
        return result

    @api.model
    def _sysengage_ged_render_batch(self):
        """``(invoices per wkhtmltopdf run, report data)`` of the archive's rendering: an unpatched wkhtmltopdf
        cannot render several documents in one run, one invoice per run then. A bridge that knows a batch
        renderer of the suite extends it."""
        return (RENDER_BATCH_SIZE if _wkhtml().is_patched_qt else 1), None

    def _sysengage_ged_render_pdfs_safe(self):
        """``(pdfs, errors)``: the PDFs rendered in batches; a batch that fails is rendered move by
        move, and the moves that cannot be rendered are returned with their error."""
        try:
            with self.env.cr.savepoint():
                return self._sysengage_ged_render_pdf(), {}
        except UserError as error:
            if len(self) == 1:
                return {}, {self.id: error}
        pdfs, errors = {}, {}
        for move in self:
            try:
                with self.env.cr.savepoint():
                    pdfs.update(move._sysengage_ged_render_pdf())
            except UserError as error:
                _logger.warning("Archive of %s postponed, its PDF cannot be rendered: %s", move.display_name, error)
                errors[move.id] = error
        return pdfs, errors

    def _sysengage_ged_einvoice_attachments(self):
        """XML attachments of the move (UBL/CII and other e-invoice formats)."""
        self.ensure_one()
        # sudo + skip_res_field_check: e-invoice files are stored as binary fields of the move
        # (res_field set), which a plain attachment search leaves out
        return (
            self.env["ir.attachment"]
            .sudo()
            .with_context(skip_res_field_check=True)
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("mimetype", "in", XML_MIMETYPES),
                ],
                order="id",
            )
        )

    def action_sysengage_ged_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_ged.sysengage_ged_archive_action")
        action.update(domain=[("move_id", "=", self.id)], context={})
        return action
