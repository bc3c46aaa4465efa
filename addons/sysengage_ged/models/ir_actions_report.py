import base64
import io
import logging
from dataclasses import dataclass

from odoo import models, modules
from odoo.tools import config, pdf

_logger = logging.getLogger(__name__)

# context key of the :class:`GedRendering` set by server code (see ``_sysengage_ged_rendering``)
RENDERING_KEY = "sysengage_ged_rendering"


@dataclass(frozen=True)
class GedRendering:
    """How a rendering of posted invoices meets their archive, as server code decides it.

    Set in the context under :data:`RENDERING_KEY` by server code only: a client reaches the report
    engine with JSON (the context of an RPC call or of a report route), never with a ``GedRendering``,
    so whatever it sends under that key (or any other) leaves the defaults: an invoice already archived
    prints its archive, a print is archived and recorded as a print."""

    event: str = "print"  # the event of the archive the rendering records
    fresh: bool = False  # render the invoice as it is now instead of printing its archive
    archive: bool = True  # archive the rendering (off where the caller archives afterwards)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # Override: a posted invoice already archived is not rendered again: its archived PDF is the
        # print (and what is sent); the others get their annexes appended, then their archive.
        archived = self._sysengage_ged_archived_pdfs(report_ref, res_ids, data)
        rendered_ids = [res_id for res_id in res_ids or [] if res_id not in archived]
        if archived and not rendered_ids:
            result, report_type = {}, "pdf"
        else:
            result, report_type = super()._pre_render_qweb_pdf(
                report_ref, res_ids=rendered_ids if archived else res_ids, data=data
            )
        if archived:
            result.update(
                (move_id, {"stream": io.BytesIO(archive_raw), "attachment": None})
                for move_id, archive_raw in archived.items()
            )
            result = {res_id: result[res_id] for res_id in res_ids if res_id in result}
        if report_type != "pdf" or not res_ids or not self._is_invoice_report(report_ref):
            return result, report_type
        moves = self.env["account.move"].browse(rendered_ids if archived else res_ids)
        for move in moves:
            stream_data = result.get(move.id)
            # a stream reloaded from a saved attachment already holds its annexes
            if stream_data and stream_data.get("stream") and not stream_data.get("attachment"):
                stream_data["stream"] = self._sysengage_ged_append_annexes(move, stream_data["stream"])
        proforma = (data or {}).get("proforma") or self.env.context.get("proforma_invoice")
        rendering = self._sysengage_ged_rendering(data)
        if not proforma and rendering.archive:
            printed = self.env["account.move"].browse(res_ids)._sysengage_ged_to_archive()
            printed = printed.filtered(lambda m: result.get(m.id, {}).get("stream"))
            printed._sysengage_ged_archive_or_record(
                rendering.event,
                pdf_by_move={move.id: result[move.id]["stream"].getvalue() for move in printed},
            )
        return result, report_type

    def _sysengage_ged_rendering(self, data=None):
        """The :class:`GedRendering` of a rendering with the report ``data``: the one server code set in
        the context, else the defaults. Bridges extend it with the options they pass in ``data``."""
        rendering = self.env.context.get(RENDERING_KEY)
        return rendering if isinstance(rendering, GedRendering) else GedRendering()

    def _sysengage_ged_archived_pdfs(self, report_ref, res_ids, data):
        """``{move id: archived PDF}`` for the posted invoices of ``res_ids`` printed by the report they
        were archived with: the archive is what is printed and sent, byte for byte (signature included)."""
        if not res_ids or (data or {}).get("proforma") or self.env.context.get("proforma_invoice"):
            return {}
        if self._sysengage_ged_rendering(data).fresh or not self._is_invoice_report(report_ref):
            return {}
        # the same switch as the base report engine: where it renders HTML (tests), nothing is reused
        if (config["test_enable"] or modules.module.current_test) and not self.env.context.get(
            "force_report_rendering"
        ):
            return {}
        report = self._get_report(report_ref)
        moves = self.env["account.move"].browse(res_ids)._sysengage_ged_to_archive()
        moves = moves.filtered(lambda move: self.env["account.move.send"]._get_default_pdf_report_id(move) == report)
        # sudo: the archived file of invoices this user prints (he reads them), not the archive records
        current = moves.sudo()._sysengage_ged_current_archives()
        return {move_id: base64.b64decode(archive.datas) for move_id, archive in current.items()}

    def _sysengage_ged_append_annexes(self, move, stream):
        """Return a stream with the annexes of ``move`` appended in order (unreadable ones skipped)."""
        annexes = self.env["sysengage.ged.document"]._ged_annexes(move)
        if not annexes:
            return stream
        parts = [stream.getvalue()]
        for annex in annexes:
            content = annex.attachment_id.raw
            try:
                pdf.merge_pdf([content])  # readability check of this annex alone
            except Exception as exc:
                _logger.warning("Annex %s of %s skipped, unreadable PDF: %s", annex.name, move.name, exc)
                continue
            parts.append(content)
        merged = pdf.merge_pdf(parts)
        stream.close()
        return io.BytesIO(merged)
