from odoo import api, fields, models

from .product_category import PRODUCT_KINDS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    sysengage_kind = fields.Selection(
        PRODUCT_KINDS,
        string="Service or article",
        compute="_compute_sysengage_kind",
        store=True,
        index=True,
        help="A service is not delivered from stock (product type Service); everything else is an article.",
    )
    sysengage_category_kind = fields.Selection(related="categ_id.sysengage_kind", string="Category kind")
    sysengage_kind_mismatch = fields.Boolean(
        string="Kind differs from category",
        compute="_compute_sysengage_kind_mismatch",
        help="The product is a service in an article category, or the other way round.",
    )

    @api.depends("type")
    def _compute_sysengage_kind(self):
        for template in self:
            template.sysengage_kind = "service" if template.type == "service" else "article"

    @api.depends("sysengage_kind", "categ_id.sysengage_kind")
    def _compute_sysengage_kind_mismatch(self):
        for template in self:
            template.sysengage_kind_mismatch = bool(
                template.categ_id.sysengage_kind and template.categ_id.sysengage_kind != template.sysengage_kind
            )
