from odoo import api, models

from .res_partner import SENDING_METHOD_CHANNELS


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    # Override of account: sending writes on each posted invoice what the send produced (its PDF as main
    # attachment, the "sent" flag, its sending data cleared), one write each. Core synchronises an invoice's tax and
    # payment term lines at every write of it, which these fields of a posted invoice never change (only posted
    # invoices are sent): skipped (skip_invoice_sync, as core's own payments and reconciliations write invoices).
    @api.model
    def _generate_and_send_invoices(
        self, moves, from_cron=False, allow_raising=True, allow_fallback_pdf=False, **custom_settings
    ):
        return super(AccountMoveSend, self.with_context(skip_invoice_sync=True))._generate_and_send_invoices(
            moves.with_context(skip_invoice_sync=True),
            from_cron=from_cron,
            allow_raising=allow_raising,
            allow_fallback_pdf=allow_fallback_pdf,
            **custom_settings,
        )

    # Override of account: invoices whose sending method is a Sysengage channel are queued for dispatch.
    @api.model
    def _hook_if_success(self, moves_data, from_cron=False):
        result = super()._hook_if_success(moves_data, from_cron=from_cron)
        queued = self.env["account.move"]
        for move, move_data in moves_data.items():
            if set(move_data.get("sending_methods") or ()) & set(SENDING_METHOD_CHANNELS):
                queued |= move
        if queued:
            self.env["sysengage.einvoice.document"]._create_for_moves(queued.sudo(False))
        return result
