from odoo import fields, models


class SaleOrderTemplate(models.Model):
    _inherit = "sale.order.template"

    sysengage_service_type = fields.Char(
        "Type of service",
        help="The kind of service this template offers (one template per type of service and company).",
    )
    sysengage_intro_text = fields.Html("Introduction", translate=True, sanitize_attributes=True)
    sysengage_closing_text = fields.Html("Closing text", translate=True, sanitize_attributes=True)
    sysengage_condition_ids = fields.Many2many(
        "sysengage.offer.condition",
        "sysengage_sale_order_template_condition_rel",
        string="Conditions",
        check_company=True,
    )
    sysengage_create_project = fields.Boolean(
        "Create a project on acceptance",
        help="Offers made from this template create a project with tasks from the accepted service lines.",
    )

    _sysengage_service_type_unique = models.UniqueIndex(
        "(COALESCE(company_id, 0), lower(sysengage_service_type)) WHERE active AND sysengage_service_type IS NOT NULL",
        "There is already an active offer template for this type of service.",
    )
