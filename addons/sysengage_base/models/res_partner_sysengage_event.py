from odoo import models


class ResPartner(models.Model):
    """Customers keep an event history (created, changed, printed, sent, archived)."""

    _name = "res.partner"
    _inherit = ["res.partner", "sysengage.event.mixin"]

    _sysengage_event_fields = (
        "name",
        "is_company",
        "parent_id",
        "ref",
        "company_registry",
        "vat",
        "email",
        "phone",
        "website",
        "street",
        "street2",
        "zip",
        "city",
        "country_id",
        "user_id",
        "category_id",
        "sysengage_lifecycle_state",
    )
