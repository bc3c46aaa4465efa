"""A PDF rendered without its styles (the report URL pointing at a closed port) is neither kept
nor sent: the document stays to retry with the cause."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import EinvoiceCommon
from .servers import SmtpServer, free_port


@tagged("post_install", "-at_install")
class TestUnstyledPdf(EinvoiceCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_email_dispatch()

    def test_pdf_without_styles_is_refused_then_retried(self):
        with SmtpServer() as server:
            mail_server = self.env["ir.mail_server"].create(
                {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_encryption": "none"}
            )
            self._channel("email", mail_server_id=mail_server.id)
            move = self._post_invoice()
            closed = f"http://127.0.0.1:{free_port()}"  # nobody listens there
            self.env["ir.config_parameter"].set_param("report.url", closed)
            with mute_logger("odoo.addons.sysengage_einvoice.models.ir_actions_report"):
                document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
                self.assertEqual(document.state, "to_send")
                self.assertFalse(document.attachment_ids, "an unstyled PDF is not kept")
                self.assertIn("without its styles", document.state_message)
                self.assertIn(closed, document.state_message)
                document.action_send_now()
            self.assertEqual(server.messages, [], "nothing sent")
            self.assertEqual(document.state, "to_send")
            self.assertIn("without its styles", document.state_message)
            # once the address is fixed, the same document is built and sent
            self.env["ir.config_parameter"].set_param("report.url", "")
            document.action_rebuild()
            self.assertFalse(document.state_message)
            document.action_send_now()
            self.assertEqual(document.state, "sent", document.state_message)
            self.assertEqual(len(server.messages), 1)

    def test_styled_pdf_passes_the_probe(self):
        pdf = self.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", self._post_invoice().ids)[0]
        self.assertTrue(pdf.startswith(b"%PDF"))
