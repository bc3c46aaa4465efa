from odoo import api, models


class SysengageReminderRule(models.Model):
    _inherit = "sysengage.reminder.rule"

    @api.model
    def _get_kinds(self):
        # Override of sysengage_crm_light: running contracts coming to their end date
        kinds = super()._get_kinds()
        kinds["contract_renewal"] = {
            "label": self.env._("Contract up for renewal"),
            "model": "sysengage.contract",
            "date_field": "date_end",
            "mode": "before",
            "domain": [("state", "in", ["running", "to_renew"])],
            "user_field": "user_id",
        }
        return kinds
