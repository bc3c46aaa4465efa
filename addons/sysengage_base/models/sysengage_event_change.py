from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SysengageEventChange(models.Model):
    """Old and new value of one field in a "changed" event."""

    _name = "sysengage.event.change"
    _description = "Sysengage Event Change"
    _order = "event_id, id"

    event_id = fields.Many2one("sysengage.event", required=True, readonly=True, ondelete="cascade", index=True)
    field_name = fields.Char(string="Field", required=True, readonly=True)
    field_description = fields.Char(string="Field Label", readonly=True)
    old_value = fields.Text(string="Old Value", readonly=True)
    new_value = fields.Text(string="New Value", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # written together with their event by the logging helper only (see sysengage.event.create)
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
