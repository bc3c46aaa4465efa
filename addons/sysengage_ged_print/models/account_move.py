from odoo import api, models

from odoo.addons.sysengage_base.tools.report_options import with_options
from odoo.addons.sysengage_ged.models.account_move import RENDER_BATCH_SIZE


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _sysengage_ged_render_batch(self):
        # Extends sysengage_ged: where an addon of the suite cuts a batch run back per invoice on any wkhtmltopdf
        # (sysengage_einvoice), the archive job renders its invoices in batches through it, not one run each
        if self.env["ir.actions.report"]._sysengage_renders_batches():
            return RENDER_BATCH_SIZE, with_options({}, batch=True)
        return super()._sysengage_ged_render_batch()
