from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApprovalTour(HttpCase):
    """An approver works through the "To Approve" queue: approve one request, refuse one."""

    def test_approval_tour(self):
        admin = self.env.ref("base.user_admin")
        requester = new_test_user(
            self.env, login="sg_tour_requester", groups="account.group_account_invoice,sysengage_base.group_user"
        )
        rules = self.env["sysengage.approval.rule"]
        for name, partner_name in (("Tour approve rule", "Tour Approval AG"), ("Tour refuse rule", "Tour Refusal AG")):
            rules |= rules.create(
                {
                    "name": name,
                    "model_id": self.env["ir.model"]._get("account.move").id,
                    "trigger": "action",
                    "action": "post",
                    "condition_domain": str(
                        [("move_type", "=", "out_invoice"), ("partner_id.name", "=", partner_name)]
                    ),
                    "level_ids": [
                        Command.create({"approver_type": "users", "user_ids": [Command.set((admin | requester).ids)]})
                    ],
                }
            )
        moves = self.env["account.move"]
        for name in ("Tour Approval AG", "Tour Refusal AG"):
            partner = self.env["res.partner"].create({"name": name, "is_company": True})
            moves |= self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_line_ids": [Command.create({"name": "Audit", "quantity": 1, "price_unit": 500.0})],
                }
            )
        moves.with_user(requester).action_sysengage_request_approval()
        self.start_tour("/odoo", "sysengage_approval_tour", login="admin")
        requests = self.env["sysengage.approval.request"].search([("rule_id", "in", rules.ids)])
        self.assertEqual(len(requests), 2)
        approved = requests.filtered(lambda r: r.res_id == moves[0].id)
        refused = requests.filtered(lambda r: r.res_id == moves[1].id)
        self.assertEqual((approved.state, approved.decided_by_id), ("approved", admin))
        self.assertEqual((refused.state, refused.refusal_reason), ("refused", "Margin too low"))
        self.assertEqual(moves[0].sysengage_approval_state, "approved")
        self.assertEqual(moves[1].sysengage_approval_state, "refused")
        # the banner and the button on the refused invoice's form
        self.start_tour(f"/odoo/account.move/{moves[1].id}", "sysengage_approval_banner_tour", login="admin")
        pending = self.env["sysengage.approval.request"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", moves[1].id), ("state", "=", "pending")]
        )
        self.assertEqual(pending.requester_id, admin)
        self.assertEqual(pending.approver_user_ids, requester, "nobody approves their own request")
