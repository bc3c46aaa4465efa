from odoo import api, fields, models

from ..tools.recurrence import PERIODICITY_MONTHS

PERIODICITY_SELECTION = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semiannual", "Semi-annual"),
    ("annual", "Annual"),
    ("custom", "Every N Months"),
]
BILLING_MODE_SELECTION = [("advance", "In Advance"), ("arrears", "In Arrears")]


class SysengageContractTemplate(models.Model):
    _name = "sysengage.contract.template"
    _description = "Contract Template"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    periodicity = fields.Selection(PERIODICITY_SELECTION, required=True, default="monthly")
    interval_months = fields.Integer(string="Every (Months)", default=1)
    billing_mode = fields.Selection(BILLING_MODE_SELECTION, required=True, default="advance")
    invoice_offset = fields.Integer(string="Invoice Date Offset (Days)")
    prorate_first = fields.Boolean(string="First Period Pro Rata")
    duration_months = fields.Integer(string="Duration (Months)", help="Initial duration; 0 for open-ended contracts.")
    notice_months = fields.Integer(string="Notice Period (Months)", default=3)
    auto_renew = fields.Boolean(string="Automatic Renewal", default=True)
    renewal_months = fields.Integer(string="Renewal (Months)", default=12)
    journal_id = fields.Many2one(
        "account.journal", domain="[('type', '=', 'sale')]", check_company=True, string="Sales Journal"
    )
    payment_term_id = fields.Many2one("account.payment.term", check_company=True)
    line_ids = fields.One2many("sysengage.contract.template.line", "template_id", string="Lines", copy=True)
    note = fields.Html(string="Internal Note")

    _interval_positive = models.Constraint(
        "CHECK (interval_months > 0)", "The number of months between two invoices must be positive."
    )

    @api.onchange("periodicity")
    def _onchange_periodicity(self):
        for template in self:
            if template.periodicity in PERIODICITY_MONTHS:
                template.interval_months = PERIODICITY_MONTHS[template.periodicity]
