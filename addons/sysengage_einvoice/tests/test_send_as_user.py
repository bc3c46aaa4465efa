""" "Send now" by the people who send invoices, through a running server (JSON-2 API, API key)."""

import email
import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, tagged

from .common import EinvoiceCommon
from .servers import SmtpServer


@tagged("post_install", "-at_install")
class TestSendAsUser(EinvoiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_email_dispatch()
        # the people who send invoices: Invoicing + E-invoice user, no settings, no mail servers
        cls.sender = cls._create_user(
            "invoice_sender", "base.group_user,account.group_account_invoice,sysengage_einvoice.group_user"
        )
        key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.sender)
            ._generate(scope="rpc", name="dispatch", expiration_date=datetime.now() + timedelta(days=1))
        )
        cls.headers = {"Authorization": f"bearer {key}", "Content-Type": "application/json"}

    def _json2(self, model, method, **payload):
        return self.url_open(f"/json/2/{model}/{method}", data=json.dumps(payload), headers=self.headers)

    def test_send_now_as_an_invoicing_user(self):
        with SmtpServer() as server:
            mail_server = self.env["ir.mail_server"].create(
                {
                    "name": "Loopback",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": server.port,
                    "smtp_encryption": "none",
                    "smtp_authentication": "login",
                    "smtp_user": "dispatch",
                    "smtp_pass": "s3cret-smtp",
                }
            )
            channel = self._channel("email", mail_server_id=mail_server.id)
            self.env["sysengage.dispatch.flow"].create(
                {"name": "Invoices by e-mail", "channel_id": channel.id, "sender_email": "invoices@sysengage.ch"}
            )
            move = self._post_invoice()
            document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
            self.assertFalse(document.state_message)
            response = self._json2("sysengage.einvoice.document", "action_send_now", ids=document.ids)
            self.assertEqual(response.status_code, 200, response.text)
            messages = list(server.messages)
            # the server's secrets stay out of reach of the same user
            denied = self._json2("ir.mail_server", "read", ids=mail_server.ids, fields=["smtp_user", "smtp_pass"])
            self.assertEqual(denied.status_code, 403, denied.text)
            denied = self._json2(
                "sysengage.einvoice.channel", "read", ids=channel.ids, fields=["mail_server_id", "api_token"]
            )
            self.assertEqual(denied.status_code, 403, denied.text)
        document.invalidate_recordset()
        self.assertEqual(document.state, "sent", document.state_message)
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["to"], ["ap@muster.example.ch"])
        self.assertEqual(server.logins, [("dispatch", "s3cret-smtp")])
        parsed = email.message_from_bytes(messages[0]["data"])
        pdf = next(part for part in parsed.walk() if part.get_filename()).get_payload(decode=True)
        self.assertEqual(pdf, document.attachment_ids.raw)
