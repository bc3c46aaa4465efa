from odoo import api, fields, models, tools
from odoo.tools import SQL


class SysengagePlanningItem(models.Model):
    """The global planning: every rep's appointments and open activities over time (read only).

    A SQL view over ``calendar.event`` (by organizer) and open ``mail.activity`` records, shown as a
    calendar, a list and a pivot, filtered by rep and sales team. Private appointments show as busy.
    """

    _name = "sysengage.planning.item"
    _description = "Sysengage Planning Item"
    _auto = False
    _order = "date_start, id"
    _rec_name = "name"

    kind = fields.Selection([("event", "Appointment"), ("activity", "Activity")], readonly=True)
    name = fields.Char(readonly=True)
    is_private = fields.Boolean(readonly=True)
    date_start = fields.Datetime(string="Start", readonly=True)
    date_stop = fields.Datetime(string="End", readonly=True)
    all_day = fields.Boolean(readonly=True)
    user_id = fields.Many2one("res.users", string="Sales rep", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    res_model = fields.Char(string="Document model", readonly=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", readonly=True)
    overdue = fields.Boolean(readonly=True, help="An activity past its due date.")

    @api.depends("name", "is_private")
    def _compute_display_name(self):
        for item in self:
            item.display_name = self.env._("Private appointment") if item.is_private else item.name

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._sysengage_get_query())
        )

    @api.model
    def _get_activity_models(self):
        """Documents of the sales work whose activities the planning shows.

        An activity on another model (e.g. HR) stays out of this sales overview. Bridges add their
        model with ``super()`` and inherit this model, so that installing them rebuilds the view.
        """
        return ["res.partner", "crm.lead", "account.move"]

    @api.model
    def _sysengage_get_query(self):
        activity_models = self._get_activity_models()
        return SQL(
            """
            SELECT event.id * 2 AS id,
                   'event' AS kind,
                   CASE WHEN %(event_private)s THEN NULL ELSE event.name END AS name,
                   %(event_private)s AS is_private,
                   event.start AS date_start,
                   event.stop AS date_stop,
                   COALESCE(event.allday, FALSE) AS all_day,
                   event.user_id,
                   event.sysengage_team_id AS team_id,
                   users.company_id,
                   NULL::integer AS activity_type_id,
                   'calendar.event' AS res_model,
                   event.id AS res_id,
                   FALSE AS overdue
              FROM calendar_event event
              JOIN res_users users ON users.id = event.user_id
              LEFT JOIN res_users_settings settings ON settings.user_id = event.user_id
             WHERE event.active
            UNION ALL
            SELECT activity.id * 2 + 1 AS id,
                   'activity' AS kind,
                   COALESCE(NULLIF(activity.summary, ''), activity.res_name) AS name,
                   FALSE AS is_private,
                   activity.date_deadline::timestamp AS date_start,
                   activity.date_deadline::timestamp AS date_stop,
                   TRUE AS all_day,
                   activity.user_id,
                   activity.sysengage_team_id AS team_id,
                   users.company_id,
                   activity.activity_type_id,
                   activity.res_model,
                   activity.res_id,
                   activity.date_deadline < CURRENT_DATE AS overdue
              FROM mail_activity activity
              JOIN res_users users ON users.id = activity.user_id
             WHERE activity.active AND activity.res_model IN %(activity_models)s
            """,
            event_private=SQL("COALESCE(event.privacy, settings.calendar_default_privacy, 'public') = 'private'"),
            activity_models=tuple(activity_models),
        )

    def action_open_document(self):
        """Open the appointment, or the document the activity is planned on."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }
