from odoo import api, models

from .res_partner import SENDING_METHOD_CHANNELS


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

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
