"""Adversarial tests through a running server (XML-RPC): channel secrets and where they go."""

from xmlrpc.client import Fault

from lxml import etree

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.sysengage_base.tests.common import SysengageRpcMixin

from .common import EinvoiceCommon

SECRET = "abracadabra-2026"


@tagged("post_install", "-at_install")
class TestChannelSecretsRpc(SysengageRpcMixin, EinvoiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Rivale SA")["company"]
        # may edit contacts, nothing about e-invoicing
        cls.contact_editor = cls._create_user("ei_rpc_contacts", "base.group_user,base.group_partner_manager")
        cls.ei_user = cls._create_user("ei_rpc_user", "sysengage_einvoice.group_user")
        cls.ei_manager = cls._create_user("ei_rpc_manager", "sysengage_einvoice.group_manager")
        cls.ei_manager_b = cls._create_user(
            "ei_rpc_manager_b", "sysengage_einvoice.group_manager", company=cls.company_b
        )
        cls.ei_manager_contacts = cls._create_user(
            "ei_rpc_manager_contacts", "sysengage_einvoice.group_manager,base.group_partner_manager"
        )
        cls.ei_admin = cls._create_user("ei_rpc_admin", "base.group_system,sysengage_einvoice.group_manager")
        cls.customer.write(
            {
                "invoice_sending_method": "sysengage_ariba",
                "sysengage_ariba_network_id": "AN01000000001",
                "sysengage_ariba_order_number": "4500012345",
                "sysengage_ariba_endpoint": "https://buyer.example.ch/cxml",
            }
        )
        cls.ariba = cls._channel("ariba", ariba_sender_id="AN02000000002", ariba_shared_secret=SECRET)
        cls.ebill = cls._channel(
            "ebill",
            url="https://api.ebill.example.ch/swp/v1",
            api_token="access-token",
            ebill_oauth_refresh_token="refresh-token",
        )
        cls.sftp = cls._channel(
            "tungsten", sftp_host="sftp.tungsten.example.com", sftp_username="sysengage", sftp_password="sftp-pw"
        )

    def test_ariba_endpoint_set_by_einvoice_managers_only(self):
        endpoint = "https://attacker.example.net/collect"
        self._assert_refused(
            "e-invoice managers",
            self.contact_editor,
            "res.partner",
            "write",
            self.customer.ids,
            {"sysengage_ariba_endpoint": endpoint},
        )
        self._assert_refused(
            "e-invoice managers",
            self.contact_editor,
            "res.partner",
            "create",
            [{"name": "Shell AG", "sysengage_ariba_endpoint": endpoint}],
        )
        # the rest of the contact stays editable
        self._rpc(self.contact_editor, "res.partner", "write", self.customer.ids, {"phone": "+41 21 555 00 00"})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.sysengage_ariba_endpoint, "https://buyer.example.ch/cxml")
        self._rpc(
            self.ei_manager_contacts, "res.partner", "write", self.customer.ids, {"sysengage_ariba_endpoint": endpoint}
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.sysengage_ariba_endpoint, endpoint)

    def test_ariba_secret_neither_stored_nor_previewed(self):
        move = self._post_invoice()
        document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
        self.assertTrue(document._sysengage_build(), document.state_message)
        for attachment in document.attachment_ids:
            self.assertNotIn(SECRET.encode(), attachment.raw)
        preview = self._rpc(self.ei_user, "sysengage.einvoice.document", "read", document.ids, ["preview_xml"])
        self.assertTrue(preview[0]["preview_xml"])
        self.assertNotIn(SECRET, preview[0]["preview_xml"])
        root = etree.fromstring(document.attachment_ids.raw)
        self.assertIsNotNone(root.find("Header/Sender/Credential/SharedSecret"))

    def test_destinations_of_secrets_set_by_system_only(self):
        for channel, vals in (
            (self.ebill, {"url": "https://attacker.example.net/swp/v1"}),
            (self.sftp, {"sftp_host": "attacker.example.net"}),
            (self.sftp, {"sftp_port": 2222}),
            (self.sftp, {"sftp_host_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIattacker"}),
        ):
            self._assert_refused(
                "Only system administrators", self.ei_manager, "sysengage.einvoice.channel", "write", channel.ids, vals
            )
        self.ebill.invalidate_recordset()
        self.sftp.invalidate_recordset()
        self.assertEqual(self.ebill.url, "https://api.ebill.example.ch/swp/v1")
        self.assertEqual(self.sftp.sftp_host, "sftp.tungsten.example.com")
        # the manager still configures the rest, the system administrator the destinations
        self._rpc(self.ei_manager, "sysengage.einvoice.channel", "write", self.sftp.ids, {"timeout": 45})
        self._rpc(
            self.ei_admin, "sysengage.einvoice.channel", "write", self.sftp.ids, {"sftp_host": "sftp2.example.com"}
        )
        self.sftp.invalidate_recordset()
        self.assertEqual((self.sftp.timeout, self.sftp.sftp_host), (45, "sftp2.example.com"))

    def test_ebill_connection_by_channel_managers_only(self):
        for user in (self.ei_user, self.ei_manager_b):
            for method in ("action_ebill_disconnect", "action_ebill_connect"):
                with mute_logger("odoo.http"), self.assertRaises(Fault):
                    self._rpc(user, "sysengage.einvoice.channel", method, self.ebill.ids)
        self.ebill.invalidate_recordset()
        self.assertEqual(
            (self.ebill.api_token, self.ebill.ebill_oauth_refresh_token), ("access-token", "refresh-token")
        )
        self._rpc(self.ei_manager, "sysengage.einvoice.channel", "action_ebill_disconnect", self.ebill.ids)
        self.ebill.invalidate_recordset()
        self.assertFalse(self.ebill.api_token)
