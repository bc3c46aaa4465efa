from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Override of base: a new company gets the default payment reminder levels.
    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["sysengage.reminder.level"]._create_defaults(companies)
        return companies
