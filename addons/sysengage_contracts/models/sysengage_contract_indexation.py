from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SysengageContractIndexation(models.Model):
    """A price indexation: the agreed prices of the contract move by ``percent`` from ``date`` on.

    Lines priced by the price table move too only with ``apply_to_price_table``.
    """

    _name = "sysengage.contract.indexation"
    _description = "Contract Price Indexation"
    _order = "contract_id, date, id"

    contract_id = fields.Many2one("sysengage.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    date = fields.Date(string="Applies From", required=True, default=fields.Date.context_today)
    percent = fields.Float(string="Change (%)", required=True, digits=(16, 4))
    note = fields.Char(string="Reason", help="E.g. the index used (Swiss CPI, wage index).")
    apply_to_price_table = fields.Boolean(
        string="Also on Price Table Prices",
        help="Also move the lines priced by the price table (or the product's sales price). Leave it off "
        "when the price table already follows the index: the indexation then moves only the agreed "
        "(fixed) prices of the contract.",
    )

    _percent_sane = models.Constraint(
        "CHECK (percent > -100)", "An indexation cannot remove 100 % of the price or more."
    )

    @api.constrains("date", "contract_id", "percent", "apply_to_price_table")
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
