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
        with self.assertRaisesRegex(UserError, "Approval is required"):
            move.write({"state": "posted"})
        move.invalidate_recordset()
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
