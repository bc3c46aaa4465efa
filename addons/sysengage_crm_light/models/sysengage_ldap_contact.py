from odoo import fields, models


class SysengageLdapContact(models.Model):
    """The link between a directory entry and a contact, with the values the last sync wrote."""

    _name = "sysengage.ldap.contact"
    _description = "Sysengage LDAP Synchronised Contact"
    _order = "directory_id, dn"
    _rec_name = "dn"

    directory_id = fields.Many2one("sysengage.ldap.directory", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    dn = fields.Char(string="DN", required=True)
    key = fields.Char(
        string="Entry identifier",
        index=True,
        help="Stable identifier of the entry (entryUUID, objectGUID), else its DN.",
    )
    partner_active = fields.Boolean(related="partner_id.active", string="Active contact")
    synced_values = fields.Json(help="Values written by the last sync, to detect a user's edits since.")

    _dn_unique = models.Constraint("UNIQUE(directory_id, dn)", "A directory entry is linked to one contact.")
    _key_unique = models.Constraint("UNIQUE(directory_id, key)", "A directory entry is linked to one contact.")
