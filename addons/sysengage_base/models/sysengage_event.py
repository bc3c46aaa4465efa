from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

EVENT_TYPES = [
    ("create", "Created"),
    ("write", "Changed"),
    ("print", "Printed"),
    ("download", "Downloaded"),
    ("send", "Sent by e-mail"),
    ("export", "Exported"),
    ("archive", "Archived"),
]


class SysengageEvent(models.Model):
    """One entry of the event history: who did what, when, on which record. Never edited."""

    _name = "sysengage.event"
    _inherit = ["sysengage.history.mixin"]
    _description = "Sysengage Event"
    _order = "date desc, id desc"
    _rec_name = "description"

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="User", default=lambda self: self.env.user, readonly=True, index=True, ondelete="set null"
    )
    event_type = fields.Selection(EVENT_TYPES, string="Event", required=True, readonly=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_model_name = fields.Char(string="Document Type", compute="_compute_res_model_name")
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True, index=True)
    res_name = fields.Char(string="Record", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True, index=True, ondelete="cascade")
    description = fields.Text(readonly=True)
    change_ids = fields.One2many("sysengage.event.change", "event_id", string="Changes", readonly=True)
    change_summary = fields.Text(string="Changes summary", compute="_compute_change_summary")

    def _compute_res_model_name(self):
        names = {name: self.env["ir.model"]._get(name).name or name for name in set(self.mapped("res_model"))}
        for event in self:
            event.res_model_name = names.get(event.res_model, event.res_model)

    @api.depends("change_ids")
    def _compute_change_summary(self):
        for event in self:
            event.change_summary = "\n".join(
                f"{change.field_description}: {change.old_value or '∅'} → {change.new_value or '∅'}"
                for change in event.change_ids
            )

    # create / write / unlink: read-only history, see sysengage.history.mixin

    # ------------------------------------------------------------------
    # Access: an event is readable only with the record it describes
    # ------------------------------------------------------------------
    @api.model
    def _history_models(self):
        """The models that keep an event history (they inherit the event mixin), from the registry."""
        mixin_class = self.env.registry["sysengage.event.mixin"]
        return [name for name, model in self.env.items() if isinstance(model, mixin_class) and not model._abstract]

    @api.model
    def _history_readable_domain(self):
        # Override of sysengage.history.mixin: events of records the current user may read (the
        # company rule alone would show the events of records the user may not read: another
        # salesman's offers, restricted invoices), as one subquery per model.
        conditions = []
        for model_name in self._history_models():
            model = self.env[model_name].with_context(active_test=False)
            if model.has_access("read"):
                # the described model's own access rules, as a subquery (archived records included)
                conditions.append(Domain("res_model", "=", model_name) & Domain("res_id", "any!", model._search([])))
        return Domain.OR(conditions)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_record(self):
        self.ensure_one()
        # a stored model name: its addon may have been uninstalled since
        record = self.env[self.res_model].browse(self.res_id).exists() if self.res_model in self.env else False
        if not record:
            raise UserError(self.env._("The record of this event no longer exists."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }
