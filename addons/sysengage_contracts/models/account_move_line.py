from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Only the billing code of this module holds this object: a client cannot put it in a context over
# RPC, so the contract and period of an invoice are set by the billing (or a sudo step) only.
BILLING_TOKEN = object()
# invoice fields binding an invoice (line) to a contract period; cancelling the invoice rewinds it
MOVE_CONTRACT_FIELDS = ("sysengage_contract_id", "sysengage_period_start", "sysengage_period_end")
LINE_CONTRACT_FIELDS = MOVE_CONTRACT_FIELDS + ("sysengage_contract_line_id",)


def is_billing(env):
    """True in the contract billing's own creation of invoices (see ``BILLING_TOKEN``)."""
    return env.context.get("sysengage_contract_billing") is BILLING_TOKEN


def check_contract_fields(records, vals_list, field_names, create=False):
    """Refuse contract/period values from a client (set by the billing only).

    On create only values actually set count (a client may send empty fields); on write any change.
    """
    env = records.env
    if env.su or is_billing(env):
        return
    forced = sorted({name for vals in vals_list for name in field_names if name in vals and (vals[name] or not create)})
    if forced:
        raise UserError(
            env._(
                "The contract and period of an invoice are set by the contract billing only (%(fields)s).",
                fields=", ".join(forced),
            )
        )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    sysengage_contract_id = fields.Many2one(
        "sysengage.contract", string="Contract", copy=False, readonly=True, index="btree_not_null"
    )
    sysengage_contract_line_id = fields.Many2one(
        "sysengage.contract.line", string="Contract Line", copy=False, readonly=True, ondelete="set null"
    )
    sysengage_period_start = fields.Date(string="Contract Period Start", copy=False, readonly=True)
    sysengage_period_end = fields.Date(string="Contract Period End", copy=False, readonly=True)

    # exactly one live invoice line per contract line and period, grouped invoices included
    _sysengage_contract_line_period_uniq = models.UniqueIndex(
        "(sysengage_contract_line_id, sysengage_period_start) "
        "WHERE sysengage_contract_line_id IS NOT NULL AND parent_state != 'cancel'",
        "This contract line is already invoiced for this period.",
    )

    @api.constrains("sysengage_contract_id", "sysengage_contract_line_id", "company_id")
    def _check_sysengage_contract_company(self):
        for line in self.sudo().filtered("sysengage_contract_id"):
            contract = line.sysengage_contract_id
            if contract.company_id != line.move_id.company_id:
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s cannot bill contract %(contract)s of another company.",
                        invoice=line.move_id.display_name,
                        contract=contract.display_name,
                    )
                )
            if line.sysengage_contract_line_id and line.sysengage_contract_line_id.contract_id != contract:
                raise ValidationError(
                    self.env._(
                        "The contract line of an invoice line must belong to its contract %(contract)s.",
                        contract=contract.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_contract_fields(self, vals_list, LINE_CONTRACT_FIELDS, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_contract_fields(self, [vals], LINE_CONTRACT_FIELDS)
        return super().write(vals)
