from odoo import models

QR_REPORT = "l10n_ch.l10n_ch_qr_report"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # Extends l10n_ch: the QR-bill page is only rendered for invoices printed with their payment part.
    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        if res_ids and self._get_report(report_ref).report_name == "l10n_ch.qr_report_main":
            if not self.env.context.get("sysengage_force_payment_part"):
                moves = self.env["account.move"].browse(res_ids)
                res_ids = moves.filtered("sysengage_print_payment_part").ids
                if not res_ids:
                    return {}
        return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
