from odoo import api, models

from .ir_actions_report import RENDERING_KEY, GedRendering


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
        to_archive._sysengage_ged_archive_or_record("send", pdf_by_move=pdf_by_move)
        return attachments
