from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SysengageCommon

CLERK_GROUPS = "account.group_account_invoice,base.group_partner_manager,sysengage_base.group_user"
APPROVER_GROUPS = "account.group_account_manager,base.group_partner_manager,sysengage_base.group_user"


@tagged("post_install", "-at_install")
class TestApprovalPartnerBank(SysengageCommon):
    """General change approval: the shipped payment-fraud rule on customers' and suppliers' bank accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.rule = cls.env.ref("sysengage_base.sysengage_approval_rule_partner_bank").sudo()
        cls.rule.active = True
        cls.clerk = cls._create_user("sg_bank_clerk", CLERK_GROUPS)
        cls.chief = cls._create_user("sg_bank_chief", APPROVER_GROUPS)
        cls.chief_2 = cls._create_user("sg_bank_chief2", APPROVER_GROUPS)
        cls.supplier = cls._create_customer("Lieferant AG")
        # set up by the superuser (install, data migration): not held
        cls.bank = (
            cls.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": "CH9300762011623852957", "partner_id": cls.supplier.id})
            .sudo(False)
        )
        cls.Request = cls.env["sysengage.approval.request"].sudo()

    def _requests(self, bank, **domain):
        search = [("res_model", "=", "res.partner.bank"), ("res_id", "=", bank.id)]
        search += [(key, "=", value) for key, value in domain.items()]
        return self.Request.search(search, order="id")

    def _new_account(self, user, number="CH5604835012345678009"):
        return (
            self.env["res.partner.bank"].with_user(user).create({"acc_number": number, "partner_id": self.supplier.id})
        )

    def test_new_account_held_until_approved(self):
        account = self._new_account(self.clerk)
        self.assertFalse(account.active, "a new account waits archived")
        self.assertNotIn(account, self.supplier.bank_ids, "no payment can pick it meanwhile")
        request = self._requests(account)
        self.assertEqual(request.state, "pending")
        self.assertTrue(request.is_creation)
        # the number as the user typed it, or as formatted by a localisation (l10n_ch groups it by 4)
        held = self.supplier.with_user(self.clerk).sysengage_held_bank_changes
        self.assertIn("CH5604835012345678009", held.replace(" ", ""))
        self.assertEqual(account.sysengage_approval_state, "pending")
        with self.assertRaisesRegex(UserError, "waits for the approval of its creation"):
            account.with_user(self.clerk).write({"active": True})
        with self.assertRaisesRegex(UserError, "waits for the approval of its creation"):
            account.with_user(self.clerk).action_unarchive()
        with self.assertRaises(AccessError):
            request.with_user(self.clerk).action_approve()
        request.with_user(self.chief).action_approve()
        self.assertTrue(account.active)
        self.assertIn(account, self.supplier.bank_ids)
        self.assertTrue(request.applied)

    def test_refused_new_account_is_deleted(self):
        account = self._new_account(self.clerk)
        request = self._requests(account)
        wizard = (
            self.env["sysengage.approval.refuse.wizard"]
            .with_user(self.chief)
            .create({"request_ids": [Command.set(request.ids)], "reason": "Unknown to the supplier"})
        )
        wizard.action_refuse()
        self.assertEqual(request.state, "refused")
        # bank accounts are archived, never deleted (core): the refused one stays out for good
        self.assertFalse(account.exists().active, "the refused account is discarded")
        with self.assertRaisesRegex(UserError, "waits for the approval of its creation"):
            account.with_user(self.clerk).write({"active": True})

    def test_withdrawn_new_account_is_discarded(self):
        account = self._new_account(self.clerk)
        self._requests(account).with_user(self.clerk).action_cancel()
        self.assertFalse(account.exists().active)
        with self.assertRaisesRegex(UserError, "waits for the approval of its creation"):
            account.with_user(self.clerk).write({"active": True})

    def test_two_levels_release_the_account_at_the_last_one(self):
        self.rule.level_ids = [
            Command.create({"sequence": 20, "approver_type": "users", "user_ids": [Command.set(self.chief_2.ids)]})
        ]
        account = self._new_account(self.clerk)
        self._requests(account).with_user(self.chief).action_approve()
        self.assertFalse(account.active)
        with self.assertRaisesRegex(UserError, "waits for the approval of its creation"):
            account.with_user(self.clerk).write({"active": True})
        last = self._requests(account, state="pending")
        self.assertTrue(last.is_creation)
        last.with_user(self.chief_2).action_approve()
        self.assertTrue(account.active)

    def test_change_of_number_held_then_applied(self):
        self.bank.with_user(self.clerk).write({"acc_number": "CH5604835012345678009", "note": "New account"})
        self.assertEqual(self.bank.sanitized_acc_number, "CH9300762011623852957", "the number waits for approval")
        self.assertEqual(self.bank.note, "New account", "other fields are written at once")
        request = self._requests(self.bank, state="pending")
        self.assertIn("CH5604835012345678009", request.proposed_changes.replace(" ", ""))
        self.assertFalse(request.is_creation)
        request.with_user(self.chief).action_approve()
        self.assertEqual(self.bank.sanitized_acc_number, "CH5604835012345678009")
        self.assertTrue(request.applied)

    def test_refused_change_is_discarded(self):
        self.bank.with_user(self.clerk).write({"acc_number": "CH5604835012345678009"})
        request = self._requests(self.bank, state="pending")
        request.with_user(self.chief)._sysengage_refuse("Fraud attempt by e-mail")
        self.assertEqual(request.state, "refused")
        self.assertEqual(self.bank.sanitized_acc_number, "CH9300762011623852957")
        self.assertTrue(self.bank.active)

    def test_change_of_holder_held(self):
        other = self._create_customer("Fraud GmbH")
        self.bank.with_user(self.clerk).write({"partner_id": other.id})
        self.assertEqual(self.bank.partner_id, self.supplier)
        self.assertTrue(self._requests(self.bank, state="pending"))

    def test_requester_cannot_approve_own_change(self):
        self.bank.with_user(self.chief).write({"acc_number": "CH5604835012345678009"})
        request = self._requests(self.bank, state="pending")
        with self.assertRaisesRegex(AccessError, "own approval request"):
            request.with_user(self.chief).action_approve()
        self.assertEqual(self.bank.sanitized_acc_number, "CH9300762011623852957")
        request.with_user(self.chief_2).action_approve()
        self.assertEqual(self.bank.sanitized_acc_number, "CH5604835012345678009")

    def test_import_is_held(self):
        """An import (load) creates and changes accounts through the same guard."""
        self.env["ir.model.data"].create(
            {"name": "sg_bank_import", "module": "__import__", "model": "res.partner.bank", "res_id": self.bank.id}
        )
        result = (
            self.env["res.partner.bank"]
            .with_user(self.clerk)
            .load(
                ["id", "acc_number", "partner_id/.id"],
                [
                    ["__import__.sg_bank_import", "CH5604835012345678009", str(self.supplier.id)],
                    ["", "CH3908704016075473007", str(self.supplier.id)],
                ],
            )
        )
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        self.assertEqual(self.bank.sanitized_acc_number, "CH9300762011623852957", "the imported change is held")
        self.assertTrue(self._requests(self.bank, state="pending"))
        created = self.env["res.partner.bank"].with_context(active_test=False).browse(result["ids"][1])
        self.assertFalse(created.active, "the imported new account waits archived")
        self.assertTrue(self._requests(created, state="pending", is_creation=True))

    def test_inactive_rule_holds_nothing(self):
        self.rule.active = False
        account = self._new_account(self.clerk)
        self.assertTrue(account.active)

    def test_company_rule_on_a_model_without_company(self):
        with self.assertRaisesRegex(ValidationError, "have no company"):
            self.env["sysengage.approval.rule"].sudo().create(
                {
                    "name": "Category accounts",
                    "model_id": self.env["ir.model"]._get("product.category").id,
                    "company_id": self.env.company.id,
                    "trigger": "fields",
                    "field_ids": [Command.set([self.env["ir.model.fields"]._get("product.category", "name").id])],
                    "level_ids": [
                        Command.create({"approver_type": "group", "group_id": self.env.ref("base.group_system").id})
                    ],
                }
            )

    def test_action_rule_on_a_model_without_actions(self):
        with self.assertRaisesRegex(ValidationError, "no guarded action"):
            self.env["sysengage.approval.rule"].sudo().create(
                {
                    "name": "Customer action",
                    "model_id": self.env["ir.model"]._get("res.partner").id,
                    "trigger": "action",
                    "level_ids": [
                        Command.create({"approver_type": "group", "group_id": self.env.ref("base.group_system").id})
                    ],
                }
            )

    def test_any_company_model_is_approvable(self):
        models = self.env["sysengage.approval.rule"]._get_approvable_models()
        for name in ("res.partner", "res.partner.bank", "product.template", "sysengage.price.rule", "account.move"):
            self.assertIn(name, models)
