from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalAction(ApprovalCommon):
    """Rules triggered by an action (post), with domain and formula conditions."""

    def test_domain_condition(self):
        self._create_rule()
        small = self._big_invoice(quantity=5)
        self.assertEqual(small.sysengage_approval_state, "not_required")
        small.action_post()
        self.assertEqual(small.state, "posted")
        big = self._big_invoice()
        self.assertEqual(big.sysengage_approval_state, "required")
        with self.assertRaisesRegex(UserError, "Invoice above 10,000"):
            big.action_post()
        self.assertEqual(big.state, "draft")

    def test_formula_condition(self):
        self._create_rule(
            name="Discount above 15%",
            condition_domain="[('move_type', '=', 'out_invoice')]",
            condition_formula="max(record.invoice_line_ids.mapped('discount')) > 15",
        )
        plain = self._big_invoice(quantity=1)
        plain.action_post()
        self.assertEqual(plain.state, "posted")
        discounted = self._big_invoice(quantity=1)
        discounted.sudo().invoice_line_ids.discount = 20
        with self.assertRaisesRegex(UserError, "Discount above 15%"):
            discounted.action_post()

    def test_domain_and_formula_both_hold(self):
        self._create_rule(condition_formula="record.partner_id.name == 'Approval AG'")
        other = self._create_invoice(self._create_customer("Other SA"), [(self.service, 12, 1000.0)])
        other.with_user(self.requester).action_post()
        self.assertEqual(other.state, "posted")
        with self.assertRaises(UserError):
            self._big_invoice().action_post()

    def test_request_approve_post(self):
        self._create_rule()
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requester_id, self.requester)
        self.assertEqual(request.approver_user_ids, self.approver)
        self.assertEqual((request.level_rank, request.level_total), (1, 1))
        self.assertIn("Approval AG", request.res_name, "the queue names the customer of a draft invoice")
        self.assertEqual(move.sysengage_approval_state, "pending")
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.approver)
        self.assertEqual(activity.activity_type_id, self.env.ref("sysengage_base.mail_activity_type_approval"))
        self.assertEqual((activity.res_model, activity.res_id), ("account.move", move.id))
        self.assertIn("Approval requested", move.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "pending at level 1/1"):
            move.action_post()
        with self.assertRaisesRegex(UserError, "already requested"):
            move.action_sysengage_request_approval()

        request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.approver)
        self.assertFalse(activity.exists(), "the approver's activity is closed")
        self.assertEqual(move.sysengage_approval_state, "approved")
        self.assertIn("Approval granted", move.message_ids[0].body)
        move.action_post()
        self.assertEqual(move.state, "posted")

    def test_levels_in_sequence(self):
        self._create_rule(
            levels=[
                {"approver_type": "users", "user_ids": [Command.set(self.approver.ids)]},
                {"approver_type": "group", "group_id": self.approver_group.id},
            ]
        )
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        level_1 = self._requests(move)
        self.assertEqual(len(level_1), 1, "level 2 is not asked before level 1 approves")
        level_1.with_user(self.approver).action_approve()
        level_2 = self._requests(move) - level_1
        self.assertEqual((level_2.level_rank, level_2.state), (2, "pending"))
        self.assertEqual(level_2.approver_group_id, self.approver_group)
        self.assertEqual(level_2.activity_ids.user_id, self.approver_2)
        with self.assertRaisesRegex(UserError, "pending at level 2/2"):
            move.action_post()
        level_2.with_user(self.approver_2).action_approve()
        move.action_post()
        self.assertEqual(move.state, "posted")

    def test_requester_manager(self):
        self._create_rule(levels=[{"approver_type": "manager"}])
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        self.assertEqual(request.approver_user_ids, self.manager)
        request.with_user(self.manager).action_approve()
        move.action_post()
        self.assertEqual(move.state, "posted")

    def test_requester_without_manager(self):
        self._create_rule(levels=[{"approver_type": "manager"}])
        move = self._big_invoice().with_user(self.outsider)
        with self.assertRaisesRegex(UserError, "no approval manager"):
            move.action_sysengage_request_approval()

    def test_refusal_with_reason(self):
        self._create_rule()
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        action = request.with_user(self.approver).action_refuse()
        wizard = Form(self.env[action["res_model"]].with_user(self.approver).with_context(**action["context"]))
        wizard.reason = "Price not agreed with the customer"
        wizard.save().action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.refusal_reason, "Price not agreed with the customer")
        self.assertEqual(move.sysengage_approval_state, "refused")
        self.assertIn("Price not agreed", move.message_ids[0].body)
        self.assertIn(self.requester.partner_id, move.message_ids[0].partner_ids, "the requester is notified")
        with self.assertRaisesRegex(UserError, "refused: Price not agreed"):
            move.action_post()
        # a new round starts again at level 1
        move.action_sysengage_request_approval()
        self.assertEqual(self._requests(move, state="pending").level_rank, 1)

    def test_refusal_needs_a_reason(self):
        self._create_rule()
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        with self.assertRaisesRegex(UserError, "reason"):
            self._requests(move).with_user(self.approver)._sysengage_refuse("  ")

    def test_banner_and_smart_button(self):
        self._create_rule()
        move = self._big_invoice()
        self.assertIn("Approval required", move.sysengage_approval_banner)
        move.action_sysengage_request_approval()
        self.assertIn("waiting for", move.sysengage_approval_banner)
        self.assertEqual(move.sysengage_approval_request_count, 1)
        action = move.action_sysengage_view_approval_requests()
        self.assertEqual(self.Request.search(action["domain"]), move.sysengage_approval_request_ids)

    def test_archived_template_rule(self):
        template = self.env.ref("sysengage_base.sysengage_approval_rule_invoice_amount")
        self.assertFalse(template.active)
        move = self._big_invoice()
        self.assertEqual(move.sysengage_approval_state, "not_required")
        template.sudo().active = True
        move.invalidate_recordset()
        self.assertEqual(move.sysengage_approval_state, "required")
