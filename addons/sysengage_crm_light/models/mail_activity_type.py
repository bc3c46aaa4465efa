from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    sysengage_requires_close_reason = fields.Boolean(
        string="Closed with a reason",
        help="Activities of this type (complaints, incidents) are tracked until they are closed with a reason.",
    )
