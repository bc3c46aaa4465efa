import email

from odoo.tests import tagged

from odoo.addons.sysengage_einvoice.tools.schemas import load_facturx

from .common import EinvoiceCommon
from .servers import SmtpServer


@tagged("post_install", "-at_install")
class TestChannelEmail(EinvoiceCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounting = cls._setup_email_dispatch()
        cls.flow = None

    def _setup(self, server):
        mail_server = self.env["ir.mail_server"].create(
            {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_encryption": "none"}
        )
        channel = self._channel("email", mail_server_id=mail_server.id)
        self.env["sysengage.dispatch.flow"].create(
            {
                "name": "Invoices by e-mail",
                "channel_id": channel.id,
                "sender_name": "Sysengage Billing",
                "sender_email": "invoices@sysengage.ch",
            }
        )
        move = self._post_invoice()
        return move, self.env["sysengage.einvoice.document"]._create_for_moves(move)

    def test_pdf_mailed_to_the_invoice_contacts(self):
        with SmtpServer() as server:
            move, document = self._setup(server)
            self.assertEqual(document.recipient_ids, self.accounting)
            document.action_send_now()
            messages = list(server.messages)
        self.assertEqual(document.state, "sent")
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["to"], ["ap@muster.example.ch"])
        self.assertEqual(messages[0]["from"], "invoices@sysengage.ch")
        parsed = email.message_from_bytes(messages[0]["data"])
        self.assertIn("Sysengage Billing", parsed["From"])
        attachments = [part for part in parsed.walk() if part.get_filename()]
        self.assertEqual([part.get_filename() for part in attachments], [f"{move.name.replace('/', '_')}.pdf"])
        self.assertTrue(attachments[0].get_payload(decode=True).startswith(b"%PDF"))

    def test_edited_recipients_are_used_and_empty_is_refused(self):
        other = self._create_contact(self.customer, "Controller", email="controller@muster.example.ch")
        with SmtpServer() as server:
            _move, document = self._setup(server)
            document.recipient_ids = other
            document.action_send_now()
            document2_move = self._post_invoice()
            document2 = self.env["sysengage.einvoice.document"]._create_for_moves(document2_move)
            document2.recipient_ids = False
            document2.action_send_now()
            messages = list(server.messages)
        self.assertEqual([m["to"] for m in messages], [["controller@muster.example.ch"]])
        self.assertEqual(document2.state, "to_send")
        self.assertIn("Recipients", document2.state_message)

    def test_facturx_embedded_when_the_channel_says_so(self):
        self.customer.vat = "CHE-109.322.551 MWST"
        self.company.phone = "+41 21 555 12 12"
        with SmtpServer() as server:
            move, document = self._setup(server)
            self.assertTrue(document.attachment_ids)
            self.customer.invoice_edi_format = "facturx"  # the customer's format asks for Factur-X
            document.action_rebuild()
            document.action_send_now()
            messages = list(server.messages)
        self.assertEqual(document.state, "sent")
        parsed = email.message_from_bytes(messages[0]["data"])
        pdf = next(part for part in parsed.walk() if part.get_filename()).get_payload(decode=True)
        filename, xml = load_facturx().get_xml_from_pdf(pdf, check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        self.assertIn(move.name.encode(), xml)
