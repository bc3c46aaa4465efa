import io
import json
from unittest.mock import patch

from lxml import etree
from pypdf import PdfReader

from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader

from odoo.addons.sysengage_einvoice.tools.yellowbill import validation_errors

from .common import EinvoiceCommon
from .servers import HttpsServer, free_port

BILLER = "41101000001021209"
RECIPIENT = "41105000000000001"
CREATED = (201, json.dumps({"id": "NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9"}), "application/json")


@tagged("post_install", "-at_install")
class TestChannelEbill(EinvoiceCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.customer.write({"invoice_sending_method": "sysengage_ebill", "sysengage_ebill_recipient_id": RECIPIENT})
        cls.channel = cls._channel("ebill", ebill_biller_id=BILLER, api_token="token-123")

    def _queue(self, url, ca_pem=None):
        self.channel.write({"url": url, "tls_ca_cert": ca_pem})
        move = self._post_invoice(ref="PO-77")
        return move, move.action_sysengage_einvoice_queue() and move.sysengage_einvoice_document_ids

    def test_yellowbill_is_valid_and_posted_to_the_swp_api(self):
        with HttpsServer([CREATED]) as server:
            move, document = self._queue(f"{server.url}/swp/v1", server.cert_pem)
            self.assertFalse(document.state_message)
            xml_file = document.attachment_ids.filtered(lambda a: a.name.endswith(".xml"))
            xml, xml_name = xml_file.raw, xml_file.name
            self.assertEqual(validation_errors(xml), [])
            tree = etree.fromstring(xml)
            self.assertEqual(tree.findtext("Body/DeliveryInfo/eBillAccountID"), RECIPIENT)
            self.assertEqual(tree.findtext("Body/Bill/Header/DocumentID"), move.name)
            self.assertEqual(tree.findtext("Body/Bill/Summary/TotalAmountInclusiveTax"), "365.34")
            rates = sorted(tree.xpath("Body/Bill/Summary/Tax/TaxDetail/Rate/text()"))
            self.assertEqual(rates, ["2.6", "8.1"])
            self.assertEqual(tree.find("Body/Appendix/Document").get("MimeType"), "x-application/pdfappendix")
            self.assertEqual(
                tree.findtext("Body/Bill/Header/PaymentInformation/IBAN/CreditorReference"), move.payment_reference
            )
            document.action_send_now()
            self.assertEqual(len(server.requests), 1)
        request = server.requests[0]
        self.assertEqual(request["path"], f"/swp/v1/billers/{BILLER}/business-cases")
        self.assertEqual(request["headers"]["Authorization"], "Bearer token-123")
        self.assertEqual(request["headers"]["X-BCFORMAT"], "yellowbill")
        self.assertEqual(request["headers"]["X-CORRELATION-ID"], document.uuid)
        # the invoice PDF, kept byte for byte (a signed archive stays signed), with the yellowbill XML appended
        pdf = document.attachment_ids.filtered(lambda a: a.name.endswith(".pdf")).raw
        self.assertTrue(request["body"].startswith(pdf))
        self.assertGreater(len(request["body"]), len(pdf))
        embedded = PdfReader(io.BytesIO(request["body"])).attachments
        self.assertEqual(embedded, {xml_name: [xml]})
        self.assertIn(f"<DocumentID>{move.name}</DocumentID>".encode(), xml)
        self.assertEqual(document.state, "sent")
        self.assertEqual(document.external_id, "NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9")
        self.assertEqual(move.state, "posted")

    def test_missing_recipient_id_keeps_the_send_pending(self):
        self.customer.sysengage_ebill_recipient_id = False
        with HttpsServer([CREATED]) as server:
            move, document = self._queue(f"{server.url}/swp/v1", server.cert_pem)
            self.assertIn("eBill recipient ID", document.state_message)
            document.action_send_now()
            self.assertEqual(server.requests, [])
        self.assertEqual(document.state, "to_send")
        self.assertIn("eBill recipient ID", document.state_message)
        self.assertEqual(move.state, "posted")

    def test_unreachable_endpoint_is_retried_with_back_off(self):
        move, document = self._queue(f"https://127.0.0.1:{free_port()}/swp/v1")
        document.action_send_now()
        self.assertEqual(document.state, "to_send")
        self.assertEqual(document.attempt_count, 1)
        self.assertTrue(document.next_attempt_date)
        self.assertIn("unreachable", document.state_message)
        self.assertEqual(move.state, "posted")

    def test_untrusted_certificate_is_refused(self):
        with HttpsServer([CREATED]) as server:
            _move, document = self._queue(f"{server.url}/swp/v1")  # no trusted certificate configured
            document.action_send_now()
            self.assertEqual(server.requests, [])
        self.assertEqual(document.state, "rejected")
        self.assertIn("TLS verification", document.state_message)

    def test_server_error_then_success(self):
        problem = (400, json.dumps({"title": "Payload has missing or invalid values"}), "application/json")
        with HttpsServer([(503, "busy", "text/plain"), CREATED]) as server:
            _move, document = self._queue(f"{server.url}/swp/v1", server.cert_pem)
            document.action_send_now()
            self.assertEqual((document.state, document.attempt_count), ("to_send", 1))
            self.assertIn("503", document.state_message)
            document.action_send_now()
            self.assertEqual(document.state, "sent")
            self.assertEqual(len(server.requests), 2)
        with HttpsServer([problem]) as server:
            move = self._post_invoice()
            self.channel.url = f"{server.url}/swp/v1"
            self.channel.tls_ca_cert = server.cert_pem
            rejected = self.env["sysengage.einvoice.document"]._create_for_moves(move)
            rejected.action_send_now()
        self.assertEqual(rejected.state, "rejected")
        self.assertIn("Payload has missing or invalid values", rejected.state_message)

    def test_network_status_acknowledged_or_rejected(self):
        status = (
            200,
            json.dumps({"id": "NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9", "status": "APPROVED"}),
            "application/json",
        )
        rejected = (
            200,
            json.dumps({"id": "NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9", "status": "REJECTED"}),
            "application/json",
        )
        with HttpsServer(
            [CREATED, (200, json.dumps({"status": "NWP_PENDING"}), "application/json"), status, CREATED, rejected]
        ) as server:
            _move, document = self._queue(f"{server.url}/swp/v1", server.cert_pem)
            document.action_send_now()
            document.action_check_status()
            self.assertEqual(document.state, "sent")
            self.env["sysengage.einvoice.document"]._cron_check_status()
            self.assertEqual(document.state, "acknowledged", [(r["method"], r["path"]) for r in server.requests])
            other = self.env["sysengage.einvoice.document"]._create_for_moves(self._post_invoice())
            other.action_send_now()
            other.action_check_status()
            requests = list(server.requests)
        self.assertEqual(other.state, "rejected")
        self.assertIn("rejected", other.state_message)
        self.assertEqual(requests[1]["method"], "GET")
        self.assertEqual(
            requests[1]["path"], f"/swp/v1/billers/{BILLER}/business-cases/NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9"
        )

    def _create_counting_wkhtmltopdf_runs(self, moves):
        """Queue ``moves`` on the channel: ``(documents, bodies given to each wkhtmltopdf call)``."""
        report_class = type(self.env["ir.actions.report"])
        runs = []
        original = report_class._run_wkhtmltopdf

        def counting(report, bodies, *args, **kwargs):
            runs.append(len(bodies))
            return original(report, bodies, *args, **kwargs)

        with patch.object(report_class, "_run_wkhtmltopdf", counting):
            documents = self.env["sysengage.einvoice.document"]._create_for_moves(moves)
        return documents, runs

    def test_pdfs_of_a_batch_rendered_together(self):
        # three invoices queued at once: one wkhtmltopdf run for the invoices, their QR-bill pages
        # drawn from the payload (no browser run); each document still gets its own PDF with its
        # payment part
        self.channel.url = "https://127.0.0.1:9/swp/v1"
        moves = self._post_invoice() | self._post_invoice() | self._post_invoice()
        documents, runs = self._create_counting_wkhtmltopdf_runs(moves)
        # one run for the three invoices, none for their QR-bill pages
        self.assertEqual(runs, [3])
        single = self.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", moves[:1].ids)[0]
        single_pages = OdooPdfFileReader(io.BytesIO(single), strict=False).getNumPages()
        self.assertGreater(single_pages, 1, "the invoice, then its QR-bill payment part")
        for document in documents:
            self.assertFalse(document.state_message)
            pdf = document.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf").raw
            reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
            self.assertEqual(reader.getNumPages(), single_pages)
            # each PDF cut from the run is its own invoice, in text (the report font installed on the server)
            self.assertIn(document.move_id.name, "".join(reader.getPage(0).extract_text().split()))

    def test_pdfs_of_a_batch_with_the_core_slip(self):
        # with core l10n_ch's HTML slip, the QR-bill pages take one more call (one run per page inside)
        self.env["ir.config_parameter"].set_param("sysengage_einvoice.qr_bill_renderer", "wkhtmltopdf")
        self.channel.url = "https://127.0.0.1:9/swp/v1"
        moves = self._post_invoice() | self._post_invoice()
        documents, runs = self._create_counting_wkhtmltopdf_runs(moves)
        self.assertEqual(runs, [2, 2])
        for document in documents:
            self.assertFalse(document.state_message)

    def test_pdfs_of_a_batch_with_a_long_invoice(self):
        # a two-page invoice between two short ones: the batch is cut where each invoice starts,
        # found by the invisible marker printed at its start (never by a business text)
        self.channel.url = "https://127.0.0.1:9/swp/v1"
        long_lines = [(self.consulting, 1 + index % 3, 100.0 + index) for index in range(45)]
        moves = self._post_invoice() | self._post_invoice(lines=long_lines) | self._post_invoice()
        documents, runs = self._create_counting_wkhtmltopdf_runs(moves)
        self.assertEqual(runs, [3], "the invoices cut from one run, not rendered again one by one")
        # each document got exactly the pages of its own invoice: the long one in the middle makes any
        # shifted cut visible in the page counts
        Report = self.env["ir.actions.report"]
        for document in documents:
            expected = Report._render_qweb_pdf("account.account_invoices", document.move_id.ids)[0]
            pdf = document.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf").raw
            self.assertEqual(
                OdooPdfFileReader(io.BytesIO(pdf), strict=False).getNumPages(),
                OdooPdfFileReader(io.BytesIO(expected), strict=False).getNumPages(),
                document.move_id.name,
            )
        long_pdf = documents.filtered(lambda d: d.move_id == moves[1]).attachment_ids.filtered(
            lambda a: a.mimetype == "application/pdf"
        )
        self.assertGreater(OdooPdfFileReader(io.BytesIO(long_pdf.raw), strict=False).getNumPages(), 2)
