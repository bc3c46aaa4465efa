from odoo import api, models


class SysengageReminder(models.Model):
    _inherit = "sysengage.reminder"

    # Override of sysengage_einvoice: an invoice whose payment the bank already reported (matched, waiting to be
    # booked) gets no further reminder.
    @api.model
    def _overdue_domain(self, today):
        domain = super()._overdue_domain(today)
        # the reminder cron reads the pending bank payments of every invoice it would remind, whoever runs it
        pending = (
            self.env["sysengage.payment.import.line"]
            .sudo()
            .search([("state", "=", "to_book"), ("move_id", "!=", False)])
        )
        if pending:
            domain = [*domain, ("id", "not in", pending.move_id.ids)]
        return domain
