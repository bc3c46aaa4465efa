import logging

from odoo import fields, models
from odoo.exceptions import UserError

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
            # force_report_rendering: an archive is always a real PDF, never the HTML test fallback
            streams, report_type = (
                self.env["ir.actions.report"]
                .with_context(sysengage_ged_no_archive=True, force_report_rendering=True)
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
