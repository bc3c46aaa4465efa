from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SysengageLdapMapping(models.Model):
    _name = "sysengage.ldap.mapping"
    _description = "Sysengage LDAP Attribute Mapping"
    _order = "directory_id, id"

    directory_id = fields.Many2one("sysengage.ldap.directory", required=True, ondelete="cascade", index=True)
    ldap_attribute = fields.Char(string="LDAP attribute", required=True)
    field_name = fields.Selection(selection="_selection_field_name", string="Contact field", required=True)

    _attribute_unique = models.Constraint(
        "UNIQUE(directory_id, field_name)", "Each contact field can be mapped once per directory."
    )

    @api.model
    def _selection_field_name(self):
        partner_fields = self.env["res.partner"]._fields
        names = ("name", "email", "phone", "function", "street", "street2", "zip", "city", "website", "ref")
        return [
            (name, partner_fields[name].get_description(self.env)["string"]) for name in names if name in partner_fields
        ]

    @api.constrains("ldap_attribute")
    def _check_ldap_attribute(self):
        for mapping in self:
            if not mapping.ldap_attribute.replace("-", "").replace(";", "").isalnum():
                raise ValidationError(
                    self.env._("%(attribute)s is not an LDAP attribute name.", attribute=mapping.ldap_attribute)
                )
