from odoo import api, models


class SysengagePlanningItem(models.Model):
    # inherited here so that installing this addon rebuilds the planning view with the offers
    _inherit = "sysengage.planning.item"

    @api.model
    def _get_activity_models(self):
        # Override of sysengage_crm_light: the activities planned on offers and orders
        return [*super()._get_activity_models(), "sale.order"]
