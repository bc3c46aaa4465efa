from odoo import models

QR_REPORT = "l10n_ch.l10n_ch_qr_report"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # Extends l10n_ch: the QR-bill page is only rendered for invoices printed with their payment part
    # (invoice choice, else the print profile of the invoice report, else the customer default).
    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        if res_ids and report.report_name == "l10n_ch.qr_report_main":
            moves = self.env["account.move"].browse(res_ids)
            res_ids = moves.filtered(lambda move: move._sysengage_wants_payment_part()).ids
            if not res_ids:
                return {}
        elif res_ids and report.model == "account.move" and "sysengage_profile_payment_part" not in self.env.context:
            profile = self.env["sysengage.print.profile"]._sysengage_get_profile(report)
            self = self.with_context(
                sysengage_profile_payment_part=profile.sysengage_qr_payment_part or "default"
            )
        return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
