from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import float_round, format_date

from odoo.addons.sysengage_base.models.account_move_line import MOVE_BATCH_TOKEN

from ..models.account_move_line import BILLING_TOKEN
from ..tools.recurrence import Period, credit_ratio, unused_days


class SysengageContractTerminate(models.TransientModel):
    _name = "sysengage.contract.terminate"
    _description = "Terminate a Contract"

    contract_id = fields.Many2one("sysengage.contract", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    termination_date = fields.Date(string="Last Day Invoiced", required=True, default=fields.Date.context_today)
    reason = fields.Text(required=True)
    last_period_start = fields.Date(compute="_compute_last_period")
    last_period_end = fields.Date(compute="_compute_last_period")
    last_period_ratio = fields.Float(string="Pro Rata (%)", compute="_compute_last_period", digits=(16, 2))
    last_period_amount = fields.Monetary(string="Last Period Amount (excl. VAT)", compute="_compute_last_period")
    credit_start = fields.Date(string="Credit From", compute="_compute_credit")
    credit_end = fields.Date(string="Credit Until", compute="_compute_credit")
    credit_days = fields.Integer(string="Days to Credit", compute="_compute_credit")
    credit_amount = fields.Monetary(string="Credit Note Amount (excl. VAT)", compute="_compute_credit")

    @api.depends("contract_id", "termination_date")
    def _compute_last_period(self):
        for wizard in self:
            wizard.last_period_start = wizard.last_period_end = False
            wizard.last_period_ratio = wizard.last_period_amount = 0.0
            contract = wizard.contract_id
            if not contract or not wizard.termination_date or wizard.termination_date < contract.date_start:
                continue
            recurrence = contract._recurrence(date_end=wizard.termination_date)
            start = contract.next_period_start or contract.date_start
            if start > wizard.termination_date:
                continue
            last = list(recurrence.iter_periods(start))[-1]
            wizard.last_period_start = last.start
            wizard.last_period_end = last.end
            wizard.last_period_ratio = float(last.ratio) * 100.0
            wizard.last_period_amount = contract._period_amount(last)

    @api.depends("contract_id", "termination_date")
    def _compute_credit(self):
        for wizard in self:
            wizard.credit_start = wizard.credit_end = False
            wizard.credit_days = 0
            wizard.credit_amount = 0.0
            if not wizard.contract_id or not wizard.termination_date:
                continue
            credits = wizard._credit_lines()
            if not credits:
                continue
            periods = {
                (credit["invoice_line"].sysengage_period_start, credit["invoice_line"].sysengage_period_end)
                for credit in credits
            }
            spans = [unused_days(start, end, wizard.termination_date) for start, end in periods]
            wizard.credit_start = min(first for first, _last, days in spans if days)
            wizard.credit_end = max(last for _first, last, days in spans if days)
            wizard.credit_days = sum(days for _first, _last, days in spans)
            wizard.credit_amount = sum(credit["subtotal"] for credit in credits)

    def _invoiced_lines(self, states=("posted",)):
        """The contract's invoice lines (products) of periods ending after the termination date."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            [
                ("sysengage_contract_id", "=", self.contract_id.id),
                ("sysengage_period_start", "!=", False),
                ("sysengage_period_end", ">", self.termination_date),
                ("parent_state", "in", list(states)),
                ("move_id.move_type", "=", "out_invoice"),
                ("display_type", "=", "product"),
            ],
            order="sysengage_period_start, move_id, sequence, id",
        )

    def _credit_lines(self):
        """What the credit note gives back: one dict per posted invoice line of a period ending after
        the termination date, with the pro rata of its unused days (``tools.recurrence.credit_ratio``)
        and the amounts as the credit note will compute them."""
        self.ensure_one()
        contract = self.contract_id
        currency = contract.currency_id
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        credits = []
        for invoice_line in self._invoiced_lines():
            contract_line = invoice_line.sysengage_contract_line_id
            ratio = credit_ratio(
                invoice_line.sysengage_period_start,
                invoice_line.sysengage_period_end,
                self.termination_date,
                contract_line.date_start or None,
                contract_line.date_end or None,
            )
            if not ratio:
                continue
            price_unit = float_round(invoice_line.price_unit * float(ratio), precision_digits=price_digits)
            subtotal = currency.round(invoice_line.quantity * price_unit * (1 - (invoice_line.discount or 0.0) / 100.0))
            credits.append(
                {
                    "invoice_line": invoice_line,
                    "contract_line": contract_line,
                    "ratio": ratio,
                    "price_unit": price_unit,
                    "subtotal": subtotal,
                }
            )
        return credits

    def _check_termination(self):
        contract = self.contract_id
        if contract.state not in ("running", "to_renew"):
            raise UserError(self.env._("Only a running contract can be terminated."))
        if self.termination_date < contract.date_start:
            raise ValidationError(self.env._("The termination date is before the contract start."))
        drafts = self._invoiced_lines(states=("draft",))
        if drafts:
            periods = sorted({(line.sysengage_period_start, line.sysengage_period_end) for line in drafts})
            raise UserError(
                self.env._(
                    "Contract %(name)s has draft invoices for days after the termination date (periods %(periods)s): "
                    "post them (they are then credited) or cancel them (their periods are then invoiced again up to "
                    "the termination date) first.",
                    name=contract.name,
                    periods=", ".join(
                        self.env._(
                            "%(start)s to %(end)s",
                            start=format_date(self.env, start),
                            end=format_date(self.env, end),
                        )
                        for start, end in periods
                    ),
                )
            )

    def _prepare_credit_note_vals(self, credits):
        """Values of the draft credit note giving back the unused days of ``credits``."""
        self.ensure_one()
        contract = self.contract_id
        lang = contract.partner_invoice_id.lang or self.env.lang
        lang_env = self.with_context(lang=lang).env
        date_cache = {}
        invoices = self.env["account.move"].browse(sorted({credit["invoice_line"].move_id.id for credit in credits}))
        line_commands = []
        for sequence, credit in enumerate(credits, start=1):
            invoice_line = credit["invoice_line"]
            contract_line = credit["contract_line"]
            first, last, _days = unused_days(
                invoice_line.sysengage_period_start, invoice_line.sysengage_period_end, self.termination_date
            )
            if contract_line.date_start and contract_line.date_start > first:
                first = contract_line.date_start
            if contract_line.date_end and contract_line.date_end < last:
                last = contract_line.date_end
            credited = Period(first, last, first, last, first)
            if contract_line:
                name = contract_line._period_description(credited, lang, date_cache)
            else:
                name = invoice_line.name or ""
            name = lang_env._(
                "%(description)s\nUnused days %(start)s to %(end)s (termination on %(date)s)",
                description=name,
                start=format_date(lang_env, first, lang_code=lang),
                end=format_date(lang_env, last, lang_code=lang),
                date=format_date(lang_env, self.termination_date, lang_code=lang),
            )
            vals = {
                "sequence": sequence,
                "product_id": invoice_line.product_id.id,
                "name": name,
                "account_id": invoice_line.account_id.id,
                "quantity": invoice_line.quantity,
                "price_unit": credit["price_unit"],
                "discount": invoice_line.discount,
                "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
                "sysengage_contract_id": contract.id,
                "sysengage_contract_line_id": contract_line.id,
            }
            if invoice_line.analytic_distribution:
                vals["analytic_distribution"] = invoice_line.analytic_distribution
            line_commands.append(Command.create(vals))
        return {
            "move_type": "out_refund",
            "company_id": contract.company_id.id,
            "journal_id": contract.journal_id.id,
            "currency_id": contract.currency_id.id,
            "partner_id": contract.partner_invoice_id.id,
            "invoice_date": fields.Date.context_today(self),
            "fiscal_position_id": invoices[:1].fiscal_position_id.id or contract.fiscal_position_id.id,
            "invoice_user_id": contract.user_id.id,
            "invoice_origin": contract.name,
            "ref": lang_env._(
                "Termination of %(contract)s on %(date)s",
                contract=contract.name,
                date=format_date(lang_env, self.termination_date, lang_code=lang),
            ),
            "reversed_entry_id": invoices.id if len(invoices) == 1 else False,
            "sysengage_contract_id": contract.id,
            "invoice_line_ids": line_commands,
        }

    def action_terminate(self):
        self.ensure_one()
        self._check_termination()
        contract = self.contract_id
        credits = self._credit_lines()
        credit_note = self.env["account.move"]
        if credits:
            credit_note = credit_note.with_context(
                default_move_type="out_refund",
                sysengage_contract_billing=BILLING_TOKEN,
                sysengage_move_batch=MOVE_BATCH_TOKEN,
            ).create(self._prepare_credit_note_vals(credits))
            credit_note = credit_note.with_context(sysengage_contract_billing=False, sysengage_move_batch=False)
        vals = {
            "state": "terminated",
            "date_end": self.termination_date,
            "termination_date": self.termination_date,
            "termination_reason": self.reason,
        }
        day_after = self.termination_date + timedelta(days=1)
        if contract.next_period_start and contract.next_period_start > day_after:
            # the days after the termination are credited: nothing is due after it any more
            vals["next_period_start"] = day_after
        contract.write(vals)
        if credit_note:
            contract.message_post(
                body=self.env._(
                    "Terminated on %(date)s: %(reason)s. Credit note %(credit_note)s gives back %(days)s days "
                    "already invoiced (%(amount)s excl. VAT).",
                    date=format_date(self.env, self.termination_date),
                    reason=self.reason,
                    credit_note=credit_note.display_name,
                    days=self.credit_days,
                    amount=contract.currency_id.format(credit_note.amount_untaxed),
                )
            )
            return {
                "type": "ir.actions.act_window",
                "res_model": "account.move",
                "views": [(False, "form")],
                "res_id": credit_note.id,
            }
        contract.message_post(
            body=self.env._(
                "Terminated on %(date)s: %(reason)s",
                date=format_date(self.env, self.termination_date),
                reason=self.reason,
            )
        )
        return {"type": "ir.actions.act_window_close"}
