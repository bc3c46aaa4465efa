from odoo import models


class ResourceResource(models.Model):
    _name = "resource.resource"
    _inherit = ["resource.resource", "sysengage.ged.record.mixin"]
