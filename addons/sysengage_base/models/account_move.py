from odoo import api, models

from .account_move_line import check_company_once, in_move_batch


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "sysengage.approval.mixin"]

    @api.model
    def _sysengage_approval_actions(self):
        return {"post": self.env._("Post")}

    @api.model
    def _sysengage_approval_state_actions(self):
        # write({"state": "posted"}) through RPC needs the "post" approval like the button
        return {"posted": ("post",)}

    def _sysengage_approval_document_name(self):
        # a draft invoice is only "Draft Invoice": the approvers' queue also shows the partner
        name = super()._sysengage_approval_document_name()
        if self.partner_id:
            name = f"{name} - {self.partner_id.display_name}"
        return name

    def write(self, vals):
        # Override: account.move.write protects the totals while it synchronises lines and taxes,
        # so the approvals are compared again here, after that synchronisation (see the mixin).
        before = self._sysengage_approval_snapshot()
        res = super().write(vals)
        self._sysengage_approval_reset_changed(before)
        return res

    def _check_company(self, fnames=None):
        # Override: inside a batch creation of the suite, once per distinct company and value (see the items)
        if in_move_batch(self.env):
            return check_company_once(self, fnames, lambda moves, names: super()._check_company(names))
        return super()._check_company(fnames)

    def _post(self, soft=True):
        # Override: every way of posting (button, RPC, batch validation wizard, auto-post cron)
        # goes through _post, so the "post" approval rules are enforced here.
        self._sysengage_approval_check("post")
        posted = super()._post(soft=soft)
        posted._sysengage_mark_invoiced_customers()
        return posted

    def _sysengage_mark_invoiced_customers(self):
        """A posted customer invoice makes its partner a customer (the lifecycle's "posted invoice" step)."""
        invoices = self.filtered(lambda move: move.move_type == "out_invoice" and move.state == "posted")
        # narrow sudo: whoever may post an invoice records the lifecycle of its customer, even
        # without the right to edit contacts; only the lifecycle fields are written
        invoices.commercial_partner_id.sudo()._sysengage_mark_customer()
