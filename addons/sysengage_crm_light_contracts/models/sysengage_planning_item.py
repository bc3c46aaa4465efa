from odoo import api, models


class SysengagePlanningItem(models.Model):
    # inherited here so that installing this addon rebuilds the planning view with the contracts
    _inherit = "sysengage.planning.item"

    @api.model
    def _get_activity_models(self):
        # Override of sysengage_crm_light: the activities planned on contracts
        return [*super()._get_activity_models(), "sysengage.contract"]
