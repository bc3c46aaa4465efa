from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalAccess(ApprovalCommon):
    """Access per group and per company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Filiale Ticino SA", "currency_id": cls.chf.id})
        cls.user_b = cls._create_user("sg_appr_user_b", "sysengage_base.group_manager", company=cls.company_b)

    def test_users_read_rules_managers_configure(self):
        rule = self._create_rule()
        self.assertEqual(self.Rule.with_user(self.requester).search([("id", "=", rule.id)]), rule)
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.requester).create({"name": "Mine", "model_id": self.move_model.id})
        managed = self.Rule.with_user(self.sg_manager).create(
            {
                "name": "Managed",
                "model_id": self.move_model.id,
                "action": "post",
                "level_ids": [Command.create({"approver_type": "manager"})],
            }
        )
        managed.with_user(self.sg_manager).write({"reminder_days": 5})
        managed.with_user(self.sg_manager).unlink()

    def test_rules_and_requests_per_company(self):
        rule_a = self._create_rule()
        rule_b = self._create_rule(name="Company B rule", company_id=self.company_b.id)
        shared = self._create_rule(name="All companies", company_id=False, condition_domain="[('id', '=', 0)]")
        self.assertEqual(
            self.Rule.with_user(self.requester).search([("id", "in", (rule_a | rule_b | shared).ids)]), rule_a | shared
        )
        self.assertEqual(self.Rule.with_user(self.user_b).search([("id", "in", (rule_a | rule_b).ids)]), rule_b)
        move = self._big_invoice()
        # the rule of company B does not apply to a company A invoice
        self.assertEqual(
            [rule for rule, _status, _request in move._sysengage_approval_statuses()],
            [rule_a],
        )
        move.action_sysengage_request_approval()
        request = self._requests(move)
        self.assertEqual(request.company_id, self.company)
        self.assertFalse(self.Request.with_user(self.user_b).search([("id", "=", request.id)]))
        with self.assertRaises(AccessError):
            request.with_user(self.user_b).action_approve()

    def test_my_approvals_to_do(self):
        self._create_rule(
            levels=[{"approver_type": "group", "group_id": self.approver_group.id}],
        )
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        to_do = [("can_approve", "=", True)]
        self.assertEqual(self.Request.with_user(self.approver_2).search(to_do), request)
        self.assertFalse(self.Request.with_user(self.approver).search(to_do))
        self.assertFalse(self.Request.with_user(self.requester).search(to_do))
        self.assertIn(request, self.Request.with_user(self.approver).search([("can_approve", "=", False)]))
        # the group follows its members: a new member can approve, a removed one cannot
        self.approver_group.user_ids = [Command.link(self.approver.id), Command.unlink(self.approver_2.id)]
        self.assertEqual(self.Request.with_user(self.approver).search(to_do), request)
        with self.assertRaises(AccessError):
            request.with_user(self.approver_2).action_approve()
        request.with_user(self.approver).action_approve()

    def test_request_needs_write_access(self):
        self._create_rule()
        move = self._big_invoice()
        reader = self._create_user("sg_appr_reader", "account.group_account_readonly")
        with self.assertRaises(AccessError):
            move.with_user(reader).action_sysengage_request_approval()

    def test_nothing_to_request(self):
        move = self._big_invoice(quantity=1)
        with self.assertRaisesRegex(UserError, "No approval is needed"):
            move.action_sysengage_request_approval()

    def test_deleting_the_document_deletes_its_requests(self):
        self._create_rule()
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        request = self._requests(move)
        move.unlink()
        self.assertFalse(request.exists())
