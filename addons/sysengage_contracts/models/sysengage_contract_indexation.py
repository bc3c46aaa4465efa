from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SysengageContractIndexation(models.Model):
    """A price indexation: the fixed prices of the contract move by ``percent`` from ``date`` on."""

    _name = "sysengage.contract.indexation"
    _description = "Contract Price Indexation"
    _order = "contract_id, date, id"

    contract_id = fields.Many2one("sysengage.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    date = fields.Date(string="Applies From", required=True, default=fields.Date.context_today)
    percent = fields.Float(string="Change (%)", required=True, digits=(16, 4))
    note = fields.Char(string="Reason", help="E.g. the index used (Swiss CPI, wage index).")

    _percent_sane = models.Constraint(
        "CHECK (percent > -100)", "An indexation cannot remove 100 % of the price or more."
    )

    @api.constrains("date", "contract_id")
    def _check_date_not_invoiced(self):
        for indexation in self:
            contract = indexation.contract_id
            if contract.next_period_start and indexation.date < contract.next_period_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(name)s is invoiced until %(date)s: an indexation cannot apply to a period "
                        "already invoiced.",
                        name=contract.name,
                        date=fields.Date.to_string(contract.next_period_start),
                    )
                )
