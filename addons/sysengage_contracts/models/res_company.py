from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_contract_group_invoices = fields.Boolean(
        string="Group Contract Invoices per Customer",
        help="Default for new contracts: one invoice per customer and date for all its contracts.",
    )
    sysengage_contract_auto_post = fields.Boolean(
        string="Post Contract Invoices at Once",
        help="Default for new contracts: post the recurring invoices when they are created "
        "(the QR-bill reference exists at once).",
    )
    sysengage_contract_auto_send = fields.Boolean(
        string="Send Invoices at Once",
        help="Default for new contracts posting their invoices at once: hand the posted invoices to the "
        '"Send & Print" background job of Invoicing, which sends each one by the customer\'s sending method.',
    )
