import email
import email.policy
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.sysengage_einvoice.tests.servers import SmtpServer
from odoo.addons.sysengage_offers.tests.common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferDispatch(SysengageOffersCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.env.user.group_ids |= cls.env.ref("sysengage_einvoice.group_manager")
        cls.env.user.tz = "Europe/Zurich"
        cls.company.email = "info@sysengage.ch"
        cls.customer.email = "info@muster.example.ch"
        cls.buyer = cls._create_contact(cls.customer, "Hans Einkauf", email="einkauf@muster.example.ch")

    def _flow(self, port=25, channel_type="email", **vals):
        mail_server = self.env["ir.mail_server"].create(
            {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_encryption": "none"}
        )
        channel = self.env["sysengage.einvoice.channel"].create(
            {"name": channel_type, "channel_type": channel_type, "mail_server_id": mail_server.id}
        )
        values = {
            "name": "Offers",
            "document_type": "offer",
            "channel_id": channel.id,
            "hour": 9.0,
            "sender_name": "Sysengage Sales",
            "sender_email": "sales@sysengage.ch",
        }
        values.update(vals)
        return self.env["sysengage.dispatch.flow"].create(values)

    def _offer(self, partner=None):
        return self._create_offer(partner or self.customer, [(self.service, 4), (self.article, 1)])

    @freeze_time("2026-11-27 10:00:00")
    def test_queued_with_pdf_recipients_and_slot(self):
        flow = self._flow()
        order = self._offer()
        action = order.action_sysengage_dispatch_queue()
        document = order.sysengage_dispatch_document_ids
        self.assertEqual(action["res_id"], document.id)
        self.assertEqual(document.document_type, "offer")
        self.assertEqual(document.flow_id, flow)
        self.assertEqual(document.partner_id, self.customer)
        self.assertEqual(document.company_id, order.company_id)
        self.assertEqual(document.amount_total, order.amount_total)
        self.assertEqual(document.source_ref, order)
        self.assertEqual(document.planned_date, datetime(2026, 11, 30, 8, 0), "Friday 11:00 is past 9:00: Monday")
        self.assertEqual(document.recipient_ids, self.customer)
        self.assertEqual(document.attachment_ids.mimetype, "application/pdf")
        self.assertTrue(document.preview_pdf)
        self.assertEqual(order.sysengage_dispatch_count, 1)
        self.assertEqual(order.state, "draft", "queued, not sent yet")
        # queuing again returns the waiting send
        self.assertEqual(self.env["sysengage.einvoice.document"]._create_for_orders(order), document)
        document.action_postpone()
        self.assertEqual(document.planned_date, datetime(2026, 12, 1, 8, 0))
        document.action_cancel()
        self.assertEqual(document.state, "cancelled")

    def test_recipients_from_the_customer_contacts(self):
        self._flow()
        self.customer.email = False
        order = self._offer()
        document = self.env["sysengage.einvoice.document"]._create_for_orders(order)
        self.assertEqual(document.recipient_ids, self.buyer)

    def test_sent_by_the_cron_to_the_loopback_smtp_and_marked_sent(self):
        with SmtpServer() as server:
            with freeze_time("2026-11-27 06:00:00"):
                self._flow(port=server.port)
                order = self._offer(partner=self.customer_fr)
                self.customer_fr.email = "achats@dupont.example.ch"
                document = self.env["sysengage.einvoice.document"]._create_for_orders(order)
                self.env["sysengage.einvoice.document"]._cron_send_due()
                self.assertEqual(server.messages, [], "planned at 9:00 Zurich")
            with freeze_time("2026-11-27 08:01:00"):
                self.env["sysengage.einvoice.document"]._cron_send_due()
                self.env["sysengage.einvoice.document"]._cron_send_due()
            messages = list(server.messages)
        self.assertEqual(len(messages), 1, "sent once even when the cron runs twice")
        self.assertEqual(messages[0]["to"], ["achats@dupont.example.ch"])
        parsed = email.message_from_bytes(messages[0]["data"], policy=email.policy.default)
        self.assertIn("Sysengage Sales", parsed["From"])
        self.assertIn(order.name, parsed["Subject"])
        attachment = next(part for part in parsed.walk() if part.get_filename())
        self.assertEqual(attachment.get_filename(), document.attachment_ids.name)
        self.assertTrue(attachment.get_payload(decode=True).startswith(b"%PDF"))
        self.assertEqual(document.state, "sent")
        self.assertEqual(order.state, "sent", "marked sent like 'Send by email'")
        posted = order.message_ids.filtered(lambda m: "Offer sent" in (m.body or ""))
        self.assertEqual(posted.attachment_ids.name, document.attachment_ids.name)

    def test_paper_flow_and_print_batch(self):
        self._flow(channel_type="email")
        paper_flow = self._flow(channel_type="paper", name="Offers by post")
        self.customer.invoice_sending_method = "sysengage_paper"
        order = self._offer()
        document = self.env["sysengage.einvoice.document"]._create_for_orders(order)
        self.assertEqual(document.flow_id, paper_flow)
        document.action_print_batch()
        self.assertEqual(document.state, "sent")
        self.assertEqual(order.state, "sent")

    def test_bad_input(self):
        order = self._offer()
        with self.assertRaisesRegex(UserError, "No dispatch flow for offers"):
            order.action_sysengage_dispatch_queue()
        self._flow()
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "Only quotations"):
            order.action_sysengage_dispatch_queue()
        # a customer without any e-mail: the send stays pending with the reason
        nomail = self._create_customer("Ohne Mail AG", email=False)
        offer = self._offer(partner=nomail)
        document = self.env["sysengage.einvoice.document"]._create_for_orders(offer)
        self.assertFalse(document.recipient_ids)
        document.action_send_now()
        self.assertEqual(document.state, "to_send")
        self.assertIn("Recipients", document.state_message)
        self.assertEqual(offer.state, "draft")
        # cancelled meanwhile: not sent, the send is cancelled with the reason
        document.recipient_ids = self.buyer
        offer.action_cancel()
        document.action_send_now()
        self.assertEqual(document.state, "cancelled")
        self.assertEqual(document.state_message, f"Not sent: offer {offer.name} is cancelled.")

    def test_offers_user_sees_offer_sends_only(self):
        self._flow()
        order = self._offer()
        document = self.env["sysengage.einvoice.document"]._create_for_orders(order)
        self.customer.invoice_sending_method = "sysengage_email"
        move = self._create_invoice(self.customer, [(self.service, 1, 100.0)], post=True)
        invoice_doc = self.env["sysengage.einvoice.document"]._create_for_moves(move)
        salesman = self._create_user("offer_disp_user", "sysengage_offers.group_user")
        order.user_id = salesman
        self.assertEqual(document.with_user(salesman).state, "to_send")
        document.with_user(salesman).action_postpone()
        queued = self.env["sysengage.einvoice.document"].with_user(salesman).search([])
        self.assertEqual(queued, document)
        with self.assertRaises(AccessError):
            document.flow_id.with_user(salesman).write({"hour": 3.0})
        with self.assertRaises(AccessError):
            invoice_doc.with_user(salesman).read(["state"])
