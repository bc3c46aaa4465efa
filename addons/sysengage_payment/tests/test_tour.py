from odoo import Command
from odoo.tests import HttpCase, tagged

SIX_QRR = "210000000003139471430009017"


@tagged("post_install", "-at_install")
class TestCamtTour(HttpCase):
    def test_import_camt054_and_reconcile_in_the_browser(self):
        # the tour runs as admin: the data in admin's current company (demo data may give him another than the
        # superuser's)
        env = self.env(user=self.env.ref("base.user_admin"))
        company = env.company
        company.partner_id.write(
            {"street": "Rue du Lac 12", "zip": "1003", "city": "Lausanne", "country_id": env.ref("base.ch").id}
        )
        qr_account = env["res.partner.bank"].search(
            [("sanitized_acc_number", "=", "CH4431999123000889012"), ("partner_id", "=", company.partner_id.id)]
        ) or env["res.partner.bank"].create(
            {"acc_number": "CH4431999123000889012", "partner_id": company.partner_id.id, "allow_out_payment": True}
        )
        chf = env.ref("base.CHF")
        chf.active = True
        # the database's company may keep another currency: a CHF bank journal on the QR-IBAN
        env["account.journal"].create(
            {
                "name": "Bank CHF (tour)",
                "type": "bank",
                "code": "BTOUR",
                "currency_id": chf.id,
                "bank_account_id": qr_account.id,
            }
        )
        customer = env["res.partner"].create(
            {
                "name": "Tour Customer AG",
                "is_company": True,
                "street": "Bahnhofstrasse 1",
                "zip": "8001",
                "city": "Zürich",
                "country_id": env.ref("base.ch").id,
            }
        )
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-11-20",
                "currency_id": chf.id,
                "partner_bank_id": qr_account.id,
                "payment_reference": SIX_QRR,
                "invoice_line_ids": [
                    Command.create({"name": "Consulting", "quantity": 1, "price_unit": 100.0, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        self.assertEqual((move.payment_reference, move.amount_total), (SIX_QRR, 100.0))
        self.start_tour("/odoo", "sysengage_payment_camt_tour", login="admin")
        self.assertEqual(move.payment_state, "paid")
        line = env["sysengage.payment.import.line"].search([("move_id", "=", move.id)])
        self.assertEqual((line.state, line.match_method), ("booked", "qrr"))
        self.assertTrue(line.statement_line_id.is_reconciled)
