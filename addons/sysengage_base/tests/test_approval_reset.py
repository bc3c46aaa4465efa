from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalReset(ApprovalCommon):
    """An approval holds for the values it was given for."""

    def _approved_invoice(self):
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        self._requests(move).with_user(self.approver).action_approve()
        self.assertEqual(move.sysengage_approval_state, "approved")
        return move

    def test_change_of_watched_field_resets(self):
        self._create_rule()
        move = self._approved_invoice()
        line = move.invoice_line_ids
        move.write({"invoice_line_ids": [Command.update(line.id, {"quantity": 20})]})
        request = self._requests(move)
        self.assertEqual(request.state, "cancelled")
        self.assertIn("changed", request.cancel_reason)
        self.assertEqual(move.sysengage_approval_state, "required")
        self.assertIn("Approval request cancelled", move.message_ids[0].body)
        with self.assertRaises(UserError):
            move.action_post()

    def test_change_of_other_field_keeps_approval(self):
        self._create_rule()
        move = self._approved_invoice()
        move.write({"ref": "PO 4711", "narration": "Thank you"})
        self.assertEqual(self._requests(move).state, "approved")
        move.action_post()
        self.assertEqual(move.state, "posted")

    def test_change_behind_the_documents_back_is_caught(self):
        """A line written directly does not go through the move's write: the check still sees it."""
        self._create_rule()
        move = self._approved_invoice()
        move.invoice_line_ids.with_user(self.requester).write({"price_unit": 2000.0})
        move.invalidate_recordset()
        self.assertEqual(move.sysengage_approval_state, "required")
        with self.assertRaisesRegex(UserError, "Invoice above 10,000"):
            move.action_post()

    def test_pending_request_of_changed_document(self):
        """A change between the request and the decision: the approval is not granted."""
        self._create_rule()
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        move.invoice_line_ids.with_user(self.requester).write({"price_unit": 3000.0})
        result = request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(result["params"]["type"], "warning")
        with self.assertRaises(UserError):
            move.action_post()

    def test_explicit_reset(self):
        self._create_rule()
        move = self._approved_invoice()
        self.assertTrue(move._sysengage_approval_reset())
        self.assertEqual(move.sysengage_approval_state, "required")
        self.assertFalse(move._sysengage_approval_reset())

    def test_condition_no_longer_met(self):
        self._create_rule()
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        move.write({"invoice_line_ids": [Command.update(move.invoice_line_ids.id, {"quantity": 2})]})
        self.assertEqual(move.sysengage_approval_state, "not_required")
        move.action_post()
        self.assertEqual(move.state, "posted")
