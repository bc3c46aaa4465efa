from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command


class SysengageReminderRule(models.Model):
    """A reminder a manager configures without code, carried out by a time-based automation rule.

    Each rule owns one ``base.automation`` (trigger "Based on date field") and its server action
    (schedule an activity or send a templated e-mail). The automation's scheduler runs it on the
    records whose date entered the window since its last run, so a record fires once, not twice.
    """

    _name = "sysengage.reminder.rule"
    _description = "Sysengage Reminder Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    kind = fields.Selection(selection="_selection_kind", required=True)
    delay = fields.Integer(required=True, default=7, help="Number of days or months of the condition.")
    delay_unit = fields.Selection([("day", "Days"), ("month", "Months")], required=True, default="day")
    action_type = fields.Selection(
        [("activity", "Schedule an activity"), ("email", "Send an e-mail")], required=True, default="activity"
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity type")
    activity_summary = fields.Char(translate=True)
    activity_note = fields.Html(translate=True)
    activity_deadline_days = fields.Integer(string="Due in (days)", default=0)
    model_name = fields.Char(compute="_compute_model_name")
    mail_template_id = fields.Many2one("mail.template", string="E-mail template", domain="[('model', '=', model_name)]")
    automation_id = fields.Many2one("base.automation", readonly=True, copy=False, ondelete="set null")
    last_run = fields.Datetime(related="automation_id.last_run")
    description = fields.Text(compute="_compute_model_name")

    _delay_positive = models.Constraint("CHECK(delay > 0)", "The delay of a reminder must be positive.")

    @api.model
    def _get_kinds(self):
        """Reminder kinds, keyed by code, as declared by the addon that owns their model.

        ``mode`` "after" fires ``delay`` after the stored date field ``date_field``, "before"
        ``delay`` before it; ``domain`` restricts the records; ``user_field`` names who gets the
        activity. Bridges add theirs with ``super()`` (offers about to expire in
        ``sysengage_crm_light_sale``, contract renewals in ``sysengage_crm_light_contracts``).
        """
        return {
            "no_offer": {
                "label": self.env._("No offer for a customer in N months"),
                "model": "res.partner",
                "date_field": "sysengage_last_offer_date",
                "mode": "after",
                "domain": [("is_company", "=", True), ("sysengage_lifecycle_state", "=", "customer")],
                "user_field": "user_id",
            },
            "lead_no_activity": {
                "label": self.env._("Opportunity without activity for N days"),
                "model": "crm.lead",
                "date_field": "sysengage_last_activity_date",
                "mode": "after",
                "domain": [("type", "=", "opportunity"), ("won_status", "=", "pending")],
                "user_field": "user_id",
            },
        }

    @api.model
    def _selection_kind(self):
        return [(code, spec["label"]) for code, spec in self._get_kinds().items()]

    @api.constrains("kind", "action_type", "activity_type_id", "mail_template_id")
    def _check_action(self):
        for rule in self:
            if rule.action_type == "activity" and not rule.activity_type_id:
                raise ValidationError(self.env._("The reminder %(name)s needs an activity type.", name=rule.name))
            if rule.action_type == "email":
                if not rule.mail_template_id:
                    raise ValidationError(self.env._("The reminder %(name)s needs an e-mail template.", name=rule.name))
                if rule.mail_template_id.model != rule.model_name:
                    raise ValidationError(
                        self.env._(
                            "The e-mail template of %(name)s must be made for %(model)s.",
                            name=rule.name,
                            model=rule.model_name,
                        )
                    )

    @api.depends("kind", "delay", "delay_unit")
    def _compute_model_name(self):
        kinds = self._get_kinds()
        for rule in self:
            spec = kinds.get(rule.kind)
            rule.model_name = spec["model"] if spec else False
            rule.description = (
                self.env._(
                    "Runs on %(model)s, %(delay)s %(unit)s %(mode)s the field %(field)s.",
                    model=spec["model"],
                    delay=rule.delay,
                    unit=dict(self._fields["delay_unit"]._description_selection(self.env)).get(rule.delay_unit),
                    mode=self.env._("after") if spec["mode"] == "after" else self.env._("before"),
                    field=self.env[spec["model"]]._fields[spec["date_field"]].get_description(self.env)["string"],
                )
                if spec
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_managed_fields(vals)
        rules = super().create(vals_list)
        rules._sync_automation()
        return rules

    def write(self, vals):
        self._check_managed_fields(vals)
        result = super().write(vals)
        if set(vals) - {"sequence", "automation_id"}:
            self._sync_automation()
        return result

    def unlink(self):
        # the automation and its server action belong to the rule: remove them with it (its own only)
        automations = self._get_own_automations()
        result = super().unlink()
        automations.unlink()
        return result

    @api.model
    def _check_managed_fields(self, vals):
        """The automation of a reminder is set by the reminder's own code only (as superuser), never by a client."""
        if "automation_id" in vals and not self.env.su:
            raise AccessError(self.env._("The automation rule of a reminder is managed by the reminder itself."))

    # ------------------------------------------------------------------
    # Automation
    # ------------------------------------------------------------------
    def _get_own_automations(self):
        """The automations (as superuser) created by the rules of ``self`` -- never another one they point to."""
        return self.sudo().automation_id.filtered(
            lambda automation: automation.sysengage_reminder_rule_id.id in self.ids
        )

    def _sync_automation(self):
        """Create or update the automation rule (and its server action) carrying each reminder."""
        kinds = self._get_kinds()
        for rule in self:
            spec = kinds.get(rule.kind)
            if not spec:
                continue
            vals = rule._prepare_automation_vals(spec)
            action_vals = rule._prepare_action_vals(spec)
            # automation rules are system records (base.group_system): the reminder, which a
            # manager may only set to fixed kinds and actions, maintains its own one
            automation = rule._get_own_automations()
            if automation:
                automation.action_server_ids.write(action_vals)
                automation.write(vals)
            else:
                vals["action_server_ids"] = [Command.create(action_vals)]
                vals["sysengage_reminder_rule_id"] = rule.id
                rule.sudo().automation_id = self.env["base.automation"].sudo().create(vals)

    def _prepare_automation_vals(self, spec):
        self.ensure_one()
        model = self.env["ir.model"]._get(spec["model"])
        date_field = self.env["ir.model.fields"]._get(spec["model"], spec["date_field"])
        return {
            "name": self.env._("Reminder: %(name)s", name=self.name),
            "model_id": model.id,
            "trigger": "on_time",
            "trg_date_id": date_field.id,
            "trg_date_range": self.delay,
            "trg_date_range_mode": spec["mode"],
            "trg_date_range_type": self.delay_unit,
            "filter_domain": repr(self._sysengage_get_domain(spec)),
            "active": self.active,
        }

    def _sysengage_get_domain(self, spec):
        domain = list(spec["domain"])
        if self.company_id and "company_id" in self.env[spec["model"]]._fields:
            domain.append(("company_id", "in", [self.company_id.id, False]))
        return domain

    def _prepare_action_vals(self, spec):
        self.ensure_one()
        model = self.env["ir.model"]._get(spec["model"])
        vals = {"name": self.name, "model_id": model.id, "usage": "base_automation"}
        if self.action_type == "activity":
            vals.update(
                {
                    "state": "next_activity",
                    "activity_type_id": self.activity_type_id.id,
                    "activity_summary": self.activity_summary or self.activity_type_id.summary or self.name,
                    "activity_note": self.activity_note,
                    "activity_date_deadline_range": self.activity_deadline_days,
                    "activity_date_deadline_range_type": "days",
                    "activity_user_type": "generic",
                    "activity_user_field_name": spec["user_field"],
                }
            )
        else:
            vals.update({"state": "mail_post", "template_id": self.mail_template_id.id, "mail_post_method": "email"})
        return vals

    @api.model
    def _adopt_automations(self):
        """At update: mark as its own the automation each rule created before rules recorded it.

        Only an automation of the rule's model, not claimed by another rule, with the name the rule
        gave it, is adopted; any other link is left for the rule to replace with one of its own.
        """
        kinds = self._get_kinds()
        rules = self.with_context(active_test=False).search([("automation_id", "!=", False)]).sudo()
        claimed = rules.automation_id.filtered("sysengage_reminder_rule_id")
        for rule in rules:
            automation = rule.automation_id
            spec = kinds.get(rule.kind)
            if automation in claimed or not spec or automation.model_id.model != spec["model"]:
                continue
            if automation.name.endswith(rule.name) and automation.trigger == "on_time":
                automation.sysengage_reminder_rule_id = rule
                claimed |= automation

    def action_open_automation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.automation",
            "res_id": self.automation_id.id,
            "views": [(False, "form")],
        }
