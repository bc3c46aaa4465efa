from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.sysengage_payment.models import sysengage_payment_import as import_module

from .camt_samples import write_camt

SIX_QRR = "210000000003139471430009017"
QR_IBAN = "CH4431999123000889012"


@tagged("post_install", "-at_install")
class TestCamtTour(HttpCase):
    def _setup_qr_bank(self):
        """A CHF bank journal on the QR-IBAN of admin's current company and a customer; returns the environment
        of admin, the customer and the QR-IBAN's bank account."""
        # the tour runs as admin: the data in admin's current company (demo data may give him another than the
        # superuser's)
        env = self.env(user=self.env.ref("base.user_admin"))
        company = env.company
        company.partner_id.write(
            {"street": "Rue du Lac 12", "zip": "1003", "city": "Lausanne", "country_id": env.ref("base.ch").id}
        )
        qr_account = env["res.partner.bank"].search(
            [("sanitized_acc_number", "=", QR_IBAN), ("partner_id", "=", company.partner_id.id)]
        ) or env["res.partner.bank"].create(
            {"acc_number": QR_IBAN, "partner_id": company.partner_id.id, "allow_out_payment": True}
        )
        env.ref("base.CHF").active = True
        # the database's company may keep another currency: a CHF bank journal on the QR-IBAN
        env["account.journal"].create(
            {
                "name": "Bank CHF (tour)",
                "type": "bank",
                "code": "BTOUR",
                "currency_id": env.ref("base.CHF").id,
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
        return env, customer, qr_account

    def _post_invoice(self, env, customer, qr_account, price, **vals):
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-11-20",
                "currency_id": env.ref("base.CHF").id,
                "partner_bank_id": qr_account.id,
                "invoice_line_ids": [
                    Command.create({"name": "Consulting", "quantity": 1, "price_unit": price, "tax_ids": []})
                ],
                **vals,
            }
        )
        move.action_post()
        return move

    def test_import_camt054_and_reconcile_in_the_browser(self):
        env, customer, qr_account = self._setup_qr_bank()
        move = self._post_invoice(env, customer, qr_account, 100.0, payment_reference=SIX_QRR)
        self.assertEqual((move.payment_reference, move.amount_total), (SIX_QRR, 100.0))
        self.start_tour("/odoo", "sysengage_payment_camt_tour", login="admin")
        self.assertEqual(move.payment_state, "paid")
        line = env["sysengage.payment.import.line"].search([("move_id", "=", move.id)])
        self.assertEqual((line.state, line.match_method), ("booked", "qrr"))
        self.assertTrue(line.statement_line_id.is_reconciled)

    def test_large_file_booked_in_the_background_in_the_browser(self):
        env, customer, qr_account = self._setup_qr_bank()
        # QR references given by l10n_ch when the invoices are posted (their bank account is a QR-IBAN)
        moves = [self._post_invoice(env, customer, qr_account, price) for price in (110.0, 120.0, 130.0)]
        self.assertTrue(all(move.payment_reference for move in moves))
        data = write_camt(
            [
                {
                    "date": "2026-11-30",
                    "ntry_ref": QR_IBAN,
                    "transactions": [
                        {
                            "amount": move.amount_total,
                            "ref_type": "QRR",
                            "ref": move.payment_reference,
                            "debtor_name": customer.name,
                        }
                        for move in moves
                    ],
                }
            ],
            account=QR_IBAN,
            msg_id="TOUR-BACKGROUND",
        )
        record = env["sysengage.payment.import"]._import_file(data, file_name="camt054_background.xml")
        self.assertEqual(record.to_book_count, 3)
        url = f"/odoo/action-sysengage_payment.sysengage_payment_import_action/{record.id}"
        # more matched transactions than a request books (the server of the tour runs in this process)
        with patch.object(import_module, "BOOK_NOW_MAX", 2):
            self.start_tour(url, "sysengage_payment_background_booking_tour", login="admin")
        env.invalidate_all()
        self.assertEqual(record.booking_user_id, env.user)
        self.assertEqual(set(record.line_ids.mapped("state")), {"to_book"})
        # the scheduled action the click woke (its commits are the test's transaction)
        with patch.object(type(env["ir.cron"]), "_commit_progress", lambda self, processed=0, **kw: float("inf")):
            self.env["sysengage.payment.import"]._cron_book_queued()
        self.start_tour(url, "sysengage_payment_background_booked_tour", login="admin")
        self.assertEqual(record.state, "done")
        self.assertFalse(record.booking_user_id)
        self.assertEqual({move.payment_state for move in moves}, {"paid"})
