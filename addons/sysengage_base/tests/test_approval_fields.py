from odoo.tests import tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalFieldChange(ApprovalCommon):
    """Rules on a change of fields: the change is held as a request and written once approved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.term_immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.rule = cls._create_rule(
            name="Payment terms of a customer invoice",
            trigger="fields",
            action=False,
            condition_domain="[('move_type', '=', 'out_invoice')]",
            field_ids=[(6, 0, [cls.env["ir.model.fields"]._get("account.move", "invoice_payment_term_id").id])],
        )

    def test_change_is_held_then_applied(self):
        move = self._big_invoice(invoice_payment_term_id=self.term_immediate.id)
        move.write({"invoice_payment_term_id": self.term_30.id, "ref": "PO 12"})
        self.assertEqual(move.invoice_payment_term_id, self.term_immediate, "the change waits for approval")
        self.assertEqual(move.ref, "PO 12", "the other fields of the same write are written")
        request = self._requests(move)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.proposed_values, {"invoice_payment_term_id": self.term_30.id})
        self.assertIn("30 Days", request.proposed_changes)
        self.assertEqual(move.sysengage_approval_state, "pending")
        self.assertIn("Change held for approval", move.message_ids[0].body)
        request.with_user(self.approver).action_approve()
        self.assertEqual(move.invoice_payment_term_id, self.term_30)
        self.assertTrue(request.applied)
        self.assertEqual(move.sysengage_approval_state, "not_required")
        # the approval was for one change: changing again needs a new approval
        move.write({"invoice_payment_term_id": self.term_immediate.id})
        self.assertEqual(move.invoice_payment_term_id, self.term_30)
        self.assertEqual(len(self._requests(move, state="pending")), 1)

    def test_refused_change_is_dropped(self):
        move = self._big_invoice(invoice_payment_term_id=self.term_immediate.id)
        move.write({"invoice_payment_term_id": self.term_30.id})
        request = self._requests(move)
        request.with_user(self.approver)._sysengage_refuse("Customer is a late payer")
        self.assertEqual(move.invoice_payment_term_id, self.term_immediate)
        self.assertEqual(request.state, "refused")
        self.assertFalse(request.applied)

    def test_newer_change_supersedes_pending_one(self):
        move = self._big_invoice(invoice_payment_term_id=self.term_immediate.id)
        move.write({"invoice_payment_term_id": self.term_30.id})
        first = self._requests(move)
        move.write({"invoice_payment_term_id": False})
        self.assertEqual(first.state, "cancelled")
        self.assertEqual(self._requests(move, state="pending").proposed_values, {"invoice_payment_term_id": False})

    def test_unchanged_value_or_condition_not_met(self):
        move = self._big_invoice(invoice_payment_term_id=self.term_immediate.id)
        move.write({"invoice_payment_term_id": self.term_immediate.id})
        self.assertFalse(self._requests(move), "writing the same value is no change")
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.customer.id, "invoice_date": "2026-01-10"}
        )
        bill.with_user(self.requester).write({"invoice_payment_term_id": self.term_30.id})
        self.assertEqual(bill.invoice_payment_term_id, self.term_30, "the rule's domain does not match bills")

    def test_approver_cannot_apply_own_change(self):
        move = self._big_invoice(invoice_payment_term_id=self.term_immediate.id).with_user(self.outsider)
        move.write({"invoice_payment_term_id": self.term_30.id})
        request = self._requests(move)
        self.assertEqual(request.requester_id, self.outsider)
        self.assertFalse(request.with_user(self.outsider).can_approve)
        self.assertEqual(move.invoice_payment_term_id, self.term_immediate)
