from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sysengage_ged_max_file_size = fields.Integer(related="company_id.sysengage_ged_max_file_size", readonly=False)
    sysengage_ged_archive_enabled = fields.Boolean(related="company_id.sysengage_ged_archive_enabled", readonly=False)
    sysengage_ged_tsa_url = fields.Char(related="company_id.sysengage_ged_tsa_url", readonly=False)
    sysengage_ged_tsa_ca_cert = fields.Binary(related="company_id.sysengage_ged_tsa_ca_cert", readonly=False)
    sysengage_ged_retention_years = fields.Integer(related="company_id.sysengage_ged_retention_years", readonly=False)
    sysengage_ged_cert_file = fields.Binary(
        related="company_id.sysengage_ged_cert_file", readonly=False, groups="base.group_system"
    )
    sysengage_ged_cert_password = fields.Char(
        related="company_id.sysengage_ged_cert_password", readonly=False, groups="base.group_system"
    )
    sysengage_ged_cert_subject = fields.Char(
        related="company_id.sysengage_ged_cert_subject", groups="base.group_system"
    )
