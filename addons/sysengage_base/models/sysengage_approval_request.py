from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

ACTIVITY_TYPE_XMLID = "sysengage_base.mail_activity_type_approval"


class SysengageApprovalRequest(models.Model):
    """One approval asked to the approvers of one level of a rule, for one document.

    Requests are written by the engine only: users have read access, and the engine checks who
    acts (approver of the level, not the requester...) before it writes with sudo. Level n+1 is
    created when level n is approved; an approval holds for the values of the rule's watched
    fields at request time (``fingerprint``).
    """

    _name = "sysengage.approval.request"
    _description = "Approval Request"
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["res_name", "rule_id"]

    res_model = fields.Char(string="Document Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, index=True, readonly=True
    )
    res_name = fields.Char(string="Document", readonly=True)
    rule_id = fields.Many2one("sysengage.approval.rule", required=True, ondelete="restrict", index=True, readonly=True)
    level_id = fields.Many2one(
        "sysengage.approval.rule.level", string="Approval Level", required=True, ondelete="restrict", readonly=True
    )
    level_rank = fields.Integer(string="Level", readonly=True)
    level_total = fields.Integer(string="Levels", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("refused", "Refused"), ("cancelled", "Cancelled")],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    requester_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    approver_type = fields.Selection(related="level_id.approver_type", string="Approver Type")
    approver_user_ids = fields.Many2many(
        "res.users",
        "sysengage_approval_request_user_rel",
        "request_id",
        "user_id",
        string="Approvers",
        readonly=True,
        help="The users who could approve when the request was made.",
    )
    approver_group_id = fields.Many2one("res.groups", string="Approver Group", readonly=True)
    date = fields.Datetime(string="Requested On", required=True, default=fields.Datetime.now, readonly=True)
    decision_date = fields.Datetime(readonly=True)
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    refusal_reason = fields.Text(readonly=True)
    cancel_reason = fields.Char(readonly=True)
    fingerprint = fields.Char(readonly=True, copy=False)
    proposed_values = fields.Json(readonly=True, help="For a change of fields: the values to write once approved.")
    proposed_changes = fields.Text(string="Requested Changes", readonly=True)
    applied = fields.Boolean(readonly=True, help="The requested change has been written on the document.")
    is_creation = fields.Boolean(
        string="New Record",
        readonly=True,
        help="The record was created archived: approval activates it, refusal or withdrawal deletes it.",
    )
    activity_ids = fields.Many2many(
        "mail.activity", "sysengage_approval_request_activity_rel", "request_id", "activity_id", readonly=True
    )
    last_reminder_date = fields.Datetime(readonly=True)
    reminder_count = fields.Integer(readonly=True)
    next_reminder_date = fields.Datetime(compute="_compute_next_reminder_date", store=True, index=True)
    note = fields.Text(related="rule_id.note", string="Instructions")
    can_approve = fields.Boolean(compute="_compute_can_approve", search="_search_can_approve")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("res_name", "rule_id", "level_rank", "level_total")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(rule)s - %(document)s (level %(rank)s/%(total)s)",
                rule=request.rule_id.name,
                document=request.res_name,
                rank=request.level_rank,
                total=request.level_total,
            )

    @api.depends("state", "date", "last_reminder_date", "rule_id.reminder_days")
    def _compute_next_reminder_date(self):
        for request in self:
            days = request.rule_id.reminder_days
            if request.state != "pending" or days <= 0:
                request.next_reminder_date = False
            else:
                request.next_reminder_date = (request.last_reminder_date or request.date) + timedelta(days=days)

    @api.depends_context("uid")
    @api.depends("state", "approver_user_ids", "approver_group_id", "requester_id")
    def _compute_can_approve(self):
        for request in self:
            request.can_approve = request._is_approver(self.env.user)

    def _search_can_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        user = self.env.user
        domain = [
            ("state", "=", "pending"),
            "|",
            ("requester_id", "!=", user.id),
            ("rule_id.allow_self_approval", "=", True),
            "|",
            "&",
            ("approver_group_id", "=", False),
            ("approver_user_ids", "in", user.ids),
            ("approver_group_id", "in", user.all_group_ids.ids),
        ]
        if (operator == "=") != value:
            return ~Domain(domain)
        return Domain(domain)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        requests._schedule_activities()
        return requests

    # ------------------------------------------------------------------
    # Actions (callable through RPC: every check happens here, on the server)
    # ------------------------------------------------------------------
    def action_approve(self):
        notices = []
        for request in self:
            request._check_decision()
            document = request._sysengage_document()
            if request.rule_id.trigger == "action" and request.fingerprint != request.rule_id._sysengage_fingerprint(
                document
            ):
                # the document changed since the request: this approval would be for other values
                request._sysengage_cancel(self.env._("The document changed after the approval was requested."))
                notices.append(request.res_name)
                continue
            request._decide("approved")
            next_level = request.rule_id._next_level(request.level_id)
            if next_level:
                request._create_next(next_level)
            else:
                request._complete()
        if notices:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "message": self.env._(
                        "%(documents)s changed after the approval was requested: the request was cancelled, "
                        "the requester must ask again.",
                        documents=", ".join(notices),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return True

    def action_refuse(self):
        """Open the wizard asking for the reason of the refusal."""
        for request in self:
            request._check_decision()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Approval"),
            "res_model": "sysengage.approval.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids},
        }

    def action_cancel(self):
        """Withdraw pending requests (the requester, or a Sysengage manager)."""
        is_manager = self.env.user.has_group("sysengage_base.group_manager")
        for request in self:
            request.check_access("read")
            if request.state != "pending":
                raise UserError(self.env._("Only a pending request can be cancelled."))
            if request.requester_id != self.env.user and not is_manager:
                raise AccessError(
                    self.env._(
                        "Only the requester or a manager can cancel the request %(request)s.",
                        request=request.display_name,
                    )
                )
            request._sysengage_cancel(self.env._("Withdrawn by %(user)s.", user=self.env.user.name))
        self._discard_creations()
        return True

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_for_documents(self, documents, domain=None):
        """The requests of ``documents`` (records of one model; new records have none) that match
        ``domain``, searched in this environment: the engine reads them with sudo (the state of a
        document must not depend on which requests its reader may see), a screen as its user."""
        ids = [record_id for record_id in documents.ids if isinstance(record_id, int)]
        if not ids:
            return self.browse()
        return self.search(
            Domain("res_model", "=", documents._name) & Domain("res_id", "in", ids) & Domain(domain or Domain.TRUE)
        )

    def _sysengage_document(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    def _is_approver(self, user):
        self.ensure_one()
        if self.state != "pending":
            return False
        if user == self.requester_id and not self.rule_id.allow_self_approval:
            return False
        if self.approver_group_id:
            # group levels follow the group's current members; approver_user_ids is the snapshot
            return self.approver_group_id in user.all_group_ids
        return user in self.approver_user_ids

    def _approvers_label(self):
        self.ensure_one()
        if self.approver_group_id:
            return self.approver_group_id.display_name
        return ", ".join(self.approver_user_ids.mapped("name"))

    def _check_decision(self):
        """Raise unless the current user may approve or refuse ``self`` now."""
        self.ensure_one()
        self.check_access("read")
        if self.state != "pending":
            raise UserError(self.env._("The request %(request)s is no longer pending.", request=self.display_name))
        user = self.env.user
        if user == self.requester_id and not self.rule_id.allow_self_approval:
            raise AccessError(
                self.env._("You cannot decide on your own approval request %(request)s.", request=self.display_name)
            )
        if not self._is_approver(user):
            raise AccessError(self.env._("You are not an approver of %(request)s.", request=self.display_name))

    def _decide(self, state, reason=None):
        self.ensure_one()
        # requests are read-only for users; the decision was checked by _check_decision
        self.sudo().write(
            {
                "state": state,
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "refusal_reason": reason or False,
            }
        )
        self._close_activities()
        if state == "approved":
            body = Markup("%s") % self.env._(
                "Approved: %(rule)s, level %(rank)s/%(total)s.",
                rule=self.rule_id.name,
                rank=self.level_rank,
                total=self.level_total,
            )
            self._sysengage_post(body)
        else:
            body = Markup("%s<br/>%s") % (
                self.env._(
                    "Refused: %(rule)s, level %(rank)s/%(total)s.",
                    rule=self.rule_id.name,
                    rank=self.level_rank,
                    total=self.level_total,
                ),
                self.env._("Reason: %(reason)s", reason=reason),
            )
            self._sysengage_post(body, partners=self.requester_id.partner_id)
        self._sysengage_document()._sysengage_approval_invalidate()

    def _sysengage_refuse(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the refusal."))
        for request in self:
            request._check_decision()
            request._decide("refused", reason.strip())
        self._discard_creations()
        return True

    def _sysengage_cancel(self, reason):
        # cancellation is an engine step (reset, withdrawal, superseded change); requests are read-only for users
        self.sudo().write({"state": "cancelled", "cancel_reason": reason})
        self._close_activities()
        for request in self:
            request._sysengage_post(
                Markup("%s")
                % self.env._(
                    "Approval request cancelled: %(rule)s, level %(rank)s/%(total)s. %(reason)s",
                    rule=request.rule_id.name,
                    rank=request.level_rank,
                    total=request.level_total,
                    reason=reason,
                )
            )
            request._sysengage_document()._sysengage_approval_invalidate()

    def _create_next(self, level):
        self.ensure_one()
        document = self._sysengage_document()
        vals = document._sysengage_approval_prepare_request_vals(
            self.rule_id, level, self.requester_id, self.fingerprint, self.proposed_values, self.proposed_changes
        )
        vals["is_creation"] = self.is_creation
        # the next level is made by the engine on behalf of the requester
        return self.sudo().create(vals).sudo(False)

    def _complete(self):
        """Last level approved: post it, and write the held change of a field-change rule."""
        self.ensure_one()
        document = self._sysengage_document()
        self._sysengage_post(
            Markup("<b>%s</b>") % self.env._("Approval granted: %(rule)s.", rule=self.rule_id.name),
            partners=self.requester_id.partner_id,
        )
        if self.rule_id.trigger == "fields" and self.proposed_values:
            # the held change is the requester's: it is written with the requester's rights
            document.with_user(self.requester_id).write(dict(self.proposed_values))
            # engine bookkeeping on a read-only request (a creation is applied by its activation)
            self.sudo().write({"applied": True})

    def _discard_creations(self):
        """Delete the archived records whose held creation was refused or withdrawn.

        Models that archive instead of deleting (bank accounts) keep the record archived; it can never
        be activated again (see the mixin's ``_sysengage_approval_check_activation``).
        """
        for request in self.filtered(lambda r: r.is_creation and not r.applied):
            document = request._sysengage_document().with_context(active_test=False).exists()
            # the record never became active: removing it is the engine's step (the decider may not delete)
            if document and not document.sudo()[document._active_name]:
                document.sudo().unlink()

    def _sysengage_post(self, body, partners=None):
        self.ensure_one()
        document = self._sysengage_document()
        if not isinstance(document, self.env.registry["mail.thread"]) or not document.exists():
            return
        # an approver may read the document without the right to post on it: the note is the engine's
        document.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            partner_ids=partners.ids if partners else [],
        )

    def _schedule_activities(self, reminder=False):
        """One activity per approver on the document (when it has activities)."""
        activity_type = self.env.ref(ACTIVITY_TYPE_XMLID, raise_if_not_found=False)
        for request in self:
            document = request._sysengage_document()
            if not activity_type or not isinstance(document, self.env.registry["mail.activity.mixin"]):
                continue
            if reminder:
                summary = self.env._("Reminder: approval pending (%(rule)s)", rule=request.rule_id.name)
            else:
                summary = self.env._("Approval: %(rule)s", rule=request.rule_id.name)
            note = Markup("<p>%s</p>") % self.env._(
                "%(requester)s asks for your approval: %(rule)s, level %(rank)s/%(total)s.",
                requester=request.requester_id.name,
                rule=request.rule_id.name,
                rank=request.level_rank,
                total=request.level_total,
            )
            if request.proposed_changes:
                note += Markup("<p>%s</p>") % request.proposed_changes
            users = request.approver_user_ids or request.approver_group_id.all_user_ids
            if not request.rule_id.allow_self_approval:
                users -= request.requester_id
            activities = self.env["mail.activity"]
            for user in users:
                # approval activities are the engine's: the requester (or the approver of the
                # previous level) may lack write access to the document (sudo keeps the real uid)
                activities |= document.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=summary,
                    note=note,
                    date_deadline=fields.Date.context_today(self),
                )
            request.sudo().activity_ids = [fields.Command.link(a.id) for a in activities]

    def _close_activities(self):
        # the approvers' activities are closed by the engine once the level is decided
        self.sudo().activity_ids.exists().unlink()

    @api.model
    def _cron_send_reminders(self):
        """Re-ping the approvers of requests pending longer than their rule's reminder delay."""
        due = self.search([("state", "=", "pending"), ("next_reminder_date", "<=", fields.Datetime.now())])
        for request in due:
            request._close_activities()
            request._schedule_activities(reminder=True)
            request.write({"last_reminder_date": fields.Datetime.now(), "reminder_count": request.reminder_count + 1})
        return len(due)
