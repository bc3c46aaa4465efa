from odoo import api, fields, models
from odoo.exceptions import UserError

from .sysengage_reminder import fee_write, fee_writing


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    sysengage_reminder_id = fields.Many2one(
        "sysengage.reminder",
        string="Fee of the reminder",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        groups="sysengage_einvoice.group_user,account.group_account_invoice",
        help="The payment reminder whose fee this line invoices. Deleted from an invoice, the line gives the fee back "
        "to its reminder, to be invoiced again.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Override of account: a line is linked to a reminder fee by the reminder only (an invoice copied keeps
        # its lines, not their link: copy=False)
        if not fee_writing() and any(vals.get("sysengage_reminder_id") for vals in vals_list):
            raise UserError(self.env._("An invoice line is linked to a reminder fee by the reminder only."))
        return super().create(vals_list)

    def write(self, vals):
        # Override of account: see create
        if not fee_writing() and "sysengage_reminder_id" in vals:
            raise UserError(self.env._("An invoice line is linked to a reminder fee by the reminder only."))
        return super().write(vals)

    def unlink(self):
        # Override of account: a fee line deleted from its invoice (on its own, through the invoice form's line
        # commands, or with its draft invoice) gives the fee back to its reminder, which the invoice no longer
        # charges: a fee waiting for the customer's next invoice waits again, a separate fee is to be invoiced again.
        # Core deletes no line of a posted invoice; the line of a cancelled invoice gave its fee back already.
        given_back = self._sysengage_given_back_fees()
        result = super().unlink()
        with fee_write():
            for reminder, invoice in given_back:
                if reminder.fee_invoicing == "next_invoice":
                    reminder.write({"fee_state": "waiting", "fee_move_id": False})
                    body = self.env._(
                        "The reminder fee line was deleted from the invoice %(invoice)s: the reminder fee waits for "
                        "the next invoice.",
                        invoice=invoice,
                    )
                else:
                    reminder.write({"fee_state": "to_invoice", "fee_move_id": False})
                    body = self.env._(
                        "The reminder fee line was deleted from the fee invoice %(invoice)s: the reminder fee is to be "
                        "invoiced again.",
                        invoice=invoice,
                    )
                reminder.message_post(body=body)
        return result

    def _sysengage_given_back_fees(self):
        """The reminders whose fee these lines, about to be deleted, invoice (their row locked), each with its
        invoice as the note names it: a link, or its name if the invoice is deleted with its lines. Read for whoever
        edits the invoice (a billing user without reminder rights): only their fee fields change."""
        lines = self.sudo().filtered("sysengage_reminder_id")
        lines.sysengage_reminder_id._lock_fees()
        invoice_deleted = self.env.context.get("sysengage_unlink_invoice")
        return [
            (
                line.sysengage_reminder_id,
                line.move_id.display_name if invoice_deleted else line.move_id._get_html_link(),
            )
            for line in lines
            if line.sysengage_reminder_id.fee_state == "invoiced"
            and line.sysengage_reminder_id.fee_move_id == line.move_id
        ]
