from odoo import api, models

from ..tools.swico import BillingInformation


class ReportL10nChQrReportMain(models.AbstractModel):
    _inherit = "report.l10n_ch.qr_report_main"

    # Override of l10n_ch: each QR code gets the Swico billing information its customer asked for.
    @api.model
    def _get_report_values(self, docids, data=None):
        moves = self.env["account.move"].browse(docids)
        billing = {move.id: move._sysengage_qr_billing_information() for move in moves}
        if not any(billing.values()):
            return super()._get_report_values(docids, data=data)
        values = super()._get_report_values([move.id for move in moves if not billing[move.id]], data=data)
        values.update({"doc_ids": docids, "docs": moves})
        for move in moves.filtered(lambda m: billing[m.id]):
            with_billing = super(
                ReportL10nChQrReportMain,
                self.with_context(sysengage_qr_billing_information=BillingInformation(billing[move.id])),
            )._get_report_values(move.ids, data=data)
            values["qr_code_urls"].update(with_billing["qr_code_urls"])
        return values
