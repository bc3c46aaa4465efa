from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalBypass(ApprovalCommon):
    """Every way around the approval is closed on the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule(
            levels=[
                {"approver_type": "users", "user_ids": [Command.set(cls.approver.ids)]},
                {"approver_type": "group", "group_id": cls.approver_group.id},
            ]
        )

    def _call_rpc(self, user, model, method, ids, *args):
        """What a JSON-RPC ``call_kw`` does: browse as the user and call the public method."""
        records = self.env[model].with_user(user).browse(ids)
        return getattr(records, method)(*args)

    def test_post_through_rpc(self):
        move = self._big_invoice()
        with self.assertRaises(UserError):
            self._call_rpc(self.requester, "account.move", "action_post", move.ids)
        self.assertEqual(move.state, "draft")

    def test_post_through_the_validation_wizard(self):
        move = self._big_invoice()
        wizard = (
            self.env["validate.account.move"]
            .with_user(self.requester)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({})
        )
        with self.assertRaises(UserError):
            wizard.validate_move()
        self.assertEqual(move.state, "draft")

    def test_approve_own_request_when_not_approver(self):
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        with self.assertRaisesRegex(AccessError, "own approval request"):
            self._call_rpc(self.requester, "sysengage.approval.request", "action_approve", request.ids)
        self.assertEqual(request.state, "pending")

    def test_approver_cannot_approve_own_request(self):
        """Even an approver may not approve what they asked for, unless the rule allows it."""
        move = self._big_invoice().with_user(self.approver)
        with self.assertRaisesRegex(UserError, "Nobody but the requester"):
            move.action_sysengage_request_approval()
        self.rule.allow_self_approval = True
        move.action_sysengage_request_approval()
        request = self._requests(move, state="pending")
        request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "approved")

    def test_group_member_cannot_approve_own_request(self):
        self.rule.active = False
        group_rule = self._create_rule(
            name="Group only", levels=[{"approver_type": "group", "group_id": self.approver_group.id}]
        )
        self.approver_group.user_ids = [Command.link(self.approver.id)]
        move = self._big_invoice().with_user(self.approver_2)
        move.action_sysengage_request_approval()
        request = self._requests(move)
        self.assertEqual(request.rule_id, group_rule)
        self.assertEqual(request.approver_user_ids, self.approver, "the requester is not listed as approver")
        self.assertFalse(request.with_user(self.approver_2).can_approve)
        with self.assertRaisesRegex(AccessError, "own approval request"):
            request.with_user(self.approver_2).action_approve()
        self.assertTrue(request.with_user(self.approver).can_approve)
        request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "approved")

    def test_outsider_and_manager_without_group(self):
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        for user in (self.outsider, self.sg_manager, self.approver_2):
            with self.assertRaisesRegex(AccessError, "not an approver"):
                self._call_rpc(user, "sysengage.approval.request", "action_approve", request.ids)
            with self.assertRaisesRegex(AccessError, "not an approver"):
                self._call_rpc(user, "sysengage.approval.request", "action_refuse", request.ids)
        self.assertEqual(request.state, "pending")

    def test_level_2_before_level_1(self):
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        level_1 = self._requests(move)
        self.assertEqual(level_1.level_rank, 1)
        with self.assertRaisesRegex(AccessError, "not an approver"):
            level_1.with_user(self.approver_2).action_approve()
        level_1.with_user(self.approver).action_approve()
        level_2 = self._requests(move, state="pending")
        with self.assertRaisesRegex(AccessError, "not an approver"):
            level_2.with_user(self.approver).action_approve()
        with self.assertRaisesRegex(UserError, "no longer pending"):
            level_1.with_user(self.approver).action_approve()
        with self.assertRaisesRegex(UserError, "pending at level 2/2"):
            move.action_post()

    def test_requests_cannot_be_forged(self):
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        with self.assertRaises(AccessError):
            self._call_rpc(self.approver, "sysengage.approval.request", "write", request.ids, {"state": "approved"})
        with self.assertRaises(AccessError):
            self.Request.with_user(self.requester).create(
                {
                    "res_model": "account.move",
                    "res_id": move.id,
                    "rule_id": self.rule.id,
                    "level_id": self.rule.level_ids[-1].id,
                    "requester_id": self.requester.id,
                    "state": "approved",
                }
            )
        with self.assertRaises(AccessError):
            self._call_rpc(self.requester, "sysengage.approval.request", "unlink", request.ids)

    def test_rules_cannot_be_disabled_by_users(self):
        with self.assertRaises(AccessError):
            self._call_rpc(self.requester, "sysengage.approval.rule", "write", self.rule.ids, {"active": False})
        with self.assertRaises(AccessError):
            self._call_rpc(self.requester, "sysengage.approval.rule.level", "unlink", self.rule.level_ids.ids)

    def test_withdraw(self):
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        with self.assertRaisesRegex(AccessError, "requester or a manager"):
            request.with_user(self.outsider).action_cancel()
        request.with_user(self.requester).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(move.sysengage_approval_state, "required")
