from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.social import normalize_profile_url

SOCIAL_FIELDS = {
    "sysengage_linkedin_url": "linkedin",
    "sysengage_xing_url": "xing",
    "sysengage_x_url": "x",
    "sysengage_facebook_url": "facebook",
    "sysengage_instagram_url": "instagram",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    sysengage_linkedin_url = fields.Char(string="LinkedIn")
    sysengage_xing_url = fields.Char(string="Xing")
    sysengage_x_url = fields.Char(string="X")
    sysengage_facebook_url = fields.Char(string="Facebook")
    sysengage_instagram_url = fields.Char(string="Instagram")
    sysengage_has_social = fields.Boolean(compute="_compute_sysengage_has_social")

    @api.depends(*SOCIAL_FIELDS)
    def _compute_sysengage_has_social(self):
        for partner in self:
            partner.sysengage_has_social = any(partner[fname] for fname in SOCIAL_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._sysengage_normalize_social(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._sysengage_normalize_social(vals)
        return super().write(vals)

    @api.model
    def _sysengage_normalize_social(self, vals):
        """Validate the profile addresses in ``vals`` and store them in their canonical https form."""
        for fname, network in SOCIAL_FIELDS.items():
            if vals.get(fname):
                try:
                    vals[fname] = normalize_profile_url(network, vals[fname])
                except ValueError as error:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(url)s is not a valid profile address (%(reason)s).",
                            field=self._fields[fname].get_description(self.env)["string"],
                            url=vals[fname],
                            reason=str(error),
                        )
                    ) from error
