from odoo import api, fields, models

FORECAST_COUNT = 12


class SysengageContractForecast(models.TransientModel):
    """The next invoices of contracts, computed from their recurrence (nothing is invoiced)."""

    _name = "sysengage.contract.forecast"
    _description = "Contract Invoice Forecast"
    _order = "invoice_date, contract_id"

    contract_id = fields.Many2one("sysengage.contract", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="contract_id.partner_id")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    invoice_date = fields.Date(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    ratio = fields.Float(string="Pro Rata (%)", digits=(16, 2))
    amount_untaxed = fields.Monetary(string="Amount (excl. VAT)", currency_field="currency_id")

    @api.model
    def _action_forecast(self, contracts, count=FORECAST_COUNT):
        vals_list = []
        # periods still invoiced after a reopened one are not forecast again
        live = contracts.filtered("has_reopened_periods")._live_period_starts()
        for contract in contracts:
            recurrence = contract._recurrence()
            start = contract.next_period_start or contract.date_start
            skip = live.get(contract.id, set())
            periods = [
                period for period in recurrence.next_periods(start, count + len(skip)) if period.start not in skip
            ]
            for period in periods[:count]:
                vals_list.append(
                    {
                        "contract_id": contract.id,
                        "invoice_date": period.invoice_date,
                        "period_start": period.start,
                        "period_end": period.end,
                        "ratio": float(period.ratio) * 100.0,
                        "amount_untaxed": contract._period_amount(period),
                    }
                )
        records = self.create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice Forecast"),
            "res_model": self._name,
            "view_mode": "list,graph",
            "domain": [("id", "in", records.ids)],
            "context": {"create": False},
        }
