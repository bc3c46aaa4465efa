from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class SysengageContractRenew(models.TransientModel):
    _name = "sysengage.contract.renew"
    _description = "Renew a Contract"

    contract_id = fields.Many2one("sysengage.contract", required=True, ondelete="cascade")
    current_end = fields.Date(related="contract_id.date_end", string="Current End")
    new_end = fields.Date(string="New End Date", compute="_compute_new_end", store=True, readonly=False)
    indexation_percent = fields.Float(string="Price Change (%)", digits=(16, 4))
    indexation_note = fields.Char(string="Reason of the Change")
    indexation_price_table = fields.Boolean(
        string="Also on Price Table Prices",
        help="Also move the lines priced by the price table (by default only the agreed, fixed prices move).",
    )

    @api.depends("contract_id")
    def _compute_new_end(self):
        for wizard in self:
            contract = wizard.contract_id
            if contract.date_end:
                wizard.new_end = contract.date_end + relativedelta(months=contract.renewal_months or 12)
            else:
                wizard.new_end = False

    def action_renew(self):
        self.ensure_one()
        contract = self.contract_id
        if contract.state not in ("running", "to_renew"):
            raise UserError(self.env._("Only a running contract or a contract to renew can be renewed."))
        if not contract.date_end:
            raise UserError(
                self.env._("Contract %(name)s has no end date: it runs until terminated.", name=contract.name)
            )
        if not self.new_end or self.new_end <= contract.date_end:
            raise ValidationError(self.env._("The new end date must be after the current end date."))
        renewal_start = contract.date_end + relativedelta(days=1)
        contract.write({"date_end": self.new_end, "state": "running"})
        if self.indexation_percent:
            self.env["sysengage.contract.indexation"].create(
                {
                    "contract_id": contract.id,
                    "date": renewal_start,
                    "percent": self.indexation_percent,
                    "note": self.indexation_note or self.env._("Renewal"),
                    "apply_to_price_table": self.indexation_price_table,
                }
            )
        contract.activity_ids.filtered(lambda a: a.summary == self.env._("Contract to renew")).action_done()
        contract.message_post(body=self.env._("Renewed until %(date)s.", date=format_date(self.env, self.new_end)))
        return {"type": "ir.actions.act_window_close"}
