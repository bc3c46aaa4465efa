from odoo import api, fields, models
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
    def _history_readable_domain(self):
        # Override of sysengage.history.mixin: the old and new values are readable only with their event
        return Domain("event_id", "any", self.env["sysengage.event"]._search([]))
