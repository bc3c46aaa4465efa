from odoo import fields, models


class SysengageDispatchFlow(models.Model):
    _inherit = "sysengage.dispatch.flow"

    document_type = fields.Selection(selection_add=[("offer", "Offers")], ondelete={"offer": "cascade"})
