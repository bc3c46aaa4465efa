from collections import defaultdict

from odoo import api, fields, models

from .sysengage_reminder import fee_write


class AccountMove(models.Model):
    _inherit = "account.move"

    sysengage_reminder_fee_ids = fields.One2many(
        "sysengage.reminder",
        "fee_move_id",
        string="Reminder fees",
        readonly=True,
        groups="sysengage_einvoice.group_user,account.group_account_invoice",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Override of account: a customer's next invoice (by hand, from a contract, from an offer...) takes the
        # reminder fees waiting for it, each once
        moves = super().create(vals_list)
        if not self.env.context.get("sysengage_no_reminder_fee"):
            moves._sysengage_add_reminder_fees()
        return moves

    def unlink(self):
        # Override of account: a deleted draft invoice gives its reminder fees back to the customer's next invoice.
        # Its fee lines give them back as they are deleted with it (account.move.line); a fee whose line is not
        # linked to its reminder (added before the lines were) is given back here.
        reminders = self._sysengage_carried_reminder_fees()
        result = super(AccountMove, self.with_context(sysengage_unlink_invoice=True)).unlink()
        with fee_write():
            reminders.filtered(lambda reminder: reminder.fee_state == "invoiced").write(
                {"fee_state": "waiting", "fee_move_id": False}
            )
        return result

    def button_cancel(self):
        # Override of account: a cancelled invoice charges none of the reminder fees it carried. A fee that was
        # waiting for the customer's next invoice waits again (the invoice was cancelled, not the fee); the fee
        # invoice of a level invoicing separately, once cancelled, means the fee is waived.
        reminders = self._sysengage_carried_reminder_fees(invoicing=None)
        result = super().button_cancel()
        cancelled = reminders.filtered(lambda reminder: reminder.fee_move_id.state == "cancel")
        with fee_write():
            for reminder in cancelled:
                move = reminder.fee_move_id
                if reminder.fee_invoicing == "next_invoice":
                    reminder.write({"fee_state": "waiting", "fee_move_id": False})
                    body = self.env._(
                        "The invoice %(invoice)s was cancelled: the reminder fee waits for the next invoice.",
                        invoice=move._get_html_link(),
                    )
                else:
                    reminder.write({"fee_state": "dropped"})
                    body = self.env._(
                        "The fee invoice %(invoice)s was cancelled: the reminder fee is waived.",
                        invoice=move._get_html_link(),
                    )
                reminder.message_post(body=body)
        return result

    def button_draft(self):
        # Override of account: a cancelled invoice set back to draft charges again the reminder fees of its lines
        # that are still free; a fee that another invoice has charged since is taken off it (never charged twice).
        cancelled = self.filtered(lambda move: move.state == "cancel")
        result = super().button_draft()
        cancelled._sysengage_retake_reminder_fees()
        return result

    def _sysengage_retake_reminder_fees(self):
        """For these invoices, back to draft from cancelled: each fee line whose reminder's fee is free again
        (waiting for the next invoice or to invoice; waived with this very invoice) charges it again; each fee line
        whose fee another invoice charges now is removed, with a note on both. Read for whoever resets the invoice
        (a billing user without reminder rights): only the fee fields of the reminders change."""
        lines = self.line_ids.sudo().filtered("sysengage_reminder_id")
        if not lines:
            return
        lines.sysengage_reminder_id._lock_fees()
        removed = defaultdict(list)
        with fee_write():
            for line in lines:
                reminder, move = line.sysengage_reminder_id, line.move_id
                if reminder.fee_state in ("waiting", "to_invoice") or (
                    reminder.fee_state == "dropped" and reminder.fee_move_id == move
                ):
                    reminder.write({"fee_state": "invoiced", "fee_move_id": move.id})
                    reminder.message_post(
                        body=self.env._(
                            "The invoice %(invoice)s was reset to draft: it charges the reminder fee again.",
                            invoice=move._get_html_link(),
                        )
                    )
                elif reminder.fee_move_id != move:
                    removed[move.id].append((line.id, reminder))
        for move_id, fee_lines in removed.items():
            move = self.browse(move_id)
            move.write({"invoice_line_ids": [fields.Command.delete(line_id) for line_id, _reminder in fee_lines]})
            for _line_id, reminder in fee_lines:
                if reminder.fee_state == "invoiced":
                    body = self.env._(
                        "The reminder fee of %(reminder)s was removed from this invoice: since it was cancelled, the "
                        "fee is charged on %(invoice)s.",
                        reminder=reminder.name,
                        invoice=reminder.fee_move_id._get_html_link(),
                    )
                else:
                    body = self.env._(
                        "The reminder fee of %(reminder)s was removed from this invoice: since it was cancelled, the "
                        "fee was waived.",
                        reminder=reminder.name,
                    )
                move.message_post(body=body)
                reminder.message_post(body=body)

    def _sysengage_carried_reminder_fees(self, invoicing="next_invoice"):
        """The reminders whose fee these invoices carry (of one way of invoicing, or all with ``None``). Read
        for whoever edits the invoice (a billing user without reminder rights): only their fee fields change."""
        domain = [("fee_move_id", "in", self.ids), ("fee_state", "=", "invoiced")]
        if invoicing:
            domain.append(("fee_invoicing", "=", invoicing))
        return self.env["sysengage.reminder"].sudo().search(domain)

    def _sysengage_add_reminder_fees(self):
        """Add to these new draft customer invoices the reminder fees waiting for the next invoice of their
        customer (same company and currency), one line per fee, and link each fee to its invoice. A fee that
        another transaction is adding at the same moment is left to it (locked rows are skipped)."""
        invoices = self.filtered(lambda move: move.move_type == "out_invoice" and move.state == "draft")
        if not invoices:
            return
        # the reminders are read and linked by whoever creates the invoice (a billing user without reminder
        # rights, the contracts cron): only the waiting fees of these customers, and only their fee fields
        reminders = (
            self.env["sysengage.reminder"]
            .sudo()
            .search(
                [
                    ("fee_state", "=", "waiting"),
                    ("company_id", "in", invoices.company_id.ids),
                    ("partner_id", "child_of", invoices.commercial_partner_id.ids),
                ],
                order="date, id",
            )
        )
        if not reminders:
            return
        reminders = reminders._lock_fees(skip_locked=True).filtered(lambda reminder: reminder.fee_state == "waiting")
        by_key = defaultdict(lambda: reminders.browse())
        for reminder in reminders:
            key = (reminder.company_id, reminder.partner_id.commercial_partner_id, reminder.currency_id)
            by_key[key] |= reminder
        for invoice in invoices:
            fees = by_key.pop((invoice.company_id, invoice.commercial_partner_id, invoice.currency_id), None)
            if not fees:
                continue
            with fee_write():
                invoice.write(
                    {"invoice_line_ids": [fields.Command.create(fee._prepare_fee_line_vals()) for fee in fees]}
                )
                fees.write({"fee_state": "invoiced", "fee_move_id": invoice.id})
            for fee in fees:
                fee.message_post(
                    body=self.env._("Reminder fee added to the invoice %(invoice)s.", invoice=invoice._get_html_link())
                )
