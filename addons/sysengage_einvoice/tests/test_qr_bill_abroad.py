from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import PLAIN_IBAN, EinvoiceCommon
from .testing_qr import CREDITOR, DEBTORS_ABROAD, QR_IBAN, qr_payload


@tagged("post_install", "-at_install")
class TestQrBillAbroad(EinvoiceCommon):
    """Debtors in any country, EUR and CHF, and every IG 2.3 limit refused on the source field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company.partner_id.name = "Sysengage Démo SA"
        cls.plain_account = cls.env["res.partner.bank"].create(
            {"acc_number": PLAIN_IBAN, "partner_id": cls.company.partner_id.id, "allow_out_payment": True}
        )
        # the debtors abroad of the payload tests, street and house number typed in one field (either order)
        typed_streets = {"DE": "Hauptstraße 5", "FR": "12 rue de la Paix", "IT": "Via Roma 10", "LI": "Städtle 3"}
        cls.debtors = {
            code: cls._create_customer(
                name,
                street=typed_streets[code],
                zip=zip_code,
                city=city,
                country_id=cls.env.ref(f"base.{code.lower()}").id,
            )
            for code, (_type, name, _street, _number, zip_code, city, _country) in DEBTORS_ABROAD.items()
        }

    def _payload(self, move):
        reference = move.payment_reference
        values = (move.amount_residual, move.currency_id, move.partner_id, reference, reference)
        move.partner_bank_id._check_for_qr_code_errors("ch_qr", *values)
        return move.partner_bank_id._get_qr_vals("ch_qr", *values)

    def test_debtors_abroad_chf_and_eur_exact_payloads(self):
        for code, debtor in self.debtors.items():
            for currency in (self.chf, self.eur):
                with self.subTest(country=code, currency=currency.name):
                    move = self._post_invoice(debtor, currency_id=currency.id)
                    self.assertTrue(move.l10n_ch_is_qr_valid)
                    self.assertEqual(
                        self._payload(move),
                        qr_payload(
                            QR_IBAN,
                            CREDITOR,
                            f"{move.amount_residual:.2f}",
                            currency.name,
                            DEBTORS_ABROAD[code],
                            "QRR",
                            move.payment_reference,
                            move.payment_reference,
                        ),
                    )
                    self.assertTrue(move._sysengage_qr_code_vals())

    def test_creditor_reference_on_ordinary_iban(self):
        move = self._post_invoice(
            self.debtors["FR"],
            currency_id=self.eur.id,
            partner_bank_id=self.plain_account.id,
            payment_reference="RF18 5390 0754 7034",
        )
        payload = self._payload(move)
        self.assertEqual(payload[3], PLAIN_IBAN)
        self.assertEqual(payload[27:29], ["SCOR", "RF18539007547034"])

    def test_short_reference_on_ordinary_iban_is_refused_not_retyped(self):
        with self.assertRaisesRegex(UserError, "Payment reference 4711 is neither a QR reference nor a creditor"):
            self._post_invoice(partner_bank_id=self.plain_account.id, payment_reference="4711")
        with self.assertRaisesRegex(UserError, "not a valid creditor reference"):
            self._post_invoice(partner_bank_id=self.plain_account.id, payment_reference="RF19539007547034")
        # free text stays an unstructured message (type NON), as the user typed it
        move = self._post_invoice(partner_bank_id=self.plain_account.id, payment_reference="Order 42 of May")
        self.assertEqual(self._payload(move)[27:30], ["NON", "", "Order 42 of May"])

    def test_every_limit_is_refused_at_posting_naming_field_and_partner(self):
        debtor = self.debtors["DE"]
        cases = [
            (debtor, {"name": "N" * 71}, r"Debtor name of N+ has 71 characters, the QR-bill allows 70"),
            (debtor, {"street": "S" * 71 + " 5"}, r"Debtor street of Müller & Söhne GmbH has 71 characters.*70"),
            (
                debtor,
                {"street": "Hauptstraße 12345678901234567"},
                r"Debtor house number of Müller & Söhne GmbH has 17 characters.*16",
            ),
            (debtor, {"zip": "1" * 17}, r"Debtor ZIP of Müller & Söhne GmbH has 17 characters.*16"),
            (debtor, {"city": "C" * 36}, r"Debtor city of Müller & Söhne GmbH has 36 characters.*35"),
            (debtor, {"city": "Αθήνα"}, r"Debtor city of Müller & Söhne GmbH contains characters.*Α"),
            (
                self.company.partner_id,
                {"street": "S" * 71 + " 12"},
                r"Creditor street of Sysengage Démo SA has 71 characters.*70",
            ),
            (
                self.company.partner_id,
                {"street": "Rue du Lac 12345678901234567"},
                r"Creditor house number of Sysengage Démo SA has 17 characters.*16",
            ),
        ]
        for partner, vals, message in cases:
            with self.subTest(vals=vals):
                saved = {key: partner[key] for key in vals}
                partner.write(vals)
                with self.assertRaisesRegex(UserError, message):
                    self._post_invoice(debtor)
                partner.write(saved)
        with self.assertRaisesRegex(UserError, r"Invoice payment communication has 141 characters.*140"):
            self._post_invoice(debtor, partner_bank_id=self.plain_account.id, payment_reference="M" * 141)
        # 70 / 16 / 140 are accepted and encoded whole
        debtor.write({"name": "N" * 70, "street": "Hauptstraße 1234567890123456"})
        move = self._post_invoice(debtor, partner_bank_id=self.plain_account.id, payment_reference="M" * 140)
        payload = self._payload(move)
        self.assertEqual(payload[21:24], ["N" * 70, "Hauptstraße", "1234567890123456"])
        self.assertEqual(payload[29], "M" * 140)

    def test_invoice_form_warns_before_posting(self):
        self.debtors["IT"].city = "C" * 36
        with Form(self.env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = self.debtors["IT"]
            form.invoice_date = "2026-11-20"
            with form.invoice_line_ids.new() as line:
                line.product_id = self.consulting
            self.assertIn("Debtor city of Società Rossi S.r.l. has 36 characters", form.sysengage_qr_warning)
        move = form.record
        self.debtors["IT"].city = "Milano"
        move.invalidate_recordset(["sysengage_qr_warning"])
        self.assertFalse(move.sysengage_qr_warning)
        move.action_post()
        self.assertFalse(move.sysengage_qr_warning)

    def test_amount_in_words_in_the_invoice_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        self.customer.lang = "fr_FR"
        self.env["res.lang"]._activate_lang("fr_FR")
        words = {}
        for currency in (self.chf, self.eur, usd):
            move = self._create_invoice(
                self.customer,
                [(self.consulting, 1, 100.0)],
                currency_id=currency.id,
                invoice_line_ids=[Command.create({"name": "Work", "quantity": 1, "price_unit": 21.0, "tax_ids": []})],
            )
            words[currency.name] = move.sysengage_amount_words
        self.assertEqual(words["CHF"], "vingt et un francs")
        self.assertEqual(words["EUR"], "vingt et un euros")
        self.assertEqual(words["USD"], "vingt et un dollars américains")
