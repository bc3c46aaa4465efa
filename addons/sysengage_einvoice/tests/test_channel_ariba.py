from lxml import etree

from odoo.tests import tagged

from .common import EinvoiceCommon
from .servers import HttpsServer

OK = (200, '<?xml version="1.0"?><cXML><Response><Status code="200" text="OK"/></Response></cXML>', "text/xml")
BAD = (
    200,
    '<?xml version="1.0"?><cXML><Response><Status code="400" text="Bad Request">Unknown order'
    "</Status></Response></cXML>",
    "text/xml",
)


@tagged("post_install", "-at_install")
class TestChannelAriba(EinvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "invoice_sending_method": "sysengage_ariba",
                "sysengage_ariba_network_id": "AN01000000001",
                "sysengage_ariba_order_number": "4500012345",
            }
        )
        cls.channel = cls._channel("ariba", ariba_sender_id="AN02000000002", ariba_shared_secret="abracadabra")

    def _send(self, server, **invoice_vals):
        self.customer.sysengage_ariba_endpoint = f"{server.url}/cxml/invoices"
        self.channel.tls_ca_cert = server.cert_pem
        move = self._post_invoice(**invoice_vals)
        document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
        document.action_send_now()
        return move, document

    def test_invoice_detail_request_is_posted(self):
        with HttpsServer([OK]) as server:
            move, document = self._send(server)
        self.assertEqual(document.state, "acknowledged", document.state_message)
        self.assertEqual(len(server.requests), 1)
        body = server.requests[0]["body"]
        self.assertIn(b"InvoiceDetail.dtd", body)
        root = etree.fromstring(body)
        self.assertEqual(root.findtext("Header/Sender/Credential/SharedSecret"), "abracadabra")
        self.assertEqual(root.findtext("Header/To/Credential/Identity"), "AN01000000001")
        head = root.find("Request/InvoiceDetailRequest/InvoiceDetailRequestHeader")
        self.assertEqual((head.get("invoiceID"), head.get("purpose")), (move.name, "standard"))
        order = root.find(".//InvoiceDetailOrderInfo/OrderReference")
        self.assertEqual(order.get("orderID"), "4500012345")
        self.assertEqual(len(root.findall(".//InvoiceDetailItem")), 2)
        summary = root.find("Request/InvoiceDetailRequest/InvoiceDetailSummary")
        details = {d.get("percentageRate"): d.findtext("TaxAmount/Money") for d in summary.findall("Tax/TaxDetail")}
        self.assertEqual(details, {"8.1": "24.30", "2.6": "1.04"})
        self.assertEqual(summary.find("DueAmount/Money").get("currency"), "CHF")
        self.assertEqual(summary.findtext("DueAmount/Money"), "365.34")

    def test_customer_reference_is_the_order_number(self):
        with HttpsServer([OK]) as server:
            self._send(server, ref="PO-99")
        order = etree.fromstring(server.requests[0]["body"]).find(".//OrderReference")
        self.assertEqual(order.get("orderID"), "PO-99")

    def test_rejection_keeps_the_reason(self):
        with HttpsServer([BAD]) as server:
            move, document = self._send(server)
        self.assertEqual(document.state, "rejected")
        self.assertIn("Unknown order", document.state_message)
        self.assertEqual(move.state, "posted")

    def test_missing_network_id_is_named(self):
        self.customer.sysengage_ariba_network_id = False
        with HttpsServer([OK]) as server:
            _move, document = self._send(server)
            self.assertEqual(server.requests, [])
        self.assertEqual(document.state, "to_send")
        self.assertIn("Ariba network ID", document.state_message)
