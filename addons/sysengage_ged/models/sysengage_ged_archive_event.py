from odoo import fields, models


class SysengageGedArchiveEvent(models.Model):
    """Something done with an archived invoice that did not change it: printed, sent, handed to a
    dispatch channel. The archive stays one version per posted state; these rows are its history."""

    _name = "sysengage.ged.archive.event"
    _description = "Invoice Archive Event"
    _order = "date desc, id desc"
    _check_company_auto = True

    archive_id = fields.Many2one(
        "sysengage.ged.archive", string="Archive", required=True, readonly=True, index=True, ondelete="cascade"
    )
    move_id = fields.Many2one(related="archive_id.move_id", store=True, index=True)
    company_id = fields.Many2one(related="archive_id.company_id", store=True, index=True)
    event_type = fields.Selection(
        [("print", "Printed"), ("send", "Sent"), ("dispatch", "Prepared for dispatch")],
        string="Event",
        required=True,
        readonly=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="User", default=lambda self: self.env.user, readonly=True)
    sha256 = fields.Char(string="SHA-256 used", readonly=True, help="Hash of the archived file that was used.")
