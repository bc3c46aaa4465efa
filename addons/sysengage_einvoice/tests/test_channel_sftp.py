from lxml import etree

from odoo.tests import tagged

from odoo.addons.sysengage_einvoice.tools.schemas import load_facturx, validation_errors

from .common import EinvoiceCommon
from .servers import SftpServer


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
