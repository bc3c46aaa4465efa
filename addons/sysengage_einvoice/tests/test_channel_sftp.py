import io
from unittest.mock import patch

from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from lxml import etree
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from odoo.tests import tagged

from odoo.addons.sysengage_einvoice.tools.schemas import load_facturx, validation_errors

from .common import EinvoiceCommon
from .servers import SftpServer, self_signed_certificate


def _sign(pdf):
    """``pdf`` signed by a throw-away self-signed certificate (as sysengage_ged signs an invoice archive), and
    that certificate."""
    cert_pem, key_pem = self_signed_certificate("Archiv AG", signing=True)
    cert = asn1_x509.Certificate.load(pem.unarmor(cert_pem.encode())[2])
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(pem.unarmor(key_pem.encode())[2]),
        cert_registry=SimpleCertificateStore.from_certs([cert]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    signed = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Archive"), signer=signer)
    return signed.getvalue(), cert


@tagged("post_install", "-at_install")
class TestChannelSftp(EinvoiceCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.customer.write({"vat": "CHE-109.322.551 MWST"})
        cls.company.phone = "+41 21 555 12 12"

    def _send(self, channel_type, server, password="s3cret", host_key=None):
        self.customer.invoice_sending_method = f"sysengage_{channel_type}"
        values = {
            "sftp_host": "127.0.0.1",
            "sftp_port": server.port,
            "sftp_username": server.username,
            "sftp_password": password,
            "sftp_host_key": host_key or server.public_key,
            "sftp_remote_dir": "in",
        }
        channel = self.env["sysengage.einvoice.channel"].search([("channel_type", "=", channel_type)])
        if channel:
            channel.write(values)
        else:
            self._channel(channel_type, **values)
        move = self._post_invoice()
        document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
        self.assertFalse(document.state_message, document.state_message)
        document.action_send_now()
        return move, document

    def test_tungsten_ubl_and_pdf_uploaded(self):
        with SftpServer() as server:
            move, document = self._send("tungsten", server)
            files = server.files
        base = move.name.replace("/", "_")
        self.assertEqual(sorted(files), [f"{base}.pdf", f"{base}.ubl.xml"])
        self.assertEqual(document.state, "sent")
        xml = files[f"{base}.ubl.xml"]
        self.assertEqual(validation_errors(xml, "ubl"), [])
        tree = etree.fromstring(xml)
        ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
        self.assertEqual(tree.findtext("cbc:ID", namespaces=ns), move.name)
        self.assertIn("peppol", tree.findtext("cbc:CustomizationID", namespaces=ns))
        self.assertTrue(files[f"{base}.pdf"].startswith(b"%PDF"))

    def test_conextrade_facturx_uploaded(self):
        with SftpServer(username="conextrade") as server:
            move, document = self._send("conextrade", server)
            files = server.files
        self.assertEqual(document.state, "sent")
        pdf = files[f"{move.name.replace('/', '_')}.pdf"]
        facturx = load_facturx()
        filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        self.assertEqual(validation_errors(xml, "cii"), [])
        self.assertTrue(facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"))
        self.assertIn(move.name.encode(), xml)

    def test_conextrade_keeps_the_signature_of_a_signed_invoice_pdf(self):
        """An archived invoice PDF is signed (sysengage_ged): its Factur-X copy is appended to, never rewritten,
        and its signature still verifies in what Conextrade receives."""
        channel_class = type(self.env["sysengage.einvoice.channel"])
        render = channel_class._invoice_pdf
        signed = {}

        def signed_pdf(channel, move):
            signed[move.id] = _sign(render(channel, move))
            return signed[move.id][0]

        with patch.object(channel_class, "_invoice_pdf", signed_pdf), SftpServer(username="conextrade") as server:
            move, document = self._send("conextrade", server)
            files = server.files
        self.assertEqual(document.state, "sent")
        pdf = files[f"{move.name.replace('/', '_')}.pdf"]
        original, cert = signed[move.id]
        self.assertTrue(pdf.startswith(original))
        (signature,) = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        trust = ValidationContext(trust_roots=[cert], allow_fetching=False)
        status = validate_pdf_signature(signature, signer_validation_context=trust, skip_diff=True)
        self.assertTrue(status.intact and status.valid and status.trusted)
        filename, xml = load_facturx().get_xml_from_pdf(pdf, check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        self.assertEqual(validation_errors(xml, "cii"), [])
        self.assertIn(move.name.encode(), xml)
        root = PdfFileReader(io.BytesIO(pdf), strict=False).root
        self.assertEqual([str(spec["/F"]) for spec in root["/AF"]], ["factur-x.xml"])
        xmp = root["/Metadata"].data
        self.assertIn(b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>", xmp)
        self.assertIn(f"Invoice {move.name}".encode(), xmp)

    def test_wrong_password_and_unknown_host_key_are_rejected(self):
        with SftpServer() as server:
            _move, document = self._send("tungsten", server, password="wrong")
            self.assertEqual(server.files, {})
        self.assertEqual(document.state, "rejected")
        self.assertIn("refused the login", document.state_message)
        with SftpServer() as server, SftpServer() as other:
            _move, document = self._send("tungsten", server, host_key=other.public_key)
            self.assertEqual(server.files, {})
        self.assertEqual(document.state, "rejected")
        self.assertIn("host key", document.state_message)
