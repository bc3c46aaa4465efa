from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SysengageApprovalRuleLevel(models.Model):
    _name = "sysengage.approval.rule.level"
    _description = "Approval Rule Level"
    _order = "rule_id, sequence, id"

    rule_id = fields.Many2one("sysengage.approval.rule", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(
        default=10, help="Levels are asked in this order: a level only after the previous one approved."
    )
    name = fields.Char(string="Description", translate=True)
    approver_type = fields.Selection(
        [("users", "Specific users"), ("group", "Members of a group"), ("manager", "Requester's manager")],
        required=True,
        default="users",
        help="Requester's manager: the user set as 'Approval Manager' on the requester's user.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "sysengage_approval_rule_level_user_rel",
        "level_id",
        "user_id",
        string="Approvers",
        domain=[("share", "=", False)],
    )
    group_id = fields.Many2one("res.groups", string="Approver Group", ondelete="restrict")

    @api.constrains("approver_type", "user_ids", "group_id")
    def _check_approvers(self):
        for level in self:
            if level.approver_type == "users" and not level.user_ids:
                raise ValidationError(
                    self.env._("Select the approvers of the level %(level)s.", level=level.display_name)
                )
            if level.approver_type == "group" and not level.group_id:
                raise ValidationError(
                    self.env._("Select the approver group of the level %(level)s.", level=level.display_name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_requested(self):
        if self.env["sysengage.approval.request"].sudo().search_count([("level_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._("An approval level with requests cannot be deleted: archive the rule and make a new one.")
            )

    @api.depends("name", "sequence", "rule_id.level_ids")
    def _compute_display_name(self):
        for level in self:
            rank = level._sysengage_rank()
            label = level.name or dict(level._fields["approver_type"]._description_selection(self.env)).get(
                level.approver_type
            )
            level.display_name = self.env._("Level %(rank)s: %(label)s", rank=rank, label=label)

    def _sysengage_rank(self):
        """1-based position of the level in its rule."""
        self.ensure_one()
        ordered = self.rule_id.level_ids.sorted(lambda lv: (lv.sequence, lv.id))
        return (ordered.ids.index(self.id) + 1) if self.id in ordered.ids else len(ordered)

    def _approvers(self, requester):
        """The users who may approve this level for ``requester`` (group members taken now)."""
        self.ensure_one()
        if self.approver_type == "users":
            users = self.user_ids
        elif self.approver_type == "group":
            users = self.group_id.all_user_ids
        else:
            users = requester.sysengage_approval_manager_id
            if not users:
                raise UserError(
                    self.env._(
                        "%(user)s has no approval manager: set one on the user (Approval Manager) or change the "
                        "level %(level)s of the rule %(rule)s.",
                        user=requester.name,
                        level=self.display_name,
                        rule=self.rule_id.name,
                    )
                )
        users = users.filtered(lambda u: u.active and not u.share)
        if not self.rule_id.allow_self_approval:
            users -= requester
        if not users:
            raise UserError(
                self.env._(
                    "Nobody but the requester can approve the level %(level)s of the rule %(rule)s.",
                    level=self.display_name,
                    rule=self.rule_id.name,
                )
            )
        return users
