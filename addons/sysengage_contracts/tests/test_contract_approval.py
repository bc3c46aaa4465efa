"""Contracts are approvable: a rule holds the start of a contract above an amount until approved."""

from datetime import date
from xmlrpc.client import Fault

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SysengageContractsCommon

CONTRACT_USER_GROUPS = "sysengage_contracts.group_user"


class ContractApprovalCommon(SysengageContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, login="sg_contract_clerk", groups=CONTRACT_USER_GROUPS)
        cls.approver = new_test_user(cls.env, login="sg_contract_approver", groups=CONTRACT_USER_GROUPS)
        cls.rule = (
            cls.env["sysengage.approval.rule"]
            .sudo()
            .create(
                {
                    "name": "Contract above 1,000 per period",
                    "model_id": cls.env["ir.model"]._get("sysengage.contract").id,
                    "trigger": "action",
                    "action": "start",
                    "condition_domain": "[('recurring_amount', '>', 1000)]",
                    "field_ids": [
                        Command.set([cls.env["ir.model.fields"]._get("sysengage.contract", "recurring_amount").id])
                    ],
                    "level_ids": [
                        Command.create({"approver_type": "users", "user_ids": [Command.set(cls.approver.ids)]})
                    ],
                }
            )
        )

    @classmethod
    def _draft(cls, price):
        return cls._create_contract(lines=[(cls.service, 1.0, price)], start=date(2026, 1, 1), state="draft")

    def _requests(self, contract):
        return (
            self.env["sysengage.approval.request"]
            .sudo()
            .search([("res_model", "=", "sysengage.contract"), ("res_id", "=", contract.id)])
        )


@tagged("post_install", "-at_install")
class TestContractApproval(ContractApprovalCommon):
    def test_start_action_offered_to_rules(self):
        self.assertIn("sysengage.contract", self.env["sysengage.approval.rule"]._get_approvable_models())
        self.assertIn("start", dict(self.env["sysengage.approval.rule"]._selection_action()))

    def test_small_contract_starts_freely(self):
        contract = self._draft(500.0)
        self.assertEqual(contract.sysengage_approval_state, "not_required")
        contract.with_user(self.clerk).action_start()
        self.assertEqual(contract.state, "running")
        self.assertEqual(self.customer.sysengage_lifecycle_state, "customer", "without the right to edit contacts")

    def test_start_held_until_approved(self):
        contract = self._draft(2500.0)
        self.assertEqual(contract.sysengage_approval_state, "required")
        with self.assertRaisesRegex(UserError, "Contract above 1,000 per period"), self.env.cr.savepoint():
            contract.with_user(self.clerk).action_start()
        contract.invalidate_recordset()
        self.assertEqual(contract.state, "draft", "nothing half-done")
        contract.with_user(self.clerk).action_sysengage_request_approval()
        self.assertEqual(contract.sysengage_approval_state, "pending")
        self.assertIn("Waiting for approval", contract.sysengage_approval_banner)
        with self.assertRaisesRegex(UserError, "pending"), self.env.cr.savepoint():
            contract.with_user(self.clerk).write({"state": "running"})
        contract.invalidate_recordset()
        request = self._requests(contract)
        self.assertEqual(request.state, "pending")
        request.with_user(self.approver).action_approve()
        self.assertEqual(contract.sysengage_approval_state, "approved")
        contract.with_user(self.clerk).action_start()
        self.assertEqual(contract.state, "running")

    def test_changed_amount_needs_a_new_approval(self):
        contract = self._draft(2500.0)
        contract.with_user(self.clerk).action_sysengage_request_approval()
        self._requests(contract).with_user(self.approver).action_approve()
        with Form(contract.with_user(self.clerk)) as form:
            with form.line_ids.edit(0) as line:
                line.price_unit = 4000.0
        self.assertEqual(contract.sysengage_approval_state, "required", "the approval was for 2,500")
        with self.assertRaises(UserError):
            contract.with_user(self.clerk).action_start()

    def test_created_running_is_checked(self):
        with self.assertRaisesRegex(UserError, "Approval is required"):
            self.env["sysengage.contract"].with_user(self.clerk).create(
                {
                    "partner_id": self.customer.id,
                    "date_start": date(2026, 1, 1),
                    "journal_id": self.journal.id,
                    "state": "running",
                    "line_ids": [
                        Command.create(
                            {"product_id": self.service.id, "quantity": 1, "price_unit": 5000.0, "price_forced": True}
                        )
                    ],
                }
            )


@tagged("post_install", "-at_install")
class TestContractApprovalRpc(ContractApprovalCommon, HttpCase):
    """The held start through a running server, as a contracts user with the least groups."""

    def _rpc(self, user, model, method, *args, **kwargs):
        with mute_logger("odoo.addons.rpc.controllers.xmlrpc"):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
            )

    def test_state_written_through_xmlrpc_is_refused_while_pending(self):
        contract = self._draft(2500.0)
        self._rpc(self.clerk, "sysengage.contract", "action_sysengage_request_approval", contract.ids)
        self.assertEqual(self._requests(contract).state, "pending")
        for method, args in (("write", [contract.ids, {"state": "running"}]), ("action_start", [contract.ids])):
            with self.subTest(method=method), mute_logger("odoo.http"), self.assertRaises(Fault) as catcher:
                self._rpc(self.clerk, "sysengage.contract", method, *args)
            self.assertIn("Approval is required", catcher.exception.faultString)
        contract.invalidate_recordset()
        self.assertEqual(contract.state, "draft")
        # nor can the clerk approve it himself
        request = self._requests(contract)
        with mute_logger("odoo.http"), self.assertRaises(Fault):
            self._rpc(self.clerk, "sysengage.approval.request", "action_approve", request.ids)
        self._rpc(self.approver, "sysengage.approval.request", "action_approve", request.ids)
        self._rpc(self.clerk, "sysengage.contract", "write", contract.ids, {"state": "running"})
        contract.invalidate_recordset()
        self.assertEqual(contract.state, "running")
