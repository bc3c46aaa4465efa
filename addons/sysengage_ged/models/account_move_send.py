import logging

from odoo import api, models
from odoo.exceptions import UserError

from .ir_actions_report import RENDERING_KEY, GedRendering

_logger = logging.getLogger(__name__)


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _generate_and_send_invoices(
        self, moves, from_cron=False, allow_raising=True, allow_fallback_pdf=False, **custom_settings
    ):
        # Override: the PDF sent is the archived one (see ir.actions.report); the send is an event of
        # that archive, or the archive itself when the invoice had none yet (an invoice waiting for
        # the archive job is archived with the PDF sent: one rendering for both)
        attachments = super(
            AccountMoveSend, self.with_context(**{RENDERING_KEY: GedRendering(archive=False)})
        )._generate_and_send_invoices(
            moves,
            from_cron=from_cron,
            allow_raising=allow_raising,
            allow_fallback_pdf=allow_fallback_pdf,
            **custom_settings,
        )
        to_archive = moves._sysengage_ged_to_archive().filtered("invoice_pdf_report_id")
        # the PDF that was sent; anything else (e.g. no PDF produced) is rendered again
        pdf_by_move = {
            move.id: move.invoice_pdf_report_id.raw
            for move in to_archive.sudo()
            if (move.invoice_pdf_report_id.raw or b"").startswith(b"%PDF")
        }
        if not from_cron:
            to_archive._sysengage_ged_archive_or_record("send", pdf_by_move=pdf_by_move)
            return attachments
        # in the send job, an archive that fails does not undo the sends nor stop the job: the invoices
        # keep their row in the archive queue with the error, and the archive job tries them again
        try:
            with self.env.cr.savepoint():
                to_archive._sysengage_ged_archive_or_record("send", pdf_by_move=pdf_by_move)
        except UserError as error:
            _logger.warning("Invoices %s sent but not archived: %s", to_archive.ids, error)
            # sudo: the queue rows are written by the system
            to_archive.sudo().sysengage_ged_archive_queue_ids._ged_failed(error)
        return attachments

    @api.model
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        # Override: an invoice sent with its signed archive (see ir.actions.report) is sent as archived. Core
        # account_edi_ubl_cii writes here a new file with the Factur-X XML embedded, which breaks the signature of
        # the archive in the copy sent (the invoice's PDF that the customer, the portal and the chatter get). The
        # archive already embeds that XML, under its signature (sysengage.ged.archive._ged_prepare_files).
        pdf_values = (
            (not self.env.context.get("custom_template_facturx") and invoice.invoice_pdf_report_id)
            or invoice_data.get("pdf_attachment_values")
            or invoice_data.get("proforma_pdf_attachment_values")
            or {}
        )
        if not invoice._sysengage_ged_is_signed_archive(pdf_values["raw"] if pdf_values else None):
            return super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        # what core's hook does besides rewriting the PDF: an e-invoice XML of another format than Factur-X
        # carries the PDF (here the archive itself)
        options = invoice_data.get("ubl_cii_xml_options")
        if options and options["ubl_cii_format"] != "facturx":
            self._postprocess_invoice_ubl_xml(invoice, invoice_data)
