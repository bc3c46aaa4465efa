from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

APPROVAL_STATES = [
    ("not_required", "Not Required"),
    ("required", "To Request"),
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
# the state shown for a document is the most urgent of its rules' states
STATE_PRIORITY = ("refused", "required", "pending", "approved")
MIXIN_FIELDS = [
    "sysengage_approval_request_ids",
    "sysengage_approval_request_count",
    "sysengage_approval_state",
    "sysengage_approval_banner",
]


class SysengageApprovalMixin(models.AbstractModel):
    """Make a model approvable: ``_inherit = ["sale.order", "sysengage.approval.mixin"]``.

    - guard an action: call ``self._sysengage_approval_check("confirm")`` at the start of the
      action method; it raises a UserError naming the rules that still need approval;
    - declare the guarded actions in ``_sysengage_approval_actions()`` (rules choose among them);
    - rules "on a change of fields" are enforced by :meth:`write` itself: a change meeting the
      condition is held as a pending request and written once the last level approves;
    - an approved document whose watched fields change is reset (:meth:`_sysengage_approval_reset`);
    - the states an action leads to (``_sysengage_approval_state_actions()``) are guarded on the state
      field itself: a create, write or copy reaching such a state passes the same checks as the action,
      so that ``write({"state": "posted"})`` through RPC is no way around the approval;
    - models listing a creation rule (``hold creations``) get new records archived until approved.

    See readme/USAGE.md for the form view snippet.
    """

    _name = "sysengage.approval.mixin"
    _description = "Approvable Document (Sysengage)"

    # the field holding the document's state, guarded by _sysengage_approval_state_actions()
    _sysengage_approval_state_field = "state"

    sysengage_approval_request_ids = fields.Many2many(
        "sysengage.approval.request",
        string="Approval Requests",
        compute="_compute_sysengage_approval_request_ids",
    )
    sysengage_approval_request_count = fields.Integer(
        string="Approvals", compute="_compute_sysengage_approval_request_ids"
    )
    sysengage_approval_state = fields.Selection(
        APPROVAL_STATES,
        string="Approval",
        compute="_compute_sysengage_approval_state",
        help="Not Required: no rule applies. To Request: a rule applies and nobody asked yet (or the "
        "document changed since). Pending: waiting for an approver. Approved: every applicable rule is "
        "approved for the current values. Refused: an approver refused.",
    )
    sysengage_approval_banner = fields.Html(
        string="Approval Status", compute="_compute_sysengage_approval_state", sanitize=False
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_sysengage_approval_request_ids(self):
        requests_by_id = self._sysengage_approval_requests_by_record()
        for record in self:
            requests = requests_by_id.get(record.id, self.env["sysengage.approval.request"])
            record.sysengage_approval_request_ids = requests
            record.sysengage_approval_request_count = len(requests)

    def _compute_sysengage_approval_state(self):
        requests_by_id = self._sysengage_approval_requests_by_record(active_only=True)
        for record in self:
            if not isinstance(record.id, int):
                record.sysengage_approval_state = "not_required"
                record.sysengage_approval_banner = False
                continue
            statuses = record._sysengage_approval_statuses(
                requests=requests_by_id.get(record.id, self.env["sysengage.approval.request"]), safe=True
            )
            states = {status for _rule, status, _request in statuses}
            state = next((s for s in STATE_PRIORITY if s in states), "not_required")
            record.sysengage_approval_state = state
            record.sysengage_approval_banner = record._sysengage_approval_banner_html(state, statuses)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        Rule = self.env["sysengage.approval.rule"]
        rules = Rule._rules_for(self)
        creation_rules = rules.filtered(lambda r: r.trigger == "fields" and r.hold_creation)
        records = super().create(vals_list)
        # new records meeting a creation rule are archived until approved (not for superuser code)
        if creation_rules and not self.env.su and self._active_name:
            records._sysengage_approval_hold_creation(creation_rules)
        # a document created directly in a guarded state (create, copy, default_state) is checked
        # like the action leading there, on its values as created
        records._sysengage_approval_check_states()
        return records

    def write(self, vals):
        Rule = self.env["sysengage.approval.rule"]
        rules = Rule._rules_for(self) if self else Rule
        # 0. a guarded state is checked after the write, on the values the document then has
        state_field = self._sysengage_approval_state_field
        changing = self.browse()
        if state_field in vals and self and vals[state_field] in self._sysengage_approval_state_actions():
            changing = self.filtered(lambda record: record[state_field] != vals[state_field])
        creation_rules = rules.filtered("hold_creation")
        if creation_rules and not self.env.su:
            self._sysengage_approval_check_activation(creation_rules, vals)
        if not rules:
            res = super().write(vals)
            changing._sysengage_approval_check_states()
            return res
        # 1. changes of fields that need approval are held (not for superuser code: install, crons)
        held = {}
        field_rules = rules.filtered(lambda r: r.trigger == "fields" and set(r.field_ids.mapped("name")) & set(vals))
        if field_rules and not self.env.su:
            held = self._sysengage_approval_hold(field_rules, vals)
        # 2. remember the fingerprints of active approvals, to reset those whose values change
        before = self._sysengage_approval_snapshot()
        if held:
            groups = defaultdict(lambda: self.browse())
            for record in self:
                groups[frozenset(held.get(record, {}))] |= record
            for held_names, records in groups.items():
                # values computed from a held field (e.g. the sanitized IBAN that res.partner.bank adds to
                # vals) are held with it: they follow the held value once it is written
                sub_vals = {
                    key: value
                    for key, value in vals.items()
                    if key not in held_names and not self._sysengage_approval_derived_from(key, held_names)
                }
                if sub_vals:
                    super(SysengageApprovalMixin, records).write(sub_vals)
            res = True
        else:
            res = super().write(vals)
        self._sysengage_approval_consume(field_rules, vals)
        self._sysengage_approval_reset_changed(before)
        changing._sysengage_approval_check_states()
        return res

    @api.model
    def _sysengage_approval_derived_from(self, name, held_names):
        """Whether the field ``name`` is computed from one of ``held_names``."""
        field = self._fields.get(name)
        if not field or not field.compute:
            return False
        return any(dep.split(".")[0] in held_names for dep in self.pool.field_depends[field])

    def unlink(self):
        requests = self.env["sysengage.approval.request"].sudo()._get_for_documents(self)
        res = super().unlink()
        # requests of a deleted document have nothing left to approve (engine data, read-only for users)
        requests.unlink()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_sysengage_request_approval(self):
        """Ask approval for every rule that applies now and is neither approved nor pending."""
        Request = self.env["sysengage.approval.request"]
        created = Request
        requests_by_id = self._sysengage_approval_requests_by_record(active_only=True)
        for record in self:
            record.check_access("write")
            for rule, status, latest in record._sysengage_approval_statuses(
                requests=requests_by_id.get(record.id, Request)
            ):
                if rule.trigger != "action" or status in ("approved", "pending"):
                    continue
                fingerprint = rule._sysengage_fingerprint(record)
                if latest and latest.state == "approved" and latest.fingerprint == fingerprint:
                    # levels were added to the rule after the last approval: continue the chain
                    level = rule._next_level(latest.level_id)
                else:
                    level = rule._next_level()
                vals = record._sysengage_approval_prepare_request_vals(rule, level, self.env.user, fingerprint)
                # requests are engine records, read-only for users: created with sudo after the checks above
                created |= Request.sudo().create(vals).sudo(False)
        if not created:
            raise UserError(self.env._("No approval is needed, or it is already requested."))
        for request in created:
            request._sysengage_post(
                Markup("%s")
                % self.env._(
                    "Approval requested: %(rule)s, level %(rank)s/%(total)s, from %(approvers)s.",
                    rule=request.rule_id.name,
                    rank=request.level_rank,
                    total=request.level_total,
                    approvers=request._approvers_label(),
                )
            )
        self._sysengage_approval_invalidate()
        return True

    def action_sysengage_view_approval_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_base.sysengage_approval_request_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business methods (the API of the mixin)
    # ------------------------------------------------------------------
    @api.model
    def _sysengage_approval_actions(self):
        """Guarded actions of the model, ``{code: label}``; override to declare them.

        A model without actions (a customer, a bank account, a product) is approved through rules
        on a change of fields only.
        """
        return {}

    @api.model
    def _sysengage_approval_state_actions(self):
        """``{state: (action codes)}``: reaching ``state`` needs the approvals of these actions.

        Enforced on create, write and copy of :attr:`_sysengage_approval_state_field`, whatever the
        path (button, RPC, import), so that the state only changes as the guarded action allows.
        """
        return {}

    def _sysengage_approval_check_states(self):
        """Raise unless the records in a guarded state have the approvals of the actions leading there."""
        guarded = self._sysengage_approval_state_actions()
        state_field = self._sysengage_approval_state_field
        if not guarded or state_field not in self._fields or not self:
            return True
        by_state = defaultdict(lambda: self.browse())
        for record in self:
            if record[state_field] in guarded:
                by_state[record[state_field]] |= record
        for state, records in by_state.items():
            for action in guarded[state]:
                records._sysengage_approval_check_state_action(action)
        return True

    def _sysengage_approval_check_state_action(self, action):
        """The check made when a document reaches the state of ``action``; override to delegate."""
        return self._sysengage_approval_check(action)

    def _sysengage_approval_check(self, action):
        """Raise a UserError naming the rules of ``action`` not approved for the current values."""
        Rule = self.env["sysengage.approval.rule"]
        rules = Rule._rules_for(self, trigger="action", action=action)
        if not rules:
            return True
        labels = dict(self._fields["sysengage_approval_state"]._description_selection(self.env))
        requests_by_id = self._sysengage_approval_requests_by_record(active_only=True)
        missing = []
        for record in self:
            for rule, status, latest in record._sysengage_approval_statuses(
                rules=rules, requests=requests_by_id.get(record.id, self.env["sysengage.approval.request"])
            ):
                if status == "approved":
                    continue
                if status == "pending":
                    detail = self.env._(
                        "pending at level %(rank)s/%(total)s (%(approvers)s)",
                        rank=latest.level_rank,
                        total=latest.level_total,
                        approvers=latest._approvers_label(),
                    )
                elif status == "refused":
                    detail = self.env._("refused: %(reason)s", reason=latest.refusal_reason)
                else:
                    detail = labels["required"]
                missing.append(
                    self.env._(
                        "%(document)s: %(rule)s - %(detail)s",
                        document=record.display_name,
                        rule=rule.name,
                        detail=detail,
                    )
                )
        if missing:
            action_label = self._sysengage_approval_actions().get(action, action)
            raise UserError(
                self.env._(
                    "Approval is required before this action (%(action)s):\n%(rules)s\n"
                    "Use the 'Request Approval' button and wait for the approvers.",
                    action=action_label,
                    rules="\n".join(missing),
                )
            )
        return True

    def _sysengage_approval_reset(self, rules=None, reason=None):
        """Cancel the pending and approved requests (of ``rules``, default all action rules).

        Called by :meth:`write` when a watched field of an approved document changes; client addons
        may call it when a change bypasses the document's write (e.g. a line written directly).
        """
        Request = self.env["sysengage.approval.request"]
        domain = [("state", "in", ("pending", "approved")), ("rule_id.trigger", "=", "action")]
        if rules is not None:
            domain.append(("rule_id", "in", rules.ids))
        # reading the requests to reset is the engine's step (the writer may not see every request)
        requests = Request.sudo()._get_for_documents(self, domain).sudo(False)
        if requests:
            requests._sysengage_cancel(reason or self.env._("The document changed after approval."))
        return bool(requests)

    def _sysengage_approval_invalidate(self):
        self.invalidate_recordset(MIXIN_FIELDS)

    def _sysengage_approval_requests_by_record(self, active_only=False):
        domain = [("state", "!=", "cancelled")] if active_only else []
        # the state of a document must not depend on which requests the reader may see
        requests = self.env["sysengage.approval.request"].sudo()._get_for_documents(self, domain)
        result = defaultdict(lambda: self.env["sysengage.approval.request"])
        for request in requests:
            result[request.res_id] |= request.sudo(False)
        return result

    def _sysengage_approval_statuses(self, rules=None, requests=None, safe=False):
        """``[(rule, status, latest request)]`` for the rules applying to ``self`` now.

        status: ``approved`` (last level approved for the current values), ``pending``, ``refused``
        or ``required`` (nothing asked, or the values changed since). Field-change rules only show
        their pending requests. A rule whose condition cannot be evaluated raises, unless ``safe``
        (display only): then it counts as ``required``, so that the document still opens.
        """
        self.ensure_one()
        Rule = self.env["sysengage.approval.rule"]
        if rules is None:
            rules = Rule._rules_for(self)
        if requests is None:
            requests = self._sysengage_approval_requests_by_record(active_only=True).get(self.id)
        requests = (
            (requests or self.env["sysengage.approval.request"]).sudo().filtered(lambda r: r.state != "cancelled")
        )
        result = []
        for rule in rules:
            rule_requests = requests.filtered(lambda r, rule=rule: r.rule_id == rule).sorted("id", reverse=True)
            latest = rule_requests[:1]
            if rule.trigger == "fields":
                if latest.state == "pending":
                    result.append((rule, "pending", latest.sudo(False)))
                continue
            try:
                matches = rule._matches(self)
            except UserError:
                if not safe:
                    raise
                result.append((rule, "required", latest.sudo(False)))
                continue
            if not matches:
                continue
            if not latest:
                status = "required"
            elif latest.state in ("pending", "refused"):
                status = latest.state
            elif latest.fingerprint != rule._sysengage_fingerprint(self) or rule._next_level(latest.level_id):
                status = "required"
            else:
                status = "approved"
            result.append((rule, status, latest.sudo(False)))
        return result

    def _sysengage_approval_prepare_request_vals(
        self, rule, level, requester, fingerprint, proposed_values=None, proposed_changes=None
    ):
        self.ensure_one()
        approvers = level._approvers(requester)
        company = self.company_id if "company_id" in self._fields else rule.company_id
        levels = rule.level_ids.sorted(lambda lv: (lv.sequence, lv.id))
        return {
            "res_model": self._name,
            "res_id": self.id,
            "res_name": self._sysengage_approval_document_name(),
            "rule_id": rule.id,
            "level_id": level.id,
            "level_rank": levels.ids.index(level.id) + 1,
            "level_total": len(levels),
            "company_id": company.id,
            "requester_id": requester.id,
            "approver_user_ids": [fields.Command.set(approvers.ids)],
            "approver_group_id": level.group_id.id if level.approver_type == "group" else False,
            "fingerprint": fingerprint,
            "proposed_values": proposed_values or False,
            "proposed_changes": proposed_changes or False,
        }

    def _sysengage_approval_snapshot(self):
        """Fingerprints of the active approvals of ``self``, to compare after a write."""
        rules = self.env["sysengage.approval.rule"]._rules_for(self, trigger="action")
        return self._sysengage_approval_fingerprints(rules)

    def _sysengage_approval_reset_changed(self, before):
        """Reset the approvals whose watched values differ from the ``before`` snapshot."""
        for (record, rule), (fingerprint, _requests) in before.items():
            if rule._sysengage_fingerprint(record) != fingerprint:
                record._sysengage_approval_reset(rule)
        self._sysengage_approval_invalidate()

    def _sysengage_approval_document_name(self):
        """How the document is named on its requests (the approvers' queue); override to enrich."""
        self.ensure_one()
        return self.display_name

    def _sysengage_approval_fingerprints(self, rules):
        """``{(record, rule): (fingerprint, requests)}`` for active approvals of action rules."""
        if not rules or not self.ids:
            return {}
        requests = self._sysengage_approval_active_requests(rules)
        result = {}
        for request in requests:
            record = self.browse(request.res_id)
            key = (record, request.rule_id)
            if key not in result and request.rule_id.field_ids:
                result[key] = (request.rule_id._sysengage_fingerprint(record), request)
        return result

    def _sysengage_approval_active_requests(self, rules):
        """The pending and approved requests of ``self`` for ``rules`` (engine read, sudo)."""
        domain = [("rule_id", "in", rules.ids), ("state", "in", ("pending", "approved"))]
        return self.env["sysengage.approval.request"].sudo()._get_for_documents(self, domain)

    def _sysengage_approval_hold(self, rules, vals):
        """Decide which watched fields of ``vals`` are held for approval, per record.

        A change is held when it really changes a watched field, the record with the new values
        meets the rule's condition, and no approved request for exactly these values waits to be
        written. The held change becomes a pending request (superseding an older pending one).
        Returns ``{record: set of held field names}``.
        """
        # approved changes waiting to be written (the write that applies them must pass)
        active = self._sysengage_approval_active_requests(rules)
        ready = {
            (request.res_id, request.rule_id.id, request.fingerprint)
            for request in active
            if request.state == "approved" and not request.applied and request.level_rank == request.level_total
        }
        held = {}
        to_request = []
        for record in self:
            for rule in rules:
                names = [name for name in rule.field_ids.mapped("name") if name in vals]
                # the record as it would be after the write (assigned, so that no compute overrides it)
                candidate = record.new({}, origin=record)
                candidate.update({name: vals[name] for name in names})
                changed = [
                    name
                    for name in names
                    if rule._sysengage_normalize(candidate, name) != rule._sysengage_normalize(record, name)
                ]
                if not changed or not rule._matches(candidate):
                    continue
                fingerprint = rule._sysengage_fingerprint(candidate)
                if (record.id, rule.id, fingerprint) in ready:
                    continue
                held.setdefault(record, set()).update(names)
                to_request.append((record, rule, candidate, names, fingerprint))
        for record, rule, candidate, names, fingerprint in to_request:
            proposed = {name: record._sysengage_approval_json_value(name, vals[name]) for name in names}
            superseded = active.filtered(
                lambda r, record=record, rule=rule: r.state == "pending" and r.res_id == record.id and r.rule_id == rule
            )
            record._sysengage_approval_request_change(rule, candidate, proposed, fingerprint, superseded.sudo(False))
        return held

    @api.model
    def _sysengage_approval_json_value(self, name, value):
        """``value`` (as given to write) in a form a Json field stores and write accepts again."""
        field = self._fields[name]
        if isinstance(value, models.BaseModel):
            return value.id if field.type == "many2one" else [fields.Command.set(value.ids)]
        if field.type == "date" and value:
            return fields.Date.to_string(fields.Date.to_date(value))
        if field.type == "datetime" and value:
            return fields.Datetime.to_string(fields.Datetime.to_datetime(value))
        if isinstance(value, tuple):
            return list(value)
        return value

    def _sysengage_approval_request_change(self, rule, candidate, proposed, fingerprint, superseded):
        """Create the pending request holding ``proposed``; cancel the ``superseded`` ones."""
        self.ensure_one()
        Request = self.env["sysengage.approval.request"]
        if superseded:
            superseded._sysengage_cancel(self.env._("Superseded by a newer change."))
        lines = []
        for name in proposed:
            field = self._fields[name]
            lines.append(
                self.env._(
                    "%(field)s: %(old)s → %(new)s",
                    field=field._description_string(self.env),
                    old=self._sysengage_approval_value_label(self, name),
                    new=self._sysengage_approval_value_label(candidate, name),
                )
            )
        changes = "\n".join(lines)
        level = rule._next_level()
        vals = self._sysengage_approval_prepare_request_vals(rule, level, self.env.user, fingerprint, proposed, changes)
        # held changes become engine requests (read-only for users), created after the rule decided
        request = Request.sudo().create(vals).sudo(False)
        request._sysengage_post(
            Markup("%s<br/>%s")
            % (
                self.env._(
                    "Change held for approval: %(rule)s, from %(approvers)s.",
                    rule=rule.name,
                    approvers=request._approvers_label(),
                ),
                changes,
            )
        )
        return request

    @api.model
    def _sysengage_approval_value_label(self, record, name):
        field = record._fields[name]
        value = record[name]
        if field.type in ("many2one", "one2many", "many2many"):
            return ", ".join(value.mapped("display_name")) or "-"
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value) or "-"
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return str(value) if value not in (False, None, "") else "-"

    def _sysengage_approval_hold_creation(self, rules):
        """Archive the new records meeting a creation rule and ask for approval of each.

        The record exists (so that it can be reviewed) but stays archived, hence out of every list,
        selection and payment, until the last level approves; a refusal deletes it.
        """
        Request = self.env["sysengage.approval.request"]
        to_hold = []
        for record in self:
            for rule in rules:
                if rule._matches(record):
                    to_hold.append((record, rule))
        if not to_hold:
            return Request
        held = self.browse([record.id for record, _rule in to_hold])
        # archiving what the user just created is part of the creation itself
        super(SysengageApprovalMixin, held).write({self._active_name: False})
        created = Request
        for record, rule in to_hold:
            names = [name for name in rule.field_ids.mapped("name") if name in record._fields]
            lines = [
                self.env._(
                    "%(field)s: %(value)s",
                    field=record._fields[name]._description_string(self.env),
                    value=self._sysengage_approval_value_label(record, name),
                )
                for name in names
            ]
            changes = "\n".join([self.env._("New record, archived until approved."), *lines])
            level = rule._next_level()
            vals = record._sysengage_approval_prepare_request_vals(
                rule,
                level,
                self.env.user,
                rule._sysengage_fingerprint(record),
                {self._active_name: True},
                changes,
            )
            vals["is_creation"] = True
            # held creations become engine requests (read-only for users), created after the rule decided
            request = Request.sudo().create(vals).sudo(False)
            request._sysengage_post(
                Markup("%s<br/>%s")
                % (
                    self.env._(
                        "Creation held for approval: %(rule)s, from %(approvers)s.",
                        rule=rule.name,
                        approvers=request._approvers_label(),
                    ),
                    changes,
                )
            )
            created |= request
        self._sysengage_approval_invalidate()
        return created

    def _sysengage_approval_check_activation(self, rules, vals):
        """Refuse to unarchive, or to change the watched fields of, a record whose creation waits for approval."""
        watched = set(rules.field_ids.mapped("name"))
        if not self._active_name or not self.ids:
            return
        if not vals.get(self._active_name) and not watched & set(vals):
            return
        # a held creation is released by the approval of its last level only (refused or withdrawn:
        # the record stays archived for good, when the model archives instead of deleting)
        Request = self.env["sysengage.approval.request"]
        requests = Request.sudo()._get_for_documents(self, [("is_creation", "=", True)])
        released = {
            request.res_id
            for request in requests
            if request.state == "approved" and request.level_rank == request.level_total
        }
        blocked = requests.filtered(lambda request: request.res_id not in released)[:1]
        if blocked:
            raise UserError(
                self.env._(
                    "%(record)s waits for the approval of its creation (%(rule)s): it is activated by the "
                    "approval only and cannot be changed meanwhile (withdraw the request to start again).",
                    record=blocked.res_name,
                    rule=blocked.rule_id.name,
                )
            )

    def _sysengage_approval_consume(self, rules, vals):
        """Mark approved changes as applied once written (a change is approved for one write)."""
        if not rules:
            return
        Request = self.env["sysengage.approval.request"]
        requests = Request.sudo()._get_for_documents(
            self,
            [
                ("rule_id", "in", rules.ids),
                ("state", "=", "approved"),
                ("applied", "=", False),
                ("proposed_values", "!=", False),
            ],
        )
        for request in requests:
            record = self.browse(request.res_id)
            if request.rule_id._sysengage_fingerprint(record) == request.fingerprint:
                # engine bookkeeping on a read-only request
                request.write({"applied": True})

    def _sysengage_approval_banner_html(self, state, statuses):
        self.ensure_one()
        if not statuses:
            return False
        titles = {
            "required": self.env._("Approval required: use 'Request Approval'."),
            "pending": self.env._("Waiting for approval."),
            "approved": self.env._("Approved."),
            "refused": self.env._("Approval refused: change the document and request again."),
        }
        items = Markup()
        for rule, status, latest in statuses:
            if status == "approved":
                text = self.env._("%(rule)s: approved by %(user)s", rule=rule.name, user=latest.decided_by_id.name)
            elif status == "pending":
                text = self.env._(
                    "%(rule)s: waiting for %(approvers)s (level %(rank)s/%(total)s)",
                    rule=rule.name,
                    approvers=latest._approvers_label(),
                    rank=latest.level_rank,
                    total=latest.level_total,
                )
                if latest.proposed_changes:
                    text = f"{text} - {latest.proposed_changes}"
            elif status == "refused":
                text = self.env._(
                    "%(rule)s: refused by %(user)s: %(reason)s",
                    rule=rule.name,
                    user=latest.decided_by_id.name,
                    reason=latest.refusal_reason,
                )
            else:
                text = self.env._("%(rule)s: approval to request", rule=rule.name)
            items += Markup("<li>%s</li>") % text
        return Markup("<strong>%s</strong><ul class='mb-0'>%s</ul>") % (titles[state], items)
