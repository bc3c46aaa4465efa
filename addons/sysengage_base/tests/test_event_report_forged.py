"""No context a client sends can hide a print: the event is recorded whatever keys it holds."""

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged

from .common import SysengageCommon

# every context key the suite read (or reads) around printing, as a client would forge them
FORGED_CONTEXT = {
    "sysengage_report_silent": True,
    "sysengage_event_buffer": [],
    "sysengage_options": {"batch": True, "force_payment_part": True},
    "sysengage_pdf_batch": True,
    "sysengage_force_payment_part": True,
    "sysengage_profile_payment_part": "without",
    "sysengage_ged_no_archive": True,
}


@tagged("post_install", "-at_install")
class TestEventReportForged(SysengageCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Forged Context AG")
        cls.invoice = cls._create_invoice(cls.customer, [(cls._create_service("Audit", price=100.0), 1, 100.0)], True)
        cls.report = cls.env.ref("account.account_invoices")
        # the least groups that print an invoice: Invoicing
        cls.clerk = cls._create_user("sg_forged_clerk", "account.group_account_invoice")
        key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.clerk)
            ._generate(scope="rpc", name="print", expiration_date=datetime.now() + timedelta(days=1))
        )
        cls.headers = {"Authorization": f"bearer {key}", "Content-Type": "application/json"}
        cls.env.flush_all()

    def _events(self, event_type):
        return (
            self.env["sysengage.event"]
            .sudo()
            .search(
                [("res_model", "=", "account.move"), ("res_id", "=", self.invoice.id), ("event_type", "=", event_type)]
            )
        )

    def _wizard_vals(self):
        # "local printer": the print is recorded before the browser opens the (read-only) PDF route
        invoice, report = self.invoice, self.report
        return {"res_model": invoice._name, "res_ids": invoice.ids, "report_id": report.id, "mode": "browser"}

    def _json2(self, model, method, **payload):
        response = self.url_open(f"/json/2/{model}/{method}", data=json.dumps(payload), headers=self.headers)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_download_route_with_forged_context(self):
        self.authenticate(self.clerk.login, self.clerk.login)
        url = f"/report/pdf/{self.report.report_name}/{self.invoice.id}"
        query = urlencode({"data": json.dumps([url, "qweb-pdf"]), "context": json.dumps(FORGED_CONTEXT)})
        response = self.url_open(f"/report/download?{query}", timeout=60)
        self.assertEqual(response.status_code, 200)
        event = self._events("download")
        self.assertEqual(len(event), 1, "the download is recorded whatever the context says")
        self.assertEqual(event.user_id, self.clerk)

    def test_print_wizard_through_json2_with_forged_context(self):
        wizard_ids = self._json2(
            "sysengage.print.wizard",
            "create",
            vals_list=[self._wizard_vals()],
            context=FORGED_CONTEXT,
        )
        action = self._json2("sysengage.print.wizard", "action_print", ids=wizard_ids, context=FORGED_CONTEXT)
        self.assertEqual(action["url"], f"/report/pdf/{self.report.report_name}/{self.invoice.id}")
        event = self._events("print")
        self.assertEqual(len(event), 1, "the print is recorded whatever the context says")
        self.assertEqual(event.user_id, self.clerk)

    def test_print_wizard_through_xmlrpc_with_forged_context(self):
        def call(method, *args):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.clerk.id,
                self.clerk.login,
                "sysengage.print.wizard",
                method,
                list(args),
                {"context": FORGED_CONTEXT},
            )

        call("action_print", [call("create", self._wizard_vals())])
        self.assertEqual(len(self._events("print")), 1)
