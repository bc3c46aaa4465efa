from odoo import api, models


class SysengageIndicator(models.Model):
    _inherit = "sysengage.indicator"

    @api.model
    def _get_source_specs(self):
        # Override of sysengage_crm_light: recurring revenue (invoice lines of a contract) and contracts
        specs = super()._get_source_specs()
        invoice_line = dict(specs["invoice_line"])
        invoice_line["measures"] = dict(invoice_line["measures"], recurring_revenue=("balance", -1))
        invoice_line["measure_domains"] = dict(
            invoice_line.get("measure_domains", {}), recurring_revenue=[("sysengage_contract_id", "!=", False)]
        )
        specs["invoice_line"] = invoice_line
        specs["contract"] = {
            "label": self.env._("Contracts"),
            "sequence": 40,
            "model": "sysengage.contract",
            "date": "date_start",
            "customer": "partner_id",
            "sales_rep": "user_id",
            "domain": [("state", "in", ("running", "to_renew"))],
            "measures": {"recurring_revenue": ("mrr", 1), "count": ("__count", 1)},
        }
        return specs
