from odoo import fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    # the texts of one document, written for its customer: one value whatever the user's language (the
    # template's texts are translated and copied in the customer's language)
    sysengage_intro_text = fields.Html("Introduction", sanitize_attributes=True)
    sysengage_closing_text = fields.Html("Closing text", sanitize_attributes=True)
    sysengage_condition_line_ids = fields.One2many(
        "sysengage.offer.condition.line", "move_id", string="Conditions", copy=True
    )
    sysengage_partner_role_ids = fields.One2many(
        "sysengage.offer.partner", "move_id", string="Partner roles", copy=True
    )

    def action_sysengage_copy_lines(self):
        self.ensure_one()
        if self.state != "draft" or not self.is_sale_document(include_receipts=True):
            raise UserError(self.env._("Lines can only be copied into a draft customer invoice."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Copy lines"),
            "res_model": "sysengage.line.copy.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_target_move_id": self.id},
        }
