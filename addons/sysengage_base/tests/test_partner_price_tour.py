from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPartnerPriceTour(HttpCase):
    """The customer file, the hierarchy chart and "why this price?" in the browser."""

    def test_partner_tour(self):
        Partner = self.env["res.partner"]
        holding = Partner.create({"name": "Tour Holding AG", "is_company": True})
        company = Partner.create({"name": "Tour Tochter AG", "is_company": True, "parent_id": holding.id})
        Partner.create({"name": "Tour Kontakt", "parent_id": company.id})
        self.start_tour(f"/odoo/res.partner/{company.id}", "sysengage_partner_tour", login="admin")
        self.assertEqual(company.sysengage_lifecycle_state, "customer")

    def test_price_explain_tour(self):
        customer = self.env["res.partner"].create({"name": "Tour Customer AG", "is_company": True})
        service = self.env["product.product"].create({"name": "Tour Service", "type": "service", "lst_price": 150.0})
        rule_model = self.env["sysengage.price.rule"]
        rule_model.create(
            {
                "customer_scope": "all",
                "article_scope": "all",
                "price_type": "discount",
                "discount": 2.0,
                "currency_id": False,
            }
        )
        rule = rule_model.create(
            {
                "customer_scope": "partner",
                "partner_id": customer.id,
                "article_scope": "product",
                "product_tmpl_id": service.product_tmpl_id.id,
                "price_type": "fixed",
                "fixed_price": 120.0,
                "currency_id": self.env.company.currency_id.id,
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "currency_id": self.env.company.currency_id.id,
                "invoice_line_ids": [Command.create({"product_id": service.id, "quantity": 1.0})],
            }
        )
        self.assertEqual(invoice.invoice_line_ids.sysengage_price_rule_id, rule)
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "sysengage_price_explain_tour",
            login="admin",
        )
