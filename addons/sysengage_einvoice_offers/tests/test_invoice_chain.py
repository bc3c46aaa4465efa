"""The offer-to-invoice chain as a back office runs it, through a running server (JSON-2 API):
a sales rep creates a large offer, the sales manager approves it, the accountant invoices, posts,
queues and sends it by e-mail; the mail carries the archived PDF with its QR-bill page."""

import base64
import email
import hashlib
import io
import json
import os
from datetime import datetime, timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import OdooPdfFileReader

from odoo.addons.sysengage_einvoice.tests.servers import SmtpServer
from odoo.addons.sysengage_ged.tests.common import run_archive_job
from odoo.addons.sysengage_ged.tests.testing_pki import LoopbackPKI
from odoo.addons.sysengage_offers.tests.common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestInvoiceChain(SysengageOffersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test user configures the channel (e-invoice manager) and its mail server (system), and
        # reads the archives (Documents user)
        cls.env.user.group_ids |= (
            cls.env.ref("sysengage_einvoice.group_manager")
            | cls.env.ref("base.group_system")
            | cls.env.ref("sysengage_ged.group_user")
        )
        cls.pki = LoopbackPKI()
        cls.pki.start()
        cls.addClassCleanup(cls.pki.close)
        cls.company.sudo().write(
            {
                "email": "billing@sysengage.ch",
                "sysengage_ged_archive_enabled": True,
                "sysengage_ged_tsa_url": cls.pki.tsa_url,
                "sysengage_ged_tsa_ca_cert": base64.b64encode(cls.pki.root_pem()),
                "sysengage_ged_cert_file": base64.b64encode(cls.pki.signer_pkcs12("Archiv-2026")),
                "sysengage_ged_cert_password": "Archiv-2026",
            }
        )
        # the QR-IBAN is the company's first account: the one invoices made from orders are paid to
        cls.company.partner_id.bank_ids.filtered(lambda bank: bank != cls.qr_iban_account).sequence = 20
        cls.qr_iban_account.sequence = 1
        cls.customer.invoice_sending_method = "sysengage_email"
        cls._create_contact(
            cls.customer,
            "Kreditoren",
            type="invoice",
            email="kreditoren@muster.example.ch",
            street="Postfach 120",
            zip="8021",
            city="Zürich",
            country_id=cls.switzerland.id,
        )
        cls.rep = cls._create_user("chain_rep", "sysengage_offers.group_user")
        cls.sales_manager = cls._create_user("chain_sales_manager", "sysengage_offers.group_manager")
        cls.accountant = cls._create_user(
            "chain_accountant",
            "account.group_account_invoice,sysengage_einvoice.group_user,sales_team.group_sale_salesman_all_leads",
        )
        cls.keys = {
            user: cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(scope="rpc", name="chain", expiration_date=datetime.now() + timedelta(days=1))
            for user in (cls.rep, cls.sales_manager, cls.accountant)
        }

    def _call(self, user, model, method, **payload):
        # real PDFs, not the HTML stand-in the report engine renders under test
        payload.setdefault("context", {"force_report_rendering": True})
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={"Authorization": f"bearer {self.keys[user]}", "Content-Type": "application/json"},
            timeout=300,
        )
        self.assertEqual(response.status_code, 200, f"{model}.{method}: {response.text[:2000]}")
        return response.json()

    def test_offer_to_sent_invoice_through_json2(self):
        with SmtpServer() as server:
            mail_server = self.env["ir.mail_server"].create(
                {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_encryption": "none"}
            )
            channel = self.env["sysengage.einvoice.channel"].create(
                {"name": "E-mail", "channel_type": "email", "mail_server_id": mail_server.id}
            )
            self.env["sysengage.dispatch.flow"].create(
                {"name": "Invoices by e-mail", "channel_id": channel.id, "sender_email": "billing@sysengage.ch"}
            )
            # the sales rep: an offer of CHF 60,000 (above the shipped approval rule)
            [offer_id] = self._call(
                self.rep,
                "sale.order",
                "create",
                vals_list=[
                    {
                        "partner_id": self.customer.id,
                        "order_line": [[0, 0, {"product_id": self.service.id, "product_uom_qty": 400}]],
                    }
                ],
            )
            response = self.url_open(
                "/json/2/sale.order/action_confirm",
                data=json.dumps({"ids": [offer_id]}),
                headers={"Authorization": f"bearer {self.keys[self.rep]}", "Content-Type": "application/json"},
            )
            self.assertNotEqual(response.status_code, 200, "not confirmed before approval")
            self.assertIn("approv", response.json()["message"].lower())
            self._call(self.rep, "sale.order", "action_sysengage_request_approval", ids=[offer_id])
            # the sales manager approves
            pending = self._call(
                self.sales_manager,
                "sysengage.approval.request",
                "search",
                domain=[["res_model", "=", "sale.order"], ["res_id", "=", offer_id], ["state", "=", "pending"]],
            )
            self.assertTrue(pending)
            self._call(self.sales_manager, "sysengage.approval.request", "action_approve", ids=pending)
            self._call(self.rep, "sale.order", "action_confirm", ids=[offer_id])
            # the accountant invoices, posts, queues and sends
            [wizard_id] = self._call(
                self.accountant,
                "sale.advance.payment.inv",
                "create",
                vals_list=[{"advance_payment_method": "delivered", "sale_order_ids": [[6, 0, [offer_id]]]}],
            )
            self._call(self.accountant, "sale.advance.payment.inv", "create_invoices", ids=[wizard_id])
            [order] = self._call(self.accountant, "sale.order", "read", ids=[offer_id], fields=["invoice_ids"])
            [invoice_id] = order["invoice_ids"]
            self._call(self.accountant, "account.move", "action_post", ids=[invoice_id])
            # posting queued the archive; the archive job takes it within seconds (here in the test's
            # thread, as the cron would), and the dispatch then sends the archived PDF as it is
            run_archive_job(self.env)
            self._call(self.accountant, "account.move", "action_sysengage_einvoice_queue", ids=[invoice_id])
            document_ids = self._call(
                self.accountant, "sysengage.einvoice.document", "search", domain=[["move_id", "=", invoice_id]]
            )
            self._call(self.accountant, "sysengage.einvoice.document", "action_send_now", ids=document_ids)
            [status] = self._call(
                self.accountant,
                "account.move",
                "read",
                ids=[invoice_id],
                fields=[
                    "state",
                    "sysengage_ged_archived",
                    "sysengage_ged_archive_signed",
                    "sysengage_ged_archive_timestamped",
                    "sysengage_ged_archive_version",
                ],
            )
            messages = list(server.messages)
        self.assertEqual(
            {key: status[key] for key in status if key != "id"},
            {
                "state": "posted",
                "sysengage_ged_archived": True,
                "sysengage_ged_archive_signed": True,
                "sysengage_ged_archive_timestamped": True,
                "sysengage_ged_archive_version": 1,
            },
        )
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["to"], ["kreditoren@muster.example.ch"])
        parsed = email.message_from_bytes(messages[0]["data"])
        sent_pdf = next(part for part in parsed.walk() if part.get_filename()).get_payload(decode=True)
        if os.environ.get("SYSENGAGE_KEEP_SENT_PDF"):  # to look at the PDF sent (pdftoppm), e.g. for a review
            with open(os.environ["SYSENGAGE_KEEP_SENT_PDF"], "wb") as kept:
                kept.write(sent_pdf)
        invoice = self.env["account.move"].browse(invoice_id)
        archive = invoice.sysengage_ged_archive_ids.filtered(lambda a: a.kind == "pdf")
        self.assertEqual(len(archive), 1, "one archive for the posted invoice")
        self.assertEqual(hashlib.sha256(sent_pdf).hexdigest(), archive.sha256, "the mail carries the archived PDF")
        self.assertEqual(set(archive.event_ids.mapped("event_type")), {"dispatch"})
        # the accountant prints it from the web client's report route: the same archived file again
        self.authenticate("chain_accountant", "chain_accountant")
        printed = self.url_open(
            f'/report/pdf/account.report_invoice_with_payments/{invoice_id}?context={{"force_report_rendering": true}}',
            timeout=300,
        )
        self.assertEqual(printed.status_code, 200)
        self.assertEqual(hashlib.sha256(printed.content).hexdigest(), archive.sha256)
        archive.invalidate_recordset()
        self.assertEqual(sorted(archive.event_ids.mapped("event_type")), ["dispatch", "print"])
        self.assertEqual(len(invoice.sysengage_ged_archive_ids.filtered(lambda a: a.kind == "pdf")), 1)
        # the QR-bill payment part on the last page, drawn with a text layer: its QR reference reads back
        reader = OdooPdfFileReader(io.BytesIO(sent_pdf), strict=False)
        self.assertTrue(invoice.l10n_ch_is_qr_valid)
        self.assertGreaterEqual(reader.getNumPages(), 2)
        last = reader.getPage(reader.getNumPages() - 1)
        text = (getattr(last, "extract_text", None) or last.extractText)()
        self.assertIn(invoice.space_qrr_reference(invoice.payment_reference).strip(), text)
        self.assertEqual(invoice.payment_reference.isdigit() and len(invoice.payment_reference), 27)
