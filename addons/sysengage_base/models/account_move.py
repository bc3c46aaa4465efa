from odoo import api, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "sysengage.approval.mixin"]

    @api.model
    def _sysengage_approval_actions(self):
        return {"post": self.env._("Post")}

    def _post(self, soft=True):
        # Override: every way of posting (button, RPC, batch validation wizard, auto-post cron)
        # goes through _post, so the "post" approval rules are enforced here.
        self._sysengage_approval_check("post")
        return super()._post(soft=soft)
