from odoo import fields, models


class SysengageLdapSyncLog(models.Model):
    _name = "sysengage.ldap.sync.log"
    _description = "Sysengage LDAP Sync Run"
    _order = "date_start desc, id desc"
    _rec_name = "date_start"

    directory_id = fields.Many2one("sysengage.ldap.directory", required=True, ondelete="cascade", index=True)
    date_start = fields.Datetime(string="Started", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="Ended")
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed")], required=True, default="running"
    )
    entry_count = fields.Integer(string="Entries read")
    created_count = fields.Integer(string="Created")
    updated_count = fields.Integer(string="Updated")
    unchanged_count = fields.Integer(string="Unchanged")
    protected_count = fields.Integer(string="With fields kept", help="Contacts of which a user-edited field was kept.")
    archived_count = fields.Integer(string="Archived", help="Contacts archived because they left the directory.")
    error_count = fields.Integer(string="Refused", help="Entries not synchronised (see the message).")
    message = fields.Text()
