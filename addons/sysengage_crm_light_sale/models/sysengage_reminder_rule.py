from odoo import api, models


class SysengageReminderRule(models.Model):
    _inherit = "sysengage.reminder.rule"

    @api.model
    def _get_kinds(self):
        # Override of sysengage_crm_light: offers (quotations not confirmed) about to expire
        kinds = super()._get_kinds()
        kinds["offer_expiring"] = {
            "label": self.env._("Offer about to expire"),
            "model": "sale.order",
            "date_field": "validity_date",
            "mode": "before",
            "domain": [("state", "in", ["draft", "sent"])],
            "user_field": "user_id",
        }
        return kinds
