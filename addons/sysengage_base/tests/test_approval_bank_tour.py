from odoo.tests import HttpCase, new_test_user, tagged

CLERK_GROUPS = "account.group_account_invoice,base.group_partner_manager,sysengage_base.group_user"
APPROVER_GROUPS = "account.group_account_manager,base.group_partner_manager,sysengage_base.group_user"
OLD_IBAN = "CH9300762011623852957"
NEW_IBAN = "CH5604835012345678009"


@tagged("post_install", "-at_install")
class TestApprovalBankTour(HttpCase):
    """The payment-fraud guard in the browser: a changed IBAN is held on the customer until approved."""

    def test_bank_change_held_then_approved(self):
        self.env.ref("sysengage_base.sysengage_approval_rule_partner_bank").active = True
        clerk = new_test_user(self.env, login="sg_bank_tour_clerk", groups=CLERK_GROUPS)
        approver = new_test_user(self.env, login="sg_bank_tour_chief", groups=APPROVER_GROUPS)
        if "hr.employee" in self.env:
            # with hr installed (e.g. through sysengage_ged_hr), core's bank account form computes the
            # account's employees, which only HR officers may read: Odoo 19 refuses the dialog otherwise
            clerk.group_ids += self.env.ref("hr.group_hr_user")
        customer = self.env["res.partner"].create({"name": "Bergbahnen Tour AG", "is_company": True})
        # set up by the superuser (a migration): not held
        bank = self.env["res.partner.bank"].create({"acc_number": OLD_IBAN, "partner_id": customer.id})

        self.start_tour(f"/odoo/res.partner/{customer.id}", "sysengage_approval_bank_change_tour", login=clerk.login)
        bank.invalidate_recordset()
        self.assertEqual(bank.sanitized_acc_number, OLD_IBAN, "the change is held, not applied")
        request = self.env["sysengage.approval.request"].search(
            [("res_model", "=", "res.partner.bank"), ("res_id", "=", bank.id)]
        )
        self.assertEqual((request.state, request.requester_id), ("pending", clerk))

        self.start_tour("/odoo", "sysengage_approval_bank_approve_tour", login=approver.login)
        bank.invalidate_recordset()
        request.invalidate_recordset()
        self.assertEqual((request.state, request.decided_by_id), ("approved", approver))
        self.assertTrue(request.applied)
        self.assertEqual(bank.sanitized_acc_number, NEW_IBAN, "applied once approved")
