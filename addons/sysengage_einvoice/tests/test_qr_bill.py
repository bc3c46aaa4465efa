from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.sysengage_einvoice.models.res_partner_bank import ResPartnerBank
from odoo.addons.sysengage_einvoice.tools.qr_reference import is_valid_qrr

from .common import PLAIN_IBAN, EinvoiceCommon

SIX_QRR = "210000000003139471430009017"


@contextmanager
def spy_qr_payloads():
    """The list of the QR-bill payloads (lists of lines) built while the context is open."""
    payloads = []
    original = ResPartnerBank._l10n_ch_get_qr_vals

    def spy(bank, *args):
        lines = original(bank, *args)
        payloads.append(lines)
        return lines

    with patch.object(ResPartnerBank, "_l10n_ch_get_qr_vals", spy):
        yield payloads


@tagged("post_install", "-at_install")
class TestQrBill(EinvoiceCommon):
    def _payload(self, move):
        return move.partner_bank_id._l10n_ch_get_qr_vals(
            move.amount_residual, move.currency_id, move.partner_id, move.payment_reference, move.payment_reference
        )

    def _qr_error(self, move):
        with self.assertRaises(UserError) as error:
            move._sysengage_qr_code_vals()
        return str(error.exception)

    def test_qrr_reserved_at_posting_on_qr_iban(self):
        move = self._post_invoice()
        self.assertEqual(move.partner_bank_id, self.qr_iban_account)
        self.assertTrue(is_valid_qrr(move.payment_reference), move.payment_reference)
        payload = self._payload(move)
        self.assertEqual(payload[27:29], ["QRR", move.payment_reference])
        self.assertEqual(payload[3], "CH4431999123000889012")
        # a re-print builds the same, valid payload
        self.assertTrue(move._sysengage_qr_code_vals())

    def test_legacy_isr_reference_is_kept(self):
        move = self._post_invoice(payment_reference="21 00000 00003 13947 14300 09017")
        self.assertEqual(move.payment_reference, SIX_QRR)
        self.assertEqual(self._payload(move)[28], SIX_QRR)

    def test_wrong_check_digit_names_the_field(self):
        with self.assertRaisesRegex(ValidationError, "Payment Reference.*check digit"):
            self._post_invoice(payment_reference=SIX_QRR[:-1] + "8")
        # the refused invoice was rolled back: drop what the ORM still meant to recompute on it
        self.env.cr.clear()

    def test_free_text_reference_is_moved_to_customer_reference(self):
        move = self._post_invoice(payment_reference="Order 42")
        self.assertTrue(is_valid_qrr(move.payment_reference))
        self.assertEqual(move.ref, "Order 42")

    def test_name_over_the_limit_is_named(self):
        move = self._post_invoice()
        self.customer.name = "Muster " + "A" * 70
        self.assertIn("Debtor name", self._qr_error(move))

    def test_characters_outside_latin_set_are_named(self):
        move = self._post_invoice()
        self.customer.city = "Αθήνα"
        self.assertIn("UltmtDbtr/TwnNm", self._qr_error(move))
        # Latin Extended-A is fine
        self.customer.city = "Łódź"
        self.assertTrue(move._sysengage_qr_code_vals())

    def test_qr_reference_on_plain_iban_is_refused(self):
        plain = self.env["res.partner.bank"].create(
            {"acc_number": PLAIN_IBAN, "partner_id": self.company.partner_id.id, "allow_out_payment": True}
        )
        # refused at posting already (the payment reference names the problem)
        with self.assertRaisesRegex(UserError, "Payment reference 210000000003139471430009017 .*requires a QR-IBAN"):
            self._post_invoice(partner_bank_id=plain.id, payment_reference=SIX_QRR)
        move = self._post_invoice(partner_bank_id=plain.id)
        move.payment_reference = SIX_QRR
        self.assertIn("requires a QR-IBAN", self._qr_error(move))

    def test_invalid_iban_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Account Number.*check digits"):
            self.env["res.partner.bank"].create(
                {"acc_number": "CH4431999123000889013", "partner_id": self.company.partner_id.id}
            )

    def test_swico_billing_information_when_the_customer_wants_it(self):
        move = self._post_invoice(ref="PO-4711")
        self.assertEqual(move._sysengage_qr_billing_information(), "")
        self.customer.sysengage_qr_swico = True
        billing = move._sysengage_qr_billing_information()
        self.assertTrue(billing.startswith("//S1/10/"), billing)
        self.assertIn("/11/261120/20/PO-4711/30/116281710/", billing)
        self.assertIn("/32/2.6:40;8.1:300", billing)
        with spy_qr_payloads() as payloads:
            values = self.env["report.l10n_ch.qr_report_main"]._get_report_values(move.ids)
        self.assertTrue(values["qr_code_urls"][move.id])
        self.assertTrue(payloads)
        self.assertEqual(payloads[-1][31], billing)
        self.assertEqual(payloads[-1][30], "EPD")

    def test_payment_part_default_and_override(self):
        move = self._post_invoice()
        self.assertTrue(move.sysengage_print_payment_part)
        self.customer.sysengage_qr_payment_part = "without"
        self.assertFalse(move.sysengage_print_payment_part)
        move.sysengage_qr_payment_part = "with"
        self.assertTrue(move.sysengage_print_payment_part)
        move.sysengage_qr_payment_part = "default"
        report = self.env["ir.actions.report"]
        self.assertEqual(report._render_qweb_pdf_prepare_streams("l10n_ch.l10n_ch_qr_report", {}, move.ids), {})
