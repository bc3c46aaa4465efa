from odoo import api, fields, models

from ..tools.recurrence import PERIODICITY_MONTHS
from .sysengage_contract_template import PERIODICITY_SELECTION


class ProductTemplate(models.Model):
    _inherit = "product.template"

    sysengage_recurring = fields.Boolean(
        string="Recurring (Contract)",
        help="Sold on a sale order, this product is not invoiced by the order: the confirmed order "
        "creates a contract that bills it on the periodicity below.",
    )
    sysengage_periodicity = fields.Selection(PERIODICITY_SELECTION, string="Billing Periodicity", default="monthly")
    sysengage_interval_months = fields.Integer(string="Billed Every (Months)", default=1)

    @api.onchange("sysengage_periodicity")
    def _onchange_sysengage_periodicity(self):
        for template in self:
            if template.sysengage_periodicity in PERIODICITY_MONTHS:
                template.sysengage_interval_months = PERIODICITY_MONTHS[template.sysengage_periodicity]
