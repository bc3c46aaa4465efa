import hashlib
import json
import logging

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from odoo.addons.sysengage_base.tools.approval_formula import (
    FormulaError,
    FormulaSyntaxError,
    parse_formula,
)

_logger = logging.getLogger(__name__)

# names a rule formula may use; the values are given by ``_formula_namespace``
FORMULA_NAMES = ("record", "user", "company", "today", "now")


class SysengageApprovalRule(models.Model):
    _name = "sysengage.approval.rule"
    _description = "Approval Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to apply the rule in every company.",
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Document Model",
        required=True,
        ondelete="cascade",
        domain=lambda self: [("model", "in", self._get_approvable_models())],
    )
    model_name = fields.Char(related="model_id.model", store=True, index=True, string="Model Name")
    trigger = fields.Selection(
        [("action", "On an action"), ("fields", "On a change of fields")],
        required=True,
        default="action",
        help="On an action: the action (confirm, send, post...) is blocked until approved.\n"
        "On a change of fields: a change of the watched fields that meets the condition is held "
        "as a pending request and applied once approved.",
    )
    action = fields.Selection(selection="_selection_action", string="Action")
    field_ids = fields.Many2many(
        "ir.model.fields",
        string="Watched Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="On a change of fields: the fields whose change needs approval.\n"
        "On an action: a change of these fields on an approved document resets the approval.",
    )
    hold_creation = fields.Boolean(
        string="Hold New Records",
        help="On a change of fields: a new record meeting the condition is also held. It is created "
        "archived (out of every list and selection) and activated once approved; a refusal deletes it.",
    )
    condition_domain = fields.Char(string="Condition (Domain)", default="[]")
    condition_formula = fields.Text(
        string="Condition (Formula)",
        help="A Python expression on 'record' (also 'user', 'company', 'today', 'now'), e.g. "
        "record.amount_total > 10000 or max(record.order_line.mapped('discount')) > 15. "
        "When both a domain and a formula are set, both must hold.",
    )
    level_ids = fields.One2many("sysengage.approval.rule.level", "rule_id", string="Levels", copy=True)
    level_count = fields.Integer(compute="_compute_level_count")
    reminder_days = fields.Integer(
        default=2, help="Re-ping the approvers of a request still pending after this many days (0: never)."
    )
    allow_self_approval = fields.Boolean(
        string="Requester May Approve",
        help="By default the person who requested the approval cannot approve it, even as an approver.",
    )
    note = fields.Text(string="Instructions", translate=True, help="Shown to approvers on the request.")
    request_ids = fields.One2many("sysengage.approval.request", "rule_id", string="Requests")
    request_count = fields.Integer(compute="_compute_request_count")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("condition_formula")
    def _check_condition_formula(self):
        for rule in self:
            if rule.condition_formula and rule.condition_formula.strip():
                try:
                    parse_formula(rule.condition_formula, FORMULA_NAMES)
                except FormulaSyntaxError as error:
                    raise ValidationError(
                        self.env._(
                            "The formula of the approval rule %(rule)s is not accepted: %(error)s",
                            rule=rule.name,
                            error=self._formula_message(error),
                        )
                    ) from error

    @api.constrains("condition_domain", "model_id")
    def _check_condition_domain(self):
        for rule in self:
            try:
                domain = rule._sysengage_domain()
                Domain(domain).validate(self.env[rule.model_name].sudo())
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The domain of the approval rule %(rule)s is invalid: %(error)s", rule=rule.name, error=error
                    )
                ) from error

    @api.constrains("model_id", "trigger", "action", "field_ids", "level_ids", "company_id", "hold_creation")
    def _check_trigger(self):
        approvable = self._get_approvable_models()
        for rule in self:
            if rule.model_name not in approvable:
                raise ValidationError(
                    self.env._(
                        "The model %(model)s cannot be approved (it lacks the approval mixin).",
                        model=rule.model_id.name,
                    )
                )
            model_fields = self.env[rule.model_name]._fields
            if rule.company_id and "company_id" not in model_fields:
                raise ValidationError(
                    self.env._(
                        "The approval rule %(rule)s is restricted to the company %(company)s, but %(model)s "
                        "records have no company: leave the company empty to apply the rule everywhere.",
                        rule=rule.name,
                        company=rule.company_id.name,
                        model=rule.model_id.name,
                    )
                )
            if rule.hold_creation and (rule.trigger != "fields" or not self.env[rule.model_name]._active_name):
                raise ValidationError(
                    self.env._(
                        "The approval rule %(rule)s cannot hold new %(model)s records: only a rule on a change "
                        "of fields, on a model that can be archived, holds creations.",
                        rule=rule.name,
                        model=rule.model_id.name,
                    )
                )
            if not rule.level_ids:
                raise ValidationError(
                    self.env._("The approval rule %(rule)s needs at least one level.", rule=rule.name)
                )
            model = self.env[rule.model_name]
            if set(rule.field_ids.mapped("model")) - {rule.model_name}:
                raise ValidationError(self.env._("The watched fields must belong to the rule's model."))
            if rule.trigger == "action":
                if not model._sysengage_approval_actions():
                    raise ValidationError(
                        self.env._(
                            "%(model)s has no guarded action: approve its changes with a rule on a change of fields.",
                            model=rule.model_id.name,
                        )
                    )
                if rule.action not in model._sysengage_approval_actions():
                    raise ValidationError(
                        self.env._(
                            "The action %(action)s is not guarded on %(model)s; choose one of: %(actions)s.",
                            action=rule.action or "-",
                            model=rule.model_id.name,
                            actions=", ".join(model._sysengage_approval_actions()),
                        )
                    )
            else:
                if not rule.field_ids:
                    raise ValidationError(
                        self.env._(
                            "The approval rule %(rule)s watches a change of fields: select them.", rule=rule.name
                        )
                    )
                for field in rule.field_ids:
                    orm_field = model._fields.get(field.name)
                    if not orm_field or not orm_field.store or (orm_field.compute and not orm_field.inverse):
                        raise ValidationError(
                            self.env._(
                                "The field %(field)s is computed: a change of it cannot be held for approval.",
                                field=field.field_description,
                            )
                        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("level_ids")
    def _compute_level_count(self):
        for rule in self:
            rule.level_count = len(rule.level_ids)

    def _compute_request_count(self):
        counts = dict(
            self.env["sysengage.approval.request"]._read_group([("rule_id", "in", self.ids)], ["rule_id"], ["__count"])
        )
        for rule in self:
            rule.request_count = counts.get(rule, 0)

    @api.onchange("model_id")
    def _onchange_model_id(self):
        self.field_ids = self.field_ids.filtered(lambda f: f.model_id == self.model_id)
        actions = self.model_name and self.env[self.model_name]._sysengage_approval_actions() or {}
        if self.action not in actions:
            self.action = next(iter(actions), False)

    # ------------------------------------------------------------------
    # CRUD: the per-model cache of rules must follow the configuration
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_requested(self):
        if self.env["sysengage.approval.request"].sudo().search_count([("rule_id", "in", self.ids)], limit=1):
            raise UserError(self.env._("An approval rule with requests cannot be deleted: archive it instead."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_base.sysengage_approval_request_action")
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_approvable_models(self):
        # the registry class of a model that inherits the mixin (in any extension) subclasses the mixin's class
        mixin_class = self.env.registry["sysengage.approval.mixin"]
        return [name for name, model in self.env.items() if isinstance(model, mixin_class) and not model._abstract]

    @api.model
    def _selection_action(self):
        labels = {}
        for name in self._get_approvable_models():
            labels.update(self.env[name]._sysengage_approval_actions())
        return sorted(labels.items(), key=lambda item: item[0])

    @api.model
    @tools.ormcache("model_name")
    def _rule_ids_by_model(self, model_name):
        """Ids of the active rules of a model (cached; cleared when rules change).

        The rules are configuration, read with sudo: enforcement must not depend on whether the
        acting user may read the rule.
        """
        # explicit active_test: the cached answer must not depend on the first caller's context
        return tuple(self.sudo().with_context(active_test=True).search([("model_name", "=", model_name)]).ids)

    @api.model
    def _rules_for(self, records, trigger=None, action=None):
        """Applicable rules (sudo recordset) for ``records``'s model, optionally per trigger/action."""
        rules = self.sudo().browse(self._rule_ids_by_model(records._name))
        if trigger:
            rules = rules.filtered(lambda r: r.trigger == trigger)
        if action:
            rules = rules.filtered(lambda r: r.action == action)
        return rules

    def _applies_to_company(self, record):
        self.ensure_one()
        if not self.company_id:
            return True
        # a document without company (shared) follows the company the user works in
        company = record.company_id if "company_id" in record._fields else self.env["res.company"]
        return (company or self.env.company) == self.company_id

    def _sysengage_domain(self):
        self.ensure_one()
        context = {
            "uid": self.env.uid,
            "user": self.env.user,
            "company_id": self.env.company.id,
            "company_ids": self.env.companies.ids,
            "datetime": safe_datetime,
            "context_today": safe_datetime.date.today,
        }
        return safe_eval(self.condition_domain or "[]", context)

    @api.model
    def _formula_message(self, error):
        """Translated wording of a :class:`FormulaError` from the tools module."""
        params = error.params
        messages = {
            "empty": self.env._("The formula is empty."),
            "too_long": self.env._("The formula is too long."),
            "syntax": self.env._(
                "syntax error at line %(line)s, column %(column)s (%(detail)s).",
                line=params.get("line"),
                column=params.get("column"),
                detail=params.get("detail"),
            ),
            "node": self.env._(
                "'%(node)s' is not allowed (line %(line)s, column %(column)s).",
                node=params.get("node"),
                line=params.get("line"),
                column=params.get("column"),
            ),
            "name": self.env._(
                "unknown name '%(name)s' (line %(line)s, column %(column)s); available: %(available)s.",
                name=params.get("name"),
                line=params.get("line"),
                column=params.get("column"),
                available=params.get("available"),
            ),
            "private": self.env._(
                "names starting with an underscore are not allowed: '%(name)s'.", name=params.get("name")
            ),
            "attribute": self.env._("the attribute '%(name)s' is not allowed.", name=params.get("name")),
            "call": self.env._(
                "calling '%(name)s' is not allowed; allowed functions: %(functions)s; allowed methods: %(methods)s.",
                name=params.get("name"),
                functions=params.get("functions"),
                methods=params.get("methods"),
            ),
            "lambda": self.env._("only simple lambda parameters are allowed."),
            "starred": self.env._("unpacking with * or ** is not allowed."),
            "limit": self.env._("the formula is too heavy to evaluate (%(detail)s).", detail=params.get("detail")),
            "evaluation": self.env._("evaluation failed: %(detail)s", detail=params.get("detail")),
        }
        return messages.get(error.code, str(error))

    @api.model
    def _record_label(self, record):
        """The name of ``record`` as the acting user may see it (the model and id when he may not read it)."""
        record = record.sudo(False)
        if not record.id:
            return record._description
        try:
            return record.display_name
        except AccessError:
            return f"{record._description} #{record.id}"

    @api.model
    def _formula_safe_message(self, error):
        """Wording of an evaluation error without the values the formula read (they were read with sudo)."""
        if error.code == "limit":
            return self.env._("the formula is too heavy to evaluate.")
        if error.code == "evaluation":
            return self.env._("the formula failed on this document (e.g. a missing value or a wrong type).")
        return self._formula_message(error)

    def _formula_namespace(self, record):
        return {
            "record": record,
            "user": self.env.user,
            "company": self.env.company,
            "today": fields.Date.context_today(self),
            "now": fields.Datetime.now(),
        }

    def _matches(self, record):
        """Whether ``record`` (a real or a new record) meets the rule's domain and formula.

        The condition is configuration and must give the same answer whoever acts, so it is
        evaluated on a sudo copy of the record; the formula evaluator only reads values.
        """
        self.ensure_one()
        if not self._applies_to_company(record):
            return False
        record = record.sudo()
        domain = self._sysengage_domain()
        if domain and not record.filtered_domain(domain):
            return False
        if self.condition_formula and self.condition_formula.strip():
            try:
                formula = parse_formula(self.condition_formula, FORMULA_NAMES)
                return bool(formula.evaluate(self._formula_namespace(record)))
            except FormulaError as error:
                # the formula reads the record with sudo: the message names the record the user acts on
                # and the kind of failure, never the values read (the details go to the server log)
                _logger.info("Approval rule %s failed on %s: %s", self.id, record, error)
                raise UserError(
                    self.env._(
                        "The approval rule %(rule)s cannot be evaluated on %(record)s: %(error)s "
                        "Ask an administrator to correct the rule.",
                        rule=self.name,
                        record=self._record_label(record),
                        error=self._formula_safe_message(error),
                    )
                ) from error
        return True

    @api.model
    def _sysengage_normalize(self, record, field_name):
        """A JSON-friendly, comparable form of a field value (real or new record)."""
        field = record._fields[field_name]
        value = record[field_name]
        if field.type == "many2one":
            return value._origin.id or False
        if field.type in ("one2many", "many2many"):
            return sorted(value._origin.ids)
        if field.type == "datetime":
            return fields.Datetime.to_string(value) if value else False
        if field.type == "date":
            return fields.Date.to_string(value) if value else False
        if field.type in ("float", "monetary"):
            return float(value or 0.0)
        return value

    def _sysengage_fingerprint(self, record):
        """A digest of the watched fields of ``record``: an approval holds for these values only."""
        self.ensure_one()
        names = sorted(self.sudo().field_ids.mapped("name"))
        if not names:
            return ""
        record = record.sudo()
        values = {name: self._sysengage_normalize(record, name) for name in names if name in record._fields}
        payload = json.dumps(values, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _next_level(self, level=None):
        """The level after ``level`` (the first one when empty), or an empty recordset."""
        self.ensure_one()
        levels = self.sudo().level_ids.sorted(lambda lv: (lv.sequence, lv.id))
        if not level:
            return levels[:1]
        following = levels.filtered(lambda lv: (lv.sequence, lv.id) > (level.sequence, level.id))
        return following[:1]
