import json
from urllib.parse import urlencode

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestEventReport(HttpCase):
    """Reports downloaded or opened through the report routes are logged, and attached per profile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Report AG", "email": "report@example.ch"})
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [Command.create({"name": "Consulting", "quantity": 1, "price_unit": 100.0})],
            }
        )
        cls.invoice.action_post()
        cls.report = cls.env.ref("account.account_invoices")
        cls.env.flush_all()  # the report routes share the test cursor: no pending write for a read-only route

    def _events(self, event_type):
        return self.env["sysengage.event"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", self.invoice.id), ("event_type", "=", event_type)]
        )

    def test_download_logged_and_attached(self):
        self.env["sysengage.print.profile"].create({"report_id": self.report.id, "attach_pdf": True})
        attachments = self.env["ir.attachment"].search_count(
            [("res_model", "=", "account.move"), ("res_id", "=", self.invoice.id)]
        )
        self.authenticate("admin", "admin")
        url = f"/report/pdf/{self.report.report_name}/{self.invoice.id}"
        query = urlencode({"data": json.dumps([url, "qweb-pdf"]), "context": json.dumps({})})
        response = self.url_open(f"/report/download?{query}")
        self.assertEqual(response.status_code, 200)
        event = self._events("download")
        self.assertEqual(len(event), 1)
        self.assertEqual(event.user_id, self.env.ref("base.user_admin"))
        self.assertIn(self.report.name, event.description)
        self.assertFalse(self._events("print"))
        self.assertGreater(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "account.move"), ("res_id", "=", self.invoice.id)]
            ),
            attachments,
        )

    def test_server_side_rendering_not_logged(self):
        self.env["ir.actions.report"]._render_qweb_pdf(self.report, self.invoice.ids)
        self.assertFalse(self._events("print") | self._events("download"))
