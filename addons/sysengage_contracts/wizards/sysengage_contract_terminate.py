from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class SysengageContractTerminate(models.TransientModel):
    _name = "sysengage.contract.terminate"
    _description = "Terminate a Contract"

    contract_id = fields.Many2one("sysengage.contract", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    termination_date = fields.Date(
        string="Last Day Invoiced", required=True, default=fields.Date.context_today
    )
    reason = fields.Text(required=True)
    last_period_start = fields.Date(compute="_compute_last_period")
    last_period_end = fields.Date(compute="_compute_last_period")
    last_period_ratio = fields.Float(string="Pro Rata (%)", compute="_compute_last_period", digits=(16, 2))
    last_period_amount = fields.Monetary(string="Last Period Amount (excl. VAT)", compute="_compute_last_period")

    @api.depends("contract_id", "termination_date")
    def _compute_last_period(self):
        for wizard in self:
            wizard.last_period_start = wizard.last_period_end = False
            wizard.last_period_ratio = wizard.last_period_amount = 0.0
            contract = wizard.contract_id
            if not contract or not wizard.termination_date or wizard.termination_date < contract.date_start:
                continue
            recurrence = contract._sysengage_recurrence(date_end=wizard.termination_date)
            start = contract.next_period_start or contract.date_start
            if start > wizard.termination_date:
                continue
            last = list(recurrence.iter_periods(start))[-1]
            wizard.last_period_start = last.start
            wizard.last_period_end = last.end
            wizard.last_period_ratio = float(last.ratio) * 100.0
            wizard.last_period_amount = contract._sysengage_period_amount(last)

    def _check_termination(self):
        contract = self.contract_id
        if contract.state not in ("running", "to_renew"):
            raise UserError(self.env._("Only a running contract can be terminated."))
        if self.termination_date < contract.date_start:
            raise ValidationError(self.env._("The termination date is before the contract start."))
        invoiced_until = contract.next_period_start and contract.next_period_start - timedelta(days=1)
        if invoiced_until and self.termination_date < invoiced_until:
            raise ValidationError(
                self.env._(
                    "Contract %(name)s is invoiced until %(date)s: terminate it on that day or later "
                    "and issue a credit note for the days already invoiced.",
                    name=contract.name,
                    date=format_date(self.env, invoiced_until),
                )
            )

    def action_terminate(self):
        self.ensure_one()
        self._check_termination()
        contract = self.contract_id
        contract.write(
            {
                "state": "terminated",
                "date_end": self.termination_date,
                "termination_date": self.termination_date,
                "termination_reason": self.reason,
            }
        )
        contract.message_post(
            body=self.env._(
                "Terminated on %(date)s: %(reason)s",
                date=format_date(self.env, self.termination_date),
                reason=self.reason,
            )
        )
        return {"type": "ir.actions.act_window_close"}
