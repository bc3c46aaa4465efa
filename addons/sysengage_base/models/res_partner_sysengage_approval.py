from odoo import fields, models


class ResPartner(models.Model):
    """Customers and suppliers can be approved: rules on a change of fields hold such changes."""

    _name = "res.partner"
    _inherit = ["res.partner", "sysengage.approval.mixin"]

    sysengage_held_bank_changes = fields.Text(
        string="Held Bank Account Changes",
        compute="_compute_sysengage_held_bank_changes",
        help="New or changed bank accounts of this partner waiting for approval.",
    )

    def _compute_sysengage_held_bank_changes(self):
        if not (
            self.env["res.partner.bank"].has_access("read")
            and self.env["sysengage.approval.request"].has_access("read")
        ):
            self.sysengage_held_bank_changes = False
            return
        banks = (
            self.env["res.partner.bank"]
            .with_context(active_test=False)
            .search([("partner_id", "in", [pid for pid in self.ids if isinstance(pid, int)])])
        )
        Request = self.env["sysengage.approval.request"]
        requests = Request._get_for_documents(banks, [("state", "=", "pending")])
        partner_of_bank = {bank.id: bank.partner_id.id for bank in banks}
        lines = {}
        for request in requests:
            text = request.proposed_changes or request.res_name
            lines.setdefault(partner_of_bank.get(request.res_id), []).append(f"{request.res_name}: {text}")
        for partner in self:
            partner.sysengage_held_bank_changes = "\n".join(lines.get(partner.id, [])) or False
