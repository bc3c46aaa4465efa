from odoo import api, models
from odoo.exceptions import AccessError, UserError


class SysengageHistoryMixin(models.AbstractModel):
    """Rows of the event history: written by the logging helper only, never changed, never deleted."""

    _name = "sysengage.history.mixin"
    _description = "Sysengage Read-only History"

    @api.model_create_multi
    def create(self, vals_list):
        # Only the logging helper (sysengage.event.mixin._sysengage_log_events) creates history rows, in a narrow
        # superuser step; nobody may forge one through the ORM or RPC, whatever their access rights.
        if not self.env.su:
            raise AccessError(self.env._("Events are written by the system only; they cannot be created by hand."))
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")  # users and managers have no write right: a plain access error
        if vals:  # even the superuser cannot change the history
            raise UserError(self.env._("Events cannot be changed: the history is read-only."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        raise UserError(self.env._("Events cannot be deleted: the history is read-only."))
