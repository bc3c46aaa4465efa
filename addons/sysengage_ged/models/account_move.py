import logging

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.sysengage_ged.tools import chain

_logger = logging.getLogger(__name__)

XML_MIMETYPES = ("application/xml", "text/xml")
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
        return super().write(vals)

    def _compute_sysengage_ged_archive_status(self):
        # sudo: the status flags of the archived PDF of invoices this user reads (the computed records);
        # nothing of the archive's file, hashes or chain leaves this method
        current = self.sudo()._sysengage_ged_current_archives()
        for move in self:
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
        archives = self.env["sysengage.ged.archive"].search(
            [("move_id", "in", self.ids), ("kind", "=", "pdf")], order="version desc"
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
        to_archive._sysengage_ged_archive(trigger, pdf_by_move=pdf_by_move)
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
        known = set(self.env["sysengage.ged.archive"].sudo().search(
            [("move_id", "=", self.id), ("kind", "=", "xml")]
        ).mapped("sha256"))
        files = [
            ("xml", attachment.name, attachment.mimetype, attachment.raw)
            for attachment in self._sysengage_ged_einvoice_attachments()
            if chain.sha256_hex(attachment.raw) not in known
        ]
        if files:
            self.env["sysengage.ged.archive"]._sysengage_ged_archive_files(self, trigger, files)

    def _post(self, soft=True):
        # Override: the posting path may write the state (see write), then the customer invoices are archived
        cache = self.env.cr.cache
        cache[_POSTING] = cache.get(_POSTING, 0) + 1
        try:
            posted = super()._post(soft=soft)
        finally:
            cache[_POSTING] -= 1
        posted._sysengage_ged_to_archive()._sysengage_ged_archive("post")
        return posted

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
        for move in self:
            files = [("pdf", move._get_invoice_report_filename(), "application/pdf", pdf_by_move[move.id])]
            files += [
                ("xml", attachment.name, attachment.mimetype, attachment.raw)
                for attachment in move._sysengage_ged_einvoice_attachments()
            ]
            archives |= Archive._sysengage_ged_archive_files(move, trigger, files)
        return archives

    def _sysengage_ged_render_pdf(self):
        """Render the invoice PDFs as printed (QR-bill and annexes included), one per move."""
        result = {}
        for move in self:
            report = self.env["account.move.send"]._get_default_pdf_report_id(move)
            # force_report_rendering: an archive is always a real PDF, never the HTML test fallback;
            # fresh: the invoice as it is now, not the archive of a former posted state
            streams, report_type = (
                self.env["ir.actions.report"]
                .with_context(
                    sysengage_ged_no_archive=True, sysengage_ged_fresh_render=True, force_report_rendering=True
                )
                .with_company(move.company_id)
                ._pre_render_qweb_pdf(report.report_name, res_ids=move.ids)
            )
            result[move.id] = streams[move.id]["stream"].getvalue()
            for stream_data in streams.values():
                if stream_data["stream"]:
                    stream_data["stream"].close()
        return result

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
