from odoo import models


class AccountMove(models.Model):
    """Invoices keep an event history (created, changed, printed, sent)."""

    _name = "account.move"
    _inherit = ["account.move", "sysengage.event.mixin"]

    _sysengage_event_fields = (
        "partner_id",
        "invoice_date",
        "invoice_date_due",
        "ref",
        "payment_reference",
        "state",
        "invoice_payment_term_id",
    )
