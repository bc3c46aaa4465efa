from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestContractTour(HttpCase):
    def test_contract_tour(self):
        self.env["res.partner"].create(
            {
                "name": "Tour Kunde AG",
                "is_company": True,
                "street": "Marktgasse 9",
                "zip": "3011",
                "city": "Bern",
                "country_id": self.env.ref("base.ch").id,
            }
        )
        self.env["product.product"].create({"name": "Tour Wartung", "type": "service", "list_price": 250.0})
        self.start_tour("/odoo", "sysengage_contracts_tour", login="admin")
        contract = self.env["sysengage.contract"].search([("partner_id.name", "=", "Tour Kunde AG")])
        self.assertEqual(contract.state, "running")
        moves = self.env["account.move.line"].search([("sysengage_contract_id", "=", contract.id)]).move_id
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves.invoice_date, fields.Date.context_today(contract))
        self.assertEqual(moves.amount_untaxed, 250.0)
