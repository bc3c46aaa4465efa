"""Shared set-up of the approval engine tests: users, an approver group, a rule factory.

The engine is exercised on ``account.move``, which sysengage_base makes approvable (``_post``).
"""

from odoo import Command

from .common import SysengageCommon

INVOICE_GROUPS = "account.group_account_invoice,sysengage_base.group_user"


class ApprovalCommon(SysengageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # rules are configured by the superuser in set-up; tests switch to real users with with_user
        cls.Rule = cls.env["sysengage.approval.rule"].sudo()
        cls.Request = cls.env["sysengage.approval.request"]
        cls.move_model = cls.env["ir.model"]._get("account.move")
        cls.manager = cls._create_user("sg_appr_boss", INVOICE_GROUPS)
        cls.requester = cls._create_user("sg_appr_requester", INVOICE_GROUPS)
        cls.requester.sysengage_approval_manager_id = cls.manager
        cls.approver = cls._create_user("sg_appr_approver", INVOICE_GROUPS)
        cls.approver_2 = cls._create_user("sg_appr_approver2", INVOICE_GROUPS)
        cls.outsider = cls._create_user("sg_appr_outsider", INVOICE_GROUPS)
        cls.sg_manager = cls._create_user(
            "sg_appr_sg_manager", "account.group_account_invoice,sysengage_base.group_manager"
        )
        cls.approver_group = cls.env["res.groups"].create(
            {"name": "Finance approvers", "user_ids": [Command.link(cls.approver_2.id)]}
        )
        cls.customer = cls._create_customer("Approval AG")
        cls.service = cls._create_service("Audit day", price=1000.0)

    @classmethod
    def _create_rule(cls, name="Invoice above 10,000", levels=None, **vals):
        """An action rule on posting account.move; ``levels`` is a list of level values."""
        if levels is None:
            levels = [{"approver_type": "users", "user_ids": [Command.set(cls.approver.ids)]}]
        values = {
            "name": name,
            "model_id": cls.move_model.id,
            "trigger": "action",
            "action": "post",
            "condition_domain": "[('move_type', '=', 'out_invoice'), ('amount_untaxed', '>', 10000)]",
            "field_ids": [
                Command.set(
                    [
                        cls.env["ir.model.fields"]._get("account.move", "amount_untaxed").id,
                        cls.env["ir.model.fields"]._get("account.move", "partner_id").id,
                    ]
                )
            ],
            "level_ids": [Command.create(dict(level, sequence=10 * (i + 1))) for i, level in enumerate(levels)],
        }
        values.update(vals)
        return cls.Rule.create(values)

    @classmethod
    def _big_invoice(cls, quantity=12, **vals):
        """A draft customer invoice of ``quantity`` x 1,000 (untaxed), made by the requester."""
        move = cls._create_invoice(cls.customer, [(cls.service, quantity, 1000.0)], **vals)
        return move.with_user(cls.requester)

    def _requests(self, move, **domain):
        search = [("res_model", "=", "account.move"), ("res_id", "=", move.id)]
        search += [(key, "=", value) for key, value in domain.items()]
        return self.Request.search(search, order="id")
