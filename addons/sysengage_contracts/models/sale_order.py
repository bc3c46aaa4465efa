from collections import defaultdict

from odoo import fields, models
from odoo.fields import Command

from ..tools.recurrence import PERIODICITY_MONTHS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # contracts are for the contract users: a salesman or accountant without that group still opens the form
    sysengage_contract_ids = fields.One2many(
        "sysengage.contract", "sale_order_id", string="Contracts", groups="sysengage_contracts.group_user"
    )
    sysengage_contract_count = fields.Integer(
        string="Contract Count", compute="_compute_sysengage_contract_count", groups="sysengage_contracts.group_user"
    )

    def _compute_sysengage_contract_count(self):
        for order in self:
            order.sysengage_contract_count = len(order.sysengage_contract_ids)

    # Override: a confirmed order turns its recurring lines into contracts
    def action_confirm(self):
        result = super().action_confirm()
        # only orders with recurring lines make contracts: a salesman without contract rights confirms the others
        recurring = self.filtered(lambda o: o.state == "sale" and any(o.order_line.mapped("sysengage_recurring")))
        recurring.filtered(lambda o: not o.sysengage_contract_ids)._sysengage_create_contracts()
        return result

    def _sysengage_create_contracts(self):
        vals_list = []
        for order in self:
            by_rule = defaultdict(list)
            for line in order.order_line.filtered("sysengage_recurring"):
                template = line.product_id.product_tmpl_id
                periodicity = template.sysengage_periodicity or "monthly"
                months = PERIODICITY_MONTHS.get(periodicity) or template.sysengage_interval_months or 1
                by_rule[periodicity, months].append(line)
            for (periodicity, months), lines in by_rule.items():
                vals_list.append(order._prepare_sysengage_contract_vals(periodicity, months, lines))
        if not vals_list:
            return self.env["sysengage.contract"]
        contracts = self.env["sysengage.contract"].create(vals_list)
        contracts.action_start()
        for contract in contracts:
            contract.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": contract, "origin": contract.sale_order_id},
                subtype_xmlid="mail.mt_note",
            )
        return contracts

    def _prepare_sysengage_contract_vals(self, periodicity, months, lines):
        self.ensure_one()
        start = self.commitment_date.date() if self.commitment_date else fields.Date.context_today(self)
        return {
            "title": self.client_order_ref or self.name,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "sale_order_id": self.id,
            "date_start": start,
            "periodicity": periodicity,
            "interval_months": months,
            "line_ids": [
                Command.create(
                    {
                        "sequence": line.sequence,
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "quantity": line.product_uom_qty,
                        "price_forced": True,
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                        "tax_ids": [Command.set(line.tax_ids.ids)],
                        "analytic_distribution": line.analytic_distribution,
                    }
                )
                for line in lines
            ],
        }

    def action_sysengage_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_contracts.sysengage_contract_action")
        action["domain"] = [("id", "in", self.sysengage_contract_ids.ids)]
        if len(self.sysengage_contract_ids) == 1:
            action.update({"views": [(False, "form")], "res_id": self.sysengage_contract_ids.id})
        return action
