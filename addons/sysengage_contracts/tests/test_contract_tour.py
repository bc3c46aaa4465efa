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
        # the company posts contract invoices at once and does not send them: the user sets this contract to send
        admin = self.env.ref("base.user_admin")
        admin.company_id.write({"sysengage_contract_auto_post": True, "sysengage_contract_auto_send": False})
        self.start_tour("/odoo", "sysengage_contracts_tour", login="admin")
        contract = self.env["sysengage.contract"].search([("partner_id.name", "=", "Tour Kunde AG")])
        self.assertEqual(contract.state, "running")
        self.assertTrue(contract.auto_post)
        self.assertTrue(contract.auto_send)
        moves = self.env["account.move.line"].search([("sysengage_contract_id", "=", contract.id)]).move_id
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves.invoice_date, fields.Date.context_today(contract))
        self.assertEqual(moves.amount_untaxed, 250.0)
        # posted and handed to core's Send & Print job, as the contract's sales rep (else the user who billed)
        self.assertEqual(moves.state, "posted")
        self.assertEqual(moves.sending_data["author_user_id"], (contract.user_id or admin).id)
