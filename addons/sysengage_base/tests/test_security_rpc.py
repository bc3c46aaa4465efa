"""Adversarial checks through a running server (XML-RPC), as low-privileged users of two companies."""

from xmlrpc.client import Fault

from odoo import Command
from odoo.tests import HttpCase, tagged

from .approval_common import INVOICE_GROUPS, ApprovalCommon
from .common import SysengageRpcMixin


@tagged("post_install", "-at_install")
class TestSecurityRpc(SysengageRpcMixin, ApprovalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls.requester.group_ids = [Command.link(cls.env.ref("base.group_partner_manager").id)]
        cls.company_b = cls.setup_other_company(name="Sysengage B SA")["company"]
        cls.clerk_b = cls._create_user("sg_rpc_clerk_b", INVOICE_GROUPS, company=cls.company_b)
        # a plain Sysengage user: reads the history menu, but no invoice
        cls.plain_user = cls._create_user("sg_rpc_plain", "sysengage_base.group_user")

    def test_post_by_writing_the_state(self):
        move = self._big_invoice()
        with self.assertRaisesRegex(Fault, "Approval is required"):
            self._rpc(self.requester, "account.move", "write", move.ids, {"state": "posted"})
        self.assertEqual(move.state, "draft")

    def test_history_of_unreadable_invoices(self):
        move = self._big_invoice()
        move.sudo().ref = "CONFIDENTIAL-REF"
        events = (
            self.env["sysengage.event"].sudo().search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        )
        self.assertTrue(events, "the invoice has a history")
        found = self._rpc(
            self.plain_user, "sysengage.event", "search_read", [("res_model", "=", "account.move")], fields=["res_name"]
        )
        self.assertEqual(found, [], "a user who may not read invoices does not read their history")
        with self.assertRaisesRegex(Fault, "Sysengage Event"):
            self._rpc(self.plain_user, "sysengage.event", "read", events.ids, ["res_name", "change_ids"])
        changes = self._rpc(self.plain_user, "sysengage.event.change", "search_read", [], fields=["new_value"])
        self.assertNotIn("CONFIDENTIAL-REF", str(changes))
        # the other company's clerk reads invoices, but not this company's ones nor their history
        found_b = self._rpc(self.clerk_b, "sysengage.event", "search", [("res_id", "=", move.id)])
        self.assertNotIn(events.ids[0], found_b)
        # the invoicing users of the company do read it
        self.assertTrue(self._rpc(self.requester, "sysengage.event", "search", [("res_id", "=", move.id)]))

    def test_held_bank_account_through_rpc(self):
        self.env.ref("sysengage_base.sysengage_approval_rule_partner_bank").sudo().active = True
        supplier = self._create_customer("RPC Lieferant AG")
        bank_id = self._rpc(
            self.requester,
            "res.partner.bank",
            "create",
            {"acc_number": "CH5604835012345678009", "partner_id": supplier.id},
        )
        bank = self.env["res.partner.bank"].with_context(active_test=False).browse(bank_id)
        self.assertFalse(bank.active, "held until approved")
        with self.assertRaisesRegex(Fault, "waits for the approval"):
            self._rpc(self.requester, "res.partner.bank", "write", [bank_id], {"active": True})
        request = self.env["sysengage.approval.request"].search(
            [("res_model", "=", "res.partner.bank"), ("res_id", "=", bank_id)]
        )
        with self.assertRaisesRegex(Fault, "own approval request"):
            self._rpc(self.requester, "sysengage.approval.request", "action_approve", request.ids)
        self.assertFalse(bank.active)
        # a change of an active account through RPC is held too
        bank_2 = (
            self.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": "CH9300762011623852957", "partner_id": supplier.id})
        )
        self._rpc(self.requester, "res.partner.bank", "write", bank_2.ids, {"acc_number": "CH3908704016075473007"})
        self.assertEqual(bank_2.sanitized_acc_number, "CH9300762011623852957")
