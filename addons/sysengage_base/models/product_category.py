from odoo import api, fields, models

PRODUCT_KINDS = [("service", "Service"), ("article", "Article")]


class ProductCategory(models.Model):
    _inherit = "product.category"

    sysengage_kind = fields.Selection(
        PRODUCT_KINDS,
        string="Kind",
        compute="_compute_sysengage_kind",
        store=True,
        readonly=False,
        recursive=True,
        index=True,
        help="Services or articles: set it on a top category, its sub-categories follow (each may differ).",
    )
    sysengage_service_count = fields.Integer(string="Services", compute="_compute_sysengage_product_counts")
    sysengage_article_count = fields.Integer(string="Articles", compute="_compute_sysengage_product_counts")

    @api.depends("parent_id.sysengage_kind")
    def _compute_sysengage_kind(self):
        for category in self:
            if category.parent_id.sysengage_kind:
                category.sysengage_kind = category.parent_id.sysengage_kind
            elif not category.sysengage_kind:
                category.sysengage_kind = False

    def _compute_sysengage_product_counts(self):
        groups = self.env["product.template"]._read_group(
            [("categ_id", "child_of", self.ids)], ["categ_id", "sysengage_kind"], ["__count"]
        )
        for category in self:
            counts = {"service": 0, "article": 0}
            for categ, kind, count in groups:
                if kind and str(category.id) in (categ.parent_path or "").split("/"):
                    counts[kind] += count
            category.sysengage_service_count = counts["service"]
            category.sysengage_article_count = counts["article"]
