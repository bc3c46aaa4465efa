import io
import logging

from odoo import models
from odoo.tools import pdf

_logger = logging.getLogger(__name__)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # Override: append the invoice's PDF annexes, then archive printed posted invoices
        result, report_type = super()._pre_render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        if report_type != "pdf" or not res_ids or not self._is_invoice_report(report_ref):
            return result, report_type
        moves = self.env["account.move"].browse(res_ids)
        for move in moves:
            stream_data = result.get(move.id)
            # a stream reloaded from a saved attachment already holds its annexes
            if stream_data and stream_data.get("stream") and not stream_data.get("attachment"):
                stream_data["stream"] = self._sysengage_ged_append_annexes(move, stream_data["stream"])
        proforma = (data or {}).get("proforma") or self.env.context.get("proforma_invoice")
        if not proforma and not self.env.context.get("sysengage_ged_no_archive"):
            to_archive = moves._sysengage_ged_to_archive().filtered(lambda m: result.get(m.id, {}).get("stream"))
            to_archive._sysengage_ged_archive(
                "print", pdf_by_move={move.id: result[move.id]["stream"].getvalue() for move in to_archive}
            )
        return result, report_type

    def _sysengage_ged_append_annexes(self, move, stream):
        """Return a stream with the annexes of ``move`` appended in order (unreadable ones skipped)."""
        annexes = self.env["sysengage.ged.document"]._sysengage_ged_annexes(move)
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
