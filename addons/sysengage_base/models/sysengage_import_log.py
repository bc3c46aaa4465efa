from odoo import fields, models


class SysengageImportLog(models.Model):
    """The trace of one address import run: counts, message and the rejected rows as a CSV file."""

    _name = "sysengage.import.log"
    _description = "Sysengage Address Import Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    source_id = fields.Many2one(
        "sysengage.import.source", string="Source", ondelete="cascade", index=True, check_company=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", string="Company", default=lambda self: self.env.company, readonly=True, index=True
    )
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one("res.users", string="User", default=lambda self: self.env.user, readonly=True)
    filename = fields.Char(string="File", readonly=True)
    origin = fields.Selection([("wizard", "Wizard"), ("cron", "Scheduled")], default="wizard", readonly=True)
    state = fields.Selection([("done", "Done"), ("failed", "Failed")], default="done", readonly=True)
    message = fields.Text(readonly=True)
    count_total = fields.Integer(string="Rows", readonly=True)
    count_new = fields.Integer(string="Created", readonly=True)
    count_updated = fields.Integer(string="Updated", readonly=True)
    count_unchanged = fields.Integer(string="Unchanged", readonly=True)
    count_ambiguous = fields.Integer(string="Ambiguous", readonly=True)
    count_rejected = fields.Integer(string="Rejected", readonly=True)
    rejected_file = fields.Binary(string="Rejected Rows", attachment=True, readonly=True)
    rejected_filename = fields.Char(readonly=True)

    def _compute_display_name(self):
        for log in self:
            log.display_name = f"{log.source_id.name or ''} {fields.Datetime.to_string(log.date) or ''}".strip()
