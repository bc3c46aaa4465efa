from odoo import api, models


class SysengageContract(models.Model):
    """Contracts can be approved: rules hold the start of a contract (e.g. above an amount) until
    approved, and rules on a change of fields hold such changes."""

    _name = "sysengage.contract"
    _inherit = ["sysengage.contract", "sysengage.approval.mixin"]

    @api.model
    def _sysengage_approval_actions(self):
        return {"start": self.env._("Start the Contract")}

    @api.model
    def _sysengage_approval_state_actions(self):
        # write({"state": "running"}) through RPC or an import needs the "start" approval like the button
        return {"running": ("start",)}
