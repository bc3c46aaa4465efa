from odoo.exceptions import UserError
from odoo.tests import tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalStateGuard(ApprovalCommon):
    """The state of an approvable document changes only as its guarded action allows, on every path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()

    def test_write_posted_needs_the_post_approval(self):
        move = self._big_invoice()
        # assertRaises (not the Regex variant) rolls the savepoint back, as a failed RPC call would
        with self.assertRaises(UserError) as caught:
            move.write({"state": "posted"})
        self.assertIn("Approval is required", str(caught.exception))
        self.assertEqual(move.state, "draft")

    def test_small_invoice_posts_as_usual(self):
        move = self._big_invoice(quantity=2)
        move.action_post()
        self.assertEqual(move.state, "posted")

    def test_approved_invoice_posts(self):
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        self._requests(move).with_user(self.approver).action_approve()
        move.action_post()
        self.assertEqual(move.state, "posted")
