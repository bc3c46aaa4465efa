from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .common import EinvoiceCommon


@tagged("post_install", "-at_install")
class TestReminderFee(EinvoiceCommon):
    """Reminder fees invoiced once: on a separate posted fee invoice, or as a line of the customer's next invoice.
    Invoice due on 31.10.2026, first level at 10 days with a fee of CHF 20.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reminder = cls.env["sysengage.reminder"]
        levels = cls.env["sysengage.reminder.level"].search([("company_id", "=", cls.company.id)])
        cls.level_1 = levels.sorted("delay")[0]
        cls.fee_product = cls.env.ref("sysengage_einvoice.product_reminder_fee")
        cls.level_1.write({"fee_amount": 20.0, "fee_invoicing": "separate"})
        cls.customer.email = "accounting@muster.example.ch"
        cls.flow = cls.env["sysengage.dispatch.flow"].create(
            {
                "name": "Reminders by e-mail",
                "document_type": "reminder",
                "channel_id": cls._channel("email").id,
                "hour": 9.0,
                "day_sat": False,
                "day_sun": False,
            }
        )
        cls.billing_user = cls._create_user(
            "fee_billing", "account.group_account_invoice,sysengage_einvoice.group_user"
        )

    def _reminder(self):
        self._post_invoice(invoice_date="2026-10-01", invoice_date_due="2026-10-31")
        with freeze_time("2026-11-10 08:00:00"):
            reminder = self.Reminder._create_due_reminders()
        self.assertEqual(len(reminder), 1)
        return reminder

    def _send(self, reminder):
        document = reminder.document_ids
        document.write({"state": "sent"})
        document._after_send()

    def _fee_line(self, invoice):
        return invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.fee_product)

    def _fee_on_next_invoice(self):
        """A reminder whose fee waits for the customer's next invoice, and that invoice (a draft)."""
        self.level_1.fee_invoicing = "next_invoice"
        reminder = self._reminder()
        self._send(reminder)
        invoice = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertEqual(reminder.fee_move_id, invoice)
        self.assertEqual(self._fee_line(invoice).sysengage_reminder_id, reminder)
        return reminder, invoice

    def _assert_carried_once_by_the_next_invoice(self, reminder):
        again = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertEqual(reminder.fee_state, "invoiced")
        self.assertEqual(reminder.fee_move_id, again)
        self.assertEqual(len(self._fee_line(again)), 1)
        self.assertEqual(self._fee_line(again).price_unit, 20.0)
        following = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertFalse(self._fee_line(following))

    def _fee_invoices(self):
        return self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("invoice_line_ids.product_id", "=", self.fee_product.id)]
        )

    def test_fee_product_is_a_service_without_vat(self):
        self.assertEqual(self.fee_product.type, "service")
        self.assertFalse(self.fee_product.taxes_id)

    def test_separate_fee_invoice_once_the_reminder_is_sent(self):
        reminder = self._reminder()
        self.assertEqual(reminder.fee_state, "to_invoice")
        self.assertEqual(reminder.fee_amount, 20.0)
        self.assertFalse(self._fee_invoices(), "nothing is invoiced before the reminder goes out")
        self._send(reminder)
        fee_invoice = reminder.fee_move_id
        self.assertEqual(reminder.fee_state, "invoiced")
        self.assertEqual(fee_invoice.state, "posted")
        self.assertEqual(fee_invoice.move_type, "out_invoice")
        self.assertEqual(fee_invoice.partner_id, self.customer)
        self.assertEqual(fee_invoice.invoice_date.isoformat(), "2026-11-10")
        self.assertEqual(fee_invoice.invoice_date_due.isoformat(), "2026-11-20", "the level's 10 days to pay")
        self.assertEqual(fee_invoice.invoice_line_ids.product_id, self.fee_product)
        self.assertEqual(fee_invoice.invoice_line_ids.name, "Reminder fee: 1st reminder of 10.11.2026")
        self.assertFalse(fee_invoice.invoice_line_ids.tax_ids, "a reminder fee is outside the scope of VAT")
        self.assertEqual(fee_invoice.amount_total, 20.0)
        self.assertEqual(fee_invoice.amount_tax, 0.0)
        self.assertEqual(fee_invoice.sysengage_reminder_fee_ids, reminder)
        # the fee invoice gets a QR-bill like any other invoice
        self.assertTrue(fee_invoice.l10n_ch_is_qr_valid)
        self.assertEqual(fee_invoice.partner_bank_id, self.qr_iban_account)
        action = reminder.action_open_fee_invoice()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", fee_invoice.id))

    def test_fee_invoiced_once_when_run_twice_and_by_two_users(self):
        reminder = self._reminder()
        reminder.action_invoice_fee()
        first = reminder.fee_move_id
        self.assertTrue(first)
        reminder.action_invoice_fee()
        reminder.with_user(self.billing_user).action_invoice_fee()
        # and the dispatch of the reminder afterwards does not invoice it again either
        self._send(reminder)
        self.assertEqual(reminder.fee_move_id, first)
        self.assertEqual(self._fee_invoices(), first)

    def test_fee_state_cannot_be_written_by_hand(self):
        reminder = self._reminder()
        self._send(reminder)
        for vals in ({"fee_state": "to_invoice"}, {"fee_move_id": False}, {"fee_amount": 1.0}):
            with self.assertRaises(UserError):
                reminder.with_user(self.billing_user).write(vals)
        with self.assertRaises(UserError):
            self.Reminder.create(
                {
                    "partner_id": self.customer.id,
                    "level_id": self.level_1.id,
                    "currency_id": self.chf.id,
                    "fee_state": "to_invoice",
                    "fee_amount": 5.0,
                }
            )
        self.assertEqual(reminder.fee_state, "invoiced")

    def test_cancelled_reminder_drops_its_fee(self):
        reminder = self._reminder()
        reminder.document_ids.action_cancel()
        self.assertEqual(reminder.dispatch_state, "cancelled")
        self.assertEqual(reminder.fee_state, "dropped")
        reminder.action_invoice_fee()
        self.assertFalse(reminder.fee_move_id)
        self.assertFalse(self._fee_invoices())

    def test_level_without_fee_or_not_invoiced(self):
        self.level_1.fee_invoicing = "none"
        reminder = self._reminder()
        self.assertEqual(reminder.fee_state, "none")
        self._send(reminder)
        self.assertFalse(self._fee_invoices())

    def test_fee_on_the_next_invoice_once(self):
        self.level_1.fee_invoicing = "next_invoice"
        reminder = self._reminder()
        self._send(reminder)
        self.assertEqual(reminder.fee_state, "waiting")
        self.assertFalse(reminder.fee_move_id)
        # another customer's invoice does not take it
        other = self._create_invoice(self._create_customer("Beispiel GmbH"), [(self.consulting, 1, 150.0)])
        self.assertNotIn(self.fee_product, other.invoice_line_ids.product_id)
        # the customer's next invoice, entered by hand by a billing user
        move_model = self.env["account.move"].with_user(self.billing_user)
        with Form(move_model.with_context(default_move_type="out_invoice")) as form:
            form.partner_id = self.customer
            form.invoice_date = "2026-12-01"
            with form.invoice_line_ids.new() as line:
                line.product_id = self.consulting
                line.price_unit = 150.0
        invoice = form.record
        fee_line = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.fee_product)
        self.assertEqual(len(fee_line), 1)
        self.assertEqual(fee_line.price_unit, 20.0)
        self.assertFalse(fee_line.tax_ids)
        self.assertEqual(reminder.fee_state, "invoiced")
        self.assertEqual(reminder.fee_move_id, invoice)
        # once: the invoice after it has no fee
        following = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertNotIn(self.fee_product, following.invoice_line_ids.product_id)

    def test_deleted_draft_gives_the_fee_back_to_the_next_invoice(self):
        self.level_1.fee_invoicing = "next_invoice"
        reminder = self._reminder()
        self._send(reminder)
        draft = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertEqual(reminder.fee_move_id, draft)
        draft_name = draft.display_name
        draft.unlink()
        self.assertEqual(reminder.fee_state, "waiting")
        self.assertIn(draft_name, reminder.message_ids[:1].body, "named, not linked: the invoice is gone")
        self.assertIn("waits for the next invoice", reminder.message_ids[:1].body)
        again = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertEqual(reminder.fee_move_id, again)
        self.assertIn(self.fee_product, again.invoice_line_ids.product_id)

    def test_cancelled_next_invoice_gives_the_fee_back(self):
        self.level_1.fee_invoicing = "next_invoice"
        reminder = self._reminder()
        self._send(reminder)
        invoice = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        invoice.action_post()
        self.assertEqual(reminder.fee_move_id, invoice)
        # cancelled by a billing user without reminder rights
        invoice.with_user(self.billing_user).button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(reminder.fee_state, "waiting")
        self.assertFalse(reminder.fee_move_id)
        self.assertIn("waits for the next invoice", reminder.message_ids[:1].body)
        again = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertEqual(reminder.fee_move_id, again)
        fee_lines = again.invoice_line_ids.filtered(lambda line: line.product_id == self.fee_product)
        self.assertEqual(fee_lines.price_unit, 20.0)

    def test_cancelled_fee_invoice_waives_the_fee(self):
        reminder = self._reminder()
        self._send(reminder)
        fee_invoice = reminder.fee_move_id
        self.assertEqual(fee_invoice.state, "posted")
        fee_invoice.with_user(self.billing_user).button_cancel()
        self.assertEqual(fee_invoice.state, "cancel")
        self.assertEqual(reminder.fee_state, "dropped")
        self.assertEqual(reminder.fee_move_id, fee_invoice, "the cancelled fee invoice stays linked as the proof")
        self.assertIn("waived", reminder.message_ids[:1].body)
        # neither invoiced again nor carried by the customer's next invoice
        reminder.action_invoice_fee()
        self.assertEqual(self._fee_invoices(), fee_invoice)
        following = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertNotIn(self.fee_product, following.invoice_line_ids.product_id)

    def test_fee_in_the_reminder_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"name": "2026-11-01", "currency_id": eur.id, "rate": 0.5, "company_id": self.company.id}
        )
        self._post_invoice(invoice_date="2026-10-01", invoice_date_due="2026-10-31", currency_id=eur.id)
        with freeze_time("2026-11-10 08:00:00"):
            reminder = self.Reminder._create_due_reminders()
        self.assertEqual(reminder.currency_id, eur)
        self.assertEqual(reminder.fee_amount, 10.0, "CHF 20.00 at 0.5 EUR per CHF")
        reminder.action_invoice_fee()
        self.assertEqual(reminder.fee_move_id.currency_id, eur)
        self.assertEqual(reminder.fee_move_id.amount_total, 10.0)

    def test_fee_line_deleted_from_the_draft_gives_the_fee_back(self):
        reminder, draft = self._fee_on_next_invoice()
        fee_line = self._fee_line(draft)
        # its amount changed by a billing user in the invoice form: still the reminder's fee
        with Form(draft.with_user(self.billing_user)) as form:
            with form.invoice_line_ids.edit(form.invoice_line_ids.ids.index(fee_line.id)) as line:
                line.price_unit = 15.0
        self.assertEqual(fee_line.price_unit, 15.0)
        self.assertEqual(fee_line.sysengage_reminder_id, reminder)
        self.assertEqual((reminder.fee_state, reminder.fee_move_id), ("invoiced", draft))
        # then deleted from the invoice form: the draft no longer charges the fee, the customer's next invoice does
        with Form(draft.with_user(self.billing_user)) as form:
            form.invoice_line_ids.remove(form.invoice_line_ids.ids.index(fee_line.id))
        self.assertFalse(fee_line.exists())
        self.assertFalse(self._fee_line(draft))
        self.assertEqual(reminder.fee_state, "waiting")
        self.assertFalse(reminder.fee_move_id)
        note = reminder.message_ids[:1].body
        self.assertIn("waits for the next invoice", note)
        self.assertIn(f'data-oe-model="account.move" data-oe-id="{draft.id}"', note, "the invoice is linked")
        # the draft, edited and posted, does not take it again: only a new invoice does, once
        draft.write({"ref": "PO 4711"})
        draft.action_post()
        self.assertFalse(self._fee_line(draft))
        self._assert_carried_once_by_the_next_invoice(reminder)

    def test_fee_line_deleted_from_an_invoice_reset_to_draft(self):
        reminder, invoice = self._fee_on_next_invoice()
        invoice.action_post()
        invoice.with_user(self.billing_user).button_draft()
        # the line deleted by a command of the invoice's lines (as the web client saves the form)
        fee_line = self._fee_line(invoice)
        invoice.with_user(self.billing_user).write({"invoice_line_ids": [Command.delete(fee_line.id)]})
        invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._fee_line(invoice))
        self.assertEqual(invoice.invoice_line_ids.product_id, self.consulting)
        self.assertEqual(reminder.fee_state, "waiting")
        self.assertFalse(reminder.fee_move_id)
        self._assert_carried_once_by_the_next_invoice(reminder)

    def test_copied_invoice_does_not_carry_the_fee_link(self):
        reminder, invoice = self._fee_on_next_invoice()
        copy = invoice.copy()
        self.assertEqual(len(self._fee_line(copy)), 1, "the copy has the lines of the invoice")
        self.assertFalse(self._fee_line(copy).sysengage_reminder_id)
        self.assertEqual(reminder.fee_move_id, invoice)
        # the copy's fee line, deleted, or the copy itself, gives nothing back: the invoice carries the fee
        self._fee_line(copy).unlink()
        copy.unlink()
        self.assertEqual((reminder.fee_state, reminder.fee_move_id), ("invoiced", invoice))
        self.assertEqual(self._fee_line(invoice).sysengage_reminder_id, reminder)

    def test_fee_line_of_a_cancelled_invoice_gives_nothing_back_twice(self):
        reminder, invoice = self._fee_on_next_invoice()
        invoice.action_post()
        invoice.button_cancel()
        self.assertEqual(reminder.fee_state, "waiting")
        again = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertEqual(reminder.fee_move_id, again)
        # the cancelled invoice, reset to draft by a billing user, loses its old fee line: the fee stays on the new
        # invoice, and posting the old one does not charge it twice
        invoice.with_user(self.billing_user).button_draft()
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(self._fee_line(invoice))
        self.assertEqual(invoice.invoice_line_ids.product_id, self.consulting)
        self.assertEqual(invoice.amount_untaxed, 150.0)
        self.assertEqual((reminder.fee_state, reminder.fee_move_id), ("invoiced", again))
        self.assertEqual(self._fee_line(again).sysengage_reminder_id, reminder)
        note = invoice.message_ids[:1].body
        self.assertIn("was removed from this invoice", note)
        self.assertIn(f'data-oe-model="account.move" data-oe-id="{again.id}"', note, "the other invoice is linked")
        self.assertIn("was removed from this invoice", reminder.message_ids[:1].body)
        invoice.action_post()
        self.assertEqual(self._fee_invoices() & (invoice | again), again)

    def test_cancelled_invoice_reset_to_draft_charges_its_free_fee_again(self):
        reminder, invoice = self._fee_on_next_invoice()
        invoice.action_post()
        invoice.with_user(self.billing_user).button_cancel()
        self.assertEqual((reminder.fee_state, reminder.fee_move_id.id), ("waiting", False))
        # no other invoice took the fee meanwhile: the invoice, back to draft, charges it again, once
        invoice.with_user(self.billing_user).button_draft()
        self.assertEqual((reminder.fee_state, reminder.fee_move_id), ("invoiced", invoice))
        self.assertEqual(self._fee_line(invoice).sysengage_reminder_id, reminder)
        self.assertIn("charges the reminder fee again", reminder.message_ids[:1].body)
        following = self._create_invoice(self.customer, [(self.consulting, 1, 150.0)])
        self.assertFalse(self._fee_line(following))
        invoice.action_post()
        self.assertEqual(invoice.amount_untaxed, 170.0)

    def test_cancelled_fee_invoice_reset_to_draft_charges_the_fee_again(self):
        reminder = self._reminder()
        self._send(reminder)
        fee_invoice = reminder.fee_move_id
        fee_invoice.with_user(self.billing_user).button_cancel()
        self.assertEqual(reminder.fee_state, "dropped")
        fee_invoice.with_user(self.billing_user).button_draft()
        self.assertEqual((reminder.fee_state, reminder.fee_move_id), ("invoiced", fee_invoice))
        self.assertEqual(self._fee_line(fee_invoice).sysengage_reminder_id, reminder)
        # invoiced once: asking again creates no second fee invoice
        reminder.action_invoice_fee()
        self.assertEqual(self._fee_invoices(), fee_invoice)

    def test_cancelled_invoice_reset_to_draft_drops_the_fee_of_a_cancelled_reminder(self):
        reminder, invoice = self._fee_on_next_invoice()
        invoice.action_post()
        invoice.button_cancel()
        reminder._drop_fees()  # as when the reminder is cancelled before its fee is charged again
        self.assertEqual(reminder.fee_state, "dropped")
        invoice.button_draft()
        self.assertFalse(self._fee_line(invoice))
        self.assertEqual(reminder.fee_state, "dropped")
        self.assertIn("waived", invoice.message_ids[:1].body)

    def test_fee_line_deleted_from_the_separate_fee_invoice(self):
        reminder = self._reminder()
        self._send(reminder)
        fee_invoice = reminder.fee_move_id
        self.assertEqual(self._fee_line(fee_invoice).sysengage_reminder_id, reminder)
        fee_invoice.with_user(self.billing_user).button_draft()
        with Form(fee_invoice.with_user(self.billing_user)) as form:
            form.invoice_line_ids.remove(0)
        self.assertEqual(reminder.fee_state, "to_invoice")
        self.assertFalse(reminder.fee_move_id)
        self.assertIn("to be invoiced again", reminder.message_ids[:1].body)
        # invoiced again, once, on a new fee invoice
        reminder.action_invoice_fee()
        self.assertEqual(reminder.fee_state, "invoiced")
        self.assertNotEqual(reminder.fee_move_id, fee_invoice)
        self.assertEqual(reminder.fee_move_id.amount_total, 20.0)
        self.assertEqual(self._fee_invoices(), reminder.fee_move_id)

    def test_dispatch_cron_invoices_the_fee_whose_send_follow_ups_failed(self):
        reminder = self._reminder()
        Document = self.env["sysengage.einvoice.document"]
        # what else is due in the database waits: this run is about the reminder alone
        Document.search(Document._due_domain()).write({"planned_date": "2099-01-01 00:00:00"})
        # not sent yet: its fee waits for the send
        Document._cron_send_due()
        self.assertEqual(reminder.fee_state, "to_invoice")
        # sent and committed, but the follow-ups of the send (message, fee invoice) were rolled back by a conflict
        # with another transaction: the dispatch cron's next run invoices the fee
        reminder.document_ids.write({"state": "sent"})
        Document._cron_send_due()
        self.assertEqual(reminder.fee_state, "invoiced")
        fee_invoice = reminder.fee_move_id
        self.assertEqual(fee_invoice.state, "posted")
        self.assertEqual(fee_invoice.amount_total, 20.0)
        # once
        Document._cron_send_due()
        self.assertEqual(self._fee_invoices(), fee_invoice)

    def test_fee_line_link_cannot_be_set_by_hand(self):
        reminder, invoice = self._fee_on_next_invoice()
        other_line = invoice.invoice_line_ids - self._fee_line(invoice)
        move_model = self.env["account.move"].with_user(self.billing_user)
        with self.assertRaises(UserError):
            other_line.with_user(self.billing_user).write({"sysengage_reminder_id": reminder.id})
        with self.assertRaises(UserError):
            self._fee_line(invoice).with_user(self.billing_user).write({"sysengage_reminder_id": False})
        with self.assertRaises(UserError):
            move_model.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.consulting.id, "price_unit": 1.0, "sysengage_reminder_id": reminder.id}
                        )
                    ],
                }
            )
        self.assertEqual(self._fee_line(invoice).sysengage_reminder_id, reminder)
