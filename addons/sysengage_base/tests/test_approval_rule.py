from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalRuleConfiguration(ApprovalCommon):
    """A rule is checked when it is saved, with a clear message."""

    def test_formula_validated_on_save(self):
        rule = self._create_rule(condition_formula="record.amount_total > 10000")
        with self.assertRaisesRegex(ValidationError, "syntax error at line 1"):
            rule.condition_formula = "record.amount_total >"
        with self.assertRaisesRegex(ValidationError, "calling 'unlink' is not allowed"):
            rule.condition_formula = "record.unlink()"
        with self.assertRaisesRegex(ValidationError, "underscore"):
            rule.condition_formula = "record.__class__"
        with self.assertRaisesRegex(ValidationError, "unknown name 'os'"):
            rule.condition_formula = "os.path"
        with self.assertRaisesRegex(ValidationError, "'env' is not allowed"):
            rule.condition_formula = "record.env['res.users']"
        rule.condition_formula = "max(record.invoice_line_ids.mapped('discount')) > 15 and user.id > 0"

    def test_formula_failure_is_a_clear_error(self):
        self._create_rule(condition_formula="record.amount_total / 0 > 1")
        move = self._big_invoice()
        with self.assertRaisesRegex(UserError, "cannot be evaluated.*formula failed") as caught:
            move.action_post()
        # the formula reads with sudo: the error names the rule, not the values it read
        self.assertNotIn("ZeroDivisionError", str(caught.exception))
        # the document still opens: the state shows that approval is needed
        self.assertEqual(move.sysengage_approval_state, "required")

    def test_domain_validated_on_save(self):
        with self.assertRaisesRegex(ValidationError, "domain"):
            self._create_rule(condition_domain="[('no_such_field', '=', 1)]")
        with self.assertRaisesRegex(ValidationError, "domain"):
            self._create_rule(condition_domain="[('amount_total', '>'")

    def test_trigger_validated(self):
        with self.assertRaisesRegex(ValidationError, "not guarded"):
            self._create_rule(action="confirm")
        with self.assertRaisesRegex(ValidationError, "select them"):
            self._create_rule(trigger="fields", action=False, field_ids=[Command.clear()])
        with self.assertRaisesRegex(ValidationError, "computed"):
            self._create_rule(trigger="fields", action=False)
        with self.assertRaisesRegex(ValidationError, "at least one level"):
            self._create_rule(levels=[])
        with self.assertRaisesRegex(ValidationError, "Select the approvers"):
            self._create_rule(levels=[{"approver_type": "users"}])
        with self.assertRaisesRegex(ValidationError, "approver group"):
            self._create_rule(levels=[{"approver_type": "group"}])
        with self.assertRaisesRegex(ValidationError, "cannot be approved"):
            self._create_rule(model_id=self.env["ir.model"]._get("res.country").id, condition_domain="[]", field_ids=[])

    def test_only_approvable_models_and_their_actions(self):
        self.assertIn("account.move", self.Rule._get_approvable_models())
        self.assertNotIn("sysengage.approval.mixin", self.Rule._get_approvable_models())
        self.assertIn("post", dict(self.Rule._selection_action()))

    def test_rule_form(self):
        form = Form(self.Rule)
        form.name = "Posting any invoice"
        form.model_id = self.move_model
        self.assertEqual(form.action, "post", "the model's guarded action is proposed")
        with form.level_ids.new() as level:
            level.approver_type = "manager"
        rule = form.save()
        self.assertEqual(rule.level_count, 1)
        self.assertEqual(rule.level_ids.display_name, "Level 1: Requester's manager")

    def test_rule_cache_follows_configuration(self):
        move = self._big_invoice()
        self.assertEqual(move.sysengage_approval_state, "not_required")
        rule = self._create_rule()
        move.invalidate_recordset()
        self.assertEqual(move.sysengage_approval_state, "required")
        rule.active = False
        move.invalidate_recordset()
        self.assertEqual(move.sysengage_approval_state, "not_required")
        # the cache of rules does not take archived rules from a caller's active_test=False
        self.env.registry.clear_cache()
        self.assertEqual(move.with_context(active_test=False).sysengage_approval_state, "not_required")
        move.invalidate_recordset()
        self.assertEqual(move.sysengage_approval_state, "not_required")
        action = rule.action_view_requests()
        self.assertEqual(action["domain"], [("rule_id", "=", rule.id)])

    def test_rule_with_requests_is_archived_not_deleted(self):
        rule = self._create_rule()
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        with self.assertRaisesRegex(UserError, "archive"):
            rule.unlink()
        with self.assertRaisesRegex(UserError, "archive"):
            rule.level_ids.unlink()
        unused = self._create_rule(name="Unused")
        unused.unlink()
        self.assertFalse(unused.exists())
