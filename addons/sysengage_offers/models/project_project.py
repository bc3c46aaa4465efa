from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    # the offer the project was made for; its accepted orders all point to this project
    sysengage_offer_id = fields.Many2one(
        "sale.order", string="Offer", copy=False, index="btree_not_null", readonly=True, check_company=True
    )

    def action_sysengage_view_offer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sysengage_offer_id.id,
            "views": [(False, "form")],
        }
