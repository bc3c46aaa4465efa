import io
import json

from odoo import fields, models
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from ..tools import transport
from ..tools.yellowbill import build_yellowbill
from ..tools.yellowbill import validation_errors as yellowbill_errors
from .sysengage_einvoice_channel import SysengageEinvoiceBuildError


class SysengageEinvoiceChannel(models.Model):
    _inherit = "sysengage.einvoice.channel"

    def _sysengage_build_files(self, move):
        if self.channel_type != "ebill":
            return super()._sysengage_build_files(move)
        partner = move.partner_id.commercial_partner_id
        recipient = self._sysengage_require(partner, "sysengage_ebill_recipient_id", self.env._("eBill recipient ID"))
        biller = self._sysengage_require(self, "ebill_biller_id", self.env._("eBill biller ID"))
        pdf = self._sysengage_invoice_pdf(move)
        data = self._sysengage_yellowbill_data(move, biller, recipient, pdf)
        xml = build_yellowbill(data)
        errors = yellowbill_errors(xml)
        if errors:
            raise SysengageEinvoiceBuildError(
                self.env._("The yellowbill XML fails its schema: %(errors)s", errors="; ".join(errors[:5]))
            )
        base = self._sysengage_file_base(move)
        return [
            {"name": f"{base}.xml", "raw": xml, "mimetype": "application/xml", "main": True},
            {"name": f"{base}.pdf", "raw": pdf, "mimetype": "application/pdf", "main": False},
        ]

    def _sysengage_yellowbill_data(self, move, biller, recipient, pdf):
        data = self.env["sysengage.einvoice.document"]._sysengage_invoice_values(move)
        company_partner = move.company_id.partner_id
        return {
            "biller_id": biller,
            "recipient_id": recipient,
            "transaction_id": f"{move.company_id.id}-{move.id}-{move.name}",
            "delivery_date": fields.Date.context_today(self),
            "document_type": "CREDITADVICE" if move.move_type == "out_refund" else "BILL",
            "document_id": move.name,
            "document_date": move.invoice_date,
            "sender": {"address": data["supplier"], "tax_id": company_partner.vat or ""},
            "receiver": {"address": data["customer"], "customer_id": move.partner_id.commercial_partner_id.ref or ""},
            "tax_liability": "VAT" if move.company_id.vat else "FRE",
            "order_reference": move.ref or "",
            "currency": move.currency_id.name,
            "language": (move.partner_id.lang or "de")[:2] if (move.partner_id.lang or "de")[:2] in (
                "de", "fr", "it", "en") else "de",
            "payment": {
                "due_date": move.invoice_date_due or move.invoice_date,
                "iban": move.partner_bank_id.l10n_ch_qr_iban or move.partner_bank_id.sanitized_acc_number or "",
                "creditor_name": move.company_id.name,
                "reference": move.payment_reference or "",
            },
            "lines": data["lines"],
            "taxes": data["taxes"],
            "total_excl": data["total_excl"],
            "total_incl": data["total_incl"],
            "total_due": move.amount_residual,
            "pdf": pdf,
            "pdf_name": f"{self._sysengage_file_base(move)}.pdf",
        }

    def _sysengage_transport(self, document, files):
        if self.channel_type != "ebill":
            return super()._sysengage_transport(document, files)
        if not self.url:
            raise transport.RejectedError(self.env._("API URL is missing on channel %s.", self.display_name))
        xml_name = next(name for name in files if name.endswith(".xml"))
        pdf_name = next(name for name in files if name.endswith(".pdf"))
        body = self._sysengage_pdf_with_attachment(files[pdf_name], xml_name, files[xml_name])
        move = document.move_id
        headers = {
            "Authorization": f"Bearer {self._sysengage_sudo_secret('api_token') or ''}",
            "X-CORRELATION-ID": document.uuid,
            "X-FILENAME": pdf_name[:99],
            "X-BCFORMAT": "yellowbill",
            "X-BCFUNCTION": "creditnote" if move.move_type == "out_refund" else "bill",
            "Content-Type": "application/pdf",
        }
        url = f"{self.url.rstrip('/')}/billers/{self.ebill_biller_id}/business-cases"
        _status, text = transport.https_post(
            url, body, headers, ca_pem=self._sysengage_sudo_secret("tls_ca_cert"), timeout=self.timeout
        )
        try:
            business_case = json.loads(text).get("id")
        except (ValueError, AttributeError):
            business_case = False
        return {"state": "sent", "external_id": business_case, "message": self.env._("Business case created.")}

    def _sysengage_pdf_with_attachment(self, pdf, name, raw):
        reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
        writer = OdooPdfFileWriter()
        writer.cloneReaderDocumentRoot(reader)
        writer.addAttachment(name, raw, subtype="application/xml")
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()

    def _sysengage_fetch_status(self, document):
        """Ask the eBill network for the status of a sent business case; returns (state, message)
        with state in acknowledged/rejected, or False while the recipient has not acted."""
        if self.channel_type != "ebill":
            return super()._sysengage_fetch_status(document)
        url = f"{self.url.rstrip('/')}/billers/{self.ebill_biller_id}/business-cases/{document.external_id}"
        headers = {
            "Authorization": f"Bearer {self._sysengage_sudo_secret('api_token') or ''}",
            "X-CORRELATION-ID": document.uuid,
            "Accept": "application/json",
        }
        _status, text = transport.https_get(
            url, headers, ca_pem=self._sysengage_sudo_secret("tls_ca_cert"), timeout=self.timeout
        )
        try:
            status = json.loads(text).get("status")
        except (ValueError, AttributeError):
            status = None
        if status in ("OPEN", "APPROVED", "COMPLETED"):
            return "acknowledged", self.env._("eBill status: %s", status)
        if status == "REJECTED":
            return "rejected", self.env._("The bill recipient rejected the business case in eBill.")
        return False, False
