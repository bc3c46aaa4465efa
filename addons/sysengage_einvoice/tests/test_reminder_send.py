import email
import email.policy
import io

from odoo.tests import freeze_time, tagged
from odoo.tools.pdf import OdooPdfFileReader

from .common import EinvoiceCommon
from .servers import SmtpServer


@tagged("post_install", "-at_install")
class TestReminderSend(EinvoiceCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.accounting = cls._create_contact(
            cls.customer, "Accounts Payable", type="invoice", email="ap@muster.example.ch"
        )

    def _setup(self, server):
        mail_server = self.env["ir.mail_server"].create(
            {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_encryption": "none"}
        )
        channel = self._channel("email", mail_server_id=mail_server.id)
        return self.env["sysengage.dispatch.flow"].create(
            {
                "name": "Reminders by e-mail",
                "document_type": "reminder",
                "channel_id": channel.id,
                "sender_name": "Sysengage Accounting",
                "sender_email": "accounting@sysengage.ch",
            }
        )

    def _remind(self):
        with freeze_time("2026-11-10 08:00:00"):
            return self.env["sysengage.reminder"]._create_due_reminders()

    def _spy_qr_payloads(self):
        """Record (amount, reference) of each Swiss QR payload core l10n_ch builds (the exact values, not
        the rounded words of the rendered PDF)."""
        calls = []
        bank_class = type(self.env["res.partner.bank"])
        original = bank_class._l10n_ch_get_qr_vals

        def spy(bank, amount, currency, debtor_partner, free_communication, structured_communication):
            calls.append((amount, structured_communication))
            return original(bank, amount, currency, debtor_partner, free_communication, structured_communication)

        self.patch(bank_class, "_l10n_ch_get_qr_vals", spy)
        return calls

    def test_reminder_mailed_with_its_qr_bills(self):
        moves = self._post_invoice(invoice_date="2026-10-01", invoice_date_due="2026-10-31")
        moves |= self._post_invoice(invoice_date="2026-10-01", invoice_date_due="2026-10-20")
        qr_calls = self._spy_qr_payloads()
        with SmtpServer() as server:
            flow = self._setup(server)
            reminder = self._remind()
            document = reminder.document_ids
            self.assertEqual(document.flow_id, flow)
            self.assertEqual(document.recipient_ids, self.accounting)
            document.action_send_now()
            document.action_send_now()  # already sent: nothing leaves twice
            messages = list(server.messages)
        self.assertEqual(document.state, "sent")
        self.assertEqual(reminder.dispatch_state, "sent")
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["to"], ["ap@muster.example.ch"])
        self.assertEqual(messages[0]["from"], "accounting@sysengage.ch")
        parsed = email.message_from_bytes(messages[0]["data"], policy=email.policy.default)
        self.assertEqual(parsed["Subject"], f"1st reminder: open invoices at {self.company.name}")
        body = next(part for part in parsed.walk() if part.get_content_type() == "text/plain").get_content()
        for move in moves:
            self.assertIn(move.name, body)
        attachments = [part for part in parsed.walk() if part.get_filename()]
        self.assertEqual([part.get_filename() for part in attachments], ["1st reminder Muster AG 2026-11-10.pdf"])
        pdf = OdooPdfFileReader(io.BytesIO(attachments[0].get_payload(decode=True)), strict=False)
        # the letter, then core l10n_ch's QR-bill of each open invoice
        self.assertEqual(pdf.getNumPages(), 3)
        self.assertEqual(set(qr_calls), {(move.amount_residual, move.payment_reference) for move in moves})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sysengage_einvoice.report_sysengage_reminder", reminder.ids)[0]
            .decode()
        )
        for move in moves:
            self.assertIn(move.name, html)
        self.assertIn("The QR-bill of each open invoice is attached.", html)
        self.assertIn("Reminder sent", reminder.message_ids[0].body)

    def test_qr_bill_of_the_open_amount(self):
        move = self._post_invoice(invoice_date="2026-10-01", invoice_date_due="2026-10-31")
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {"amount": 100.0, "payment_date": "2026-11-01"}
        )._create_payments()
        qr_calls = self._spy_qr_payloads()
        with SmtpServer() as server:
            self._setup(server)
            reminder = self._remind()
        pdf = OdooPdfFileReader(io.BytesIO(reminder.document_ids.attachment_ids.raw), strict=False)
        self.assertEqual(pdf.getNumPages(), 2)
        self.assertEqual(move.amount_residual, move.amount_total - 100.0)
        self.assertEqual(set(qr_calls), {(move.amount_residual, move.payment_reference)})

    def test_customer_without_email_stays_pending_with_the_reason(self):
        customer = self._create_customer("Ohne Mail AG", street="Dorfstrasse 3", email=False)
        self.assertFalse(customer.email)
        self._post_invoice(partner=customer, invoice_date="2026-10-01", invoice_date_due="2026-10-31")
        with SmtpServer() as server:
            self._setup(server)
            reminder = self._remind()
            document = reminder.document_ids
            self.assertFalse(document.recipient_ids)
            document.action_send_now()
            with freeze_time("2026-11-11 08:00:00"):
                self.env["sysengage.einvoice.document"]._cron_send_due()
            messages = list(server.messages)
        self.assertEqual(messages, [])
        self.assertEqual(document.state, "to_send")
        self.assertEqual(document.state_message, "Recipients: add at least one recipient with an e-mail address.")
        self.assertEqual(reminder.dispatch_state, "to_send")

    def test_paid_meanwhile_the_reminder_is_not_sent(self):
        move = self._post_invoice(invoice_date="2026-10-01", invoice_date_due="2026-10-31")
        with SmtpServer() as server:
            self._setup(server)
            reminder = self._remind()
            self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
                {"payment_date": "2026-11-10"}
            )._create_payments()
            reminder.document_ids.action_send_now()
            messages = list(server.messages)
        self.assertEqual(messages, [])
        self.assertEqual(reminder.document_ids.state, "cancelled")
        self.assertEqual(
            reminder.document_ids.state_message, "Not sent: the invoices of this reminder are paid or cancelled."
        )
