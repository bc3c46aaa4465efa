from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain


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

    # ------------------------------------------------------------------
    # Access: a history row is readable only with the record it describes
    # ------------------------------------------------------------------
    @api.model
    def _history_readable_domain(self):
        """The rows the current user may read, as a domain; each history model says which."""
        raise NotImplementedError(self._name)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, active_test=True, bypass_access=False):
        # Override: the record rules alone cannot say "readable with the record it describes"
        if not (self.env.su or bypass_access):
            domain = Domain(domain) & self._history_readable_domain()
        return super()._search(
            domain, offset=offset, limit=limit, order=order, active_test=active_test, bypass_access=bypass_access
        )

    def _check_access(self, operation):
        # Override: reading rows by id (read, web_read) follows the same rule as searching them
        result = super()._check_access(operation)
        if operation != "read" or self.env.su or not self:
            return result
        forbidden = result[0] if result else self.browse()
        rest = self - forbidden
        if rest:
            allowed = self.browse(
                self._search(Domain("id", "in", rest.ids) & self._history_readable_domain(), bypass_access=True)
            )
            forbidden |= rest - allowed
        if not forbidden:
            return None
        return forbidden, lambda: AccessError(self.env._("You may only read the history of records you may read."))
