from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain


class SysengageEventChange(models.Model):
    """Old and new value of one field in a "changed" event."""

    _name = "sysengage.event.change"
    _inherit = ["sysengage.history.mixin"]
    _description = "Sysengage Event Change"
    _order = "event_id, id"

    event_id = fields.Many2one("sysengage.event", required=True, readonly=True, ondelete="cascade", index=True)
    field_name = fields.Char(string="Field", required=True, readonly=True)
    field_description = fields.Char(string="Field Label", readonly=True)
    old_value = fields.Text(string="Old Value", readonly=True)
    new_value = fields.Text(string="New Value", readonly=True)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, active_test=True, bypass_access=False):
        # Override: the old and new values are readable only with their event (see sysengage.event)
        if not (self.env.su or bypass_access):
            domain = Domain(domain) & Domain("event_id", "any", self.env["sysengage.event"]._search([]))
        return super()._search(
            domain, offset=offset, limit=limit, order=order, active_test=active_test, bypass_access=bypass_access
        )

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if operation != "read" or self.env.su or not self:
            return result
        forbidden = result[0] if result else self.browse()
        rest = self - forbidden
        if rest:
            # the events are read with sudo only to know which ones the user may read
            events = rest.sudo().event_id.sudo(False)
            readable = events._filtered_access("read")
            forbidden |= rest.filtered(lambda change: change.sudo().event_id.id not in readable.ids)
        if not forbidden:
            return None
        return forbidden, lambda: AccessError(
            self.env._("You may only read the history of records you may read.")
        )
