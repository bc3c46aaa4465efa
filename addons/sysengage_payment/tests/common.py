from odoo.addons.sysengage_einvoice.tests.common import PLAIN_IBAN, EinvoiceCommon

from .camt_samples import write_camt

__all__ = ["PLAIN_IBAN", "PaymentCommon", "write_camt"]

QR_IBAN = "CH4431999123000889012"


class PaymentCommon(EinvoiceCommon):
    """The company's QR-IBAN on its bank journal, invoices to pay and camt files written for them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("sysengage_payment.group_manager")
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.bank_journal.bank_account_id = cls.qr_iban_account
        cls.other_customer = cls._create_customer(
            "Bernasconi Maria", street="Place de la Gare 12", zip="2502", city="Biel/Bienne"
        )
        cls.env["res.partner.bank"].create({"acc_number": "CH5109000000250092291", "partner_id": cls.other_customer.id})

    @classmethod
    def _camt(cls, transactions, message="camt.054", version="08", msg_id="MSG-0001", batch=True, **kwargs):
        """A camt file crediting the company's QR-IBAN: one batched entry, or one entry per transaction."""
        entries = (
            [{"date": "2026-11-30", "ntry_ref": QR_IBAN, "transactions": transactions}]
            if batch
            else [{"date": "2026-11-30", "transactions": [tx]} for tx in transactions]
        )
        kwargs.setdefault("account", QR_IBAN)
        return write_camt(entries, message=message, version=version, msg_id=msg_id, **kwargs)

    def _import(self, data, file_name="camt.xml", journal=None):
        return self.env["sysengage.payment.import"]._import_file(data, file_name=file_name, journal=journal)

    @staticmethod
    def _qrr_tx(move, amount=None, **vals):
        return {
            "amount": amount if amount is not None else move.amount_total,
            "ref_type": "QRR",
            "ref": move.payment_reference,
            "debtor_name": move.partner_id.name,
            **vals,
        }
