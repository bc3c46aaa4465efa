from odoo import models

from odoo.addons.sysengage_base.tools.report_options import ReportOptions


class SysengageEinvoiceChannel(models.Model):
    """Paper: the PDF with its QR-bill payment part, printed in a batch from the dispatch screen."""

    _inherit = "sysengage.einvoice.channel"

    def _build_files(self, move):
        if self.channel_type != "paper":
            return super()._build_files(move)
        pdf = self._invoice_pdf(move)
        return [{"name": f"{self._file_base(move)}.pdf", "raw": pdf, "mimetype": "application/pdf", "main": True}]

    def _invoice_pdf_report(self, move):
        if self.channel_type != "paper":
            return super()._invoice_pdf_report(move)
        return self.env.ref("account.account_invoices")

    def _invoice_pdf_options(self):
        if self.channel_type != "paper":
            return super()._invoice_pdf_options()
        return ReportOptions(force_payment_part=True)

    def _is_print_batch(self):
        return self.channel_type == "paper"

    def _transport(self, document, files):
        if self.channel_type != "paper":
            return super()._transport(document, files)
        # A paper document leaves through the print batch: the batch PDF is its proof of sending.
        batch = self.env["sysengage.einvoice.document"]._sysengage_merge_pdfs(files.values())
        return {"state": "sent", "message": self.env._("Printed in a batch."), "batch_pdf": batch}
