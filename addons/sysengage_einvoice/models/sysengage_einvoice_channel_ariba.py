from lxml import etree

from odoo import fields, models

from ..tools import transport
from ..tools.cxml import build_invoice_detail_request, cxml_lines, structure_errors, with_shared_secret
from .sysengage_einvoice_channel import SysengageEinvoiceBuildError


class SysengageEinvoiceChannel(models.Model):
    _inherit = "sysengage.einvoice.channel"

    def _build_files(self, move):
        if self.channel_type != "ariba":
            return super()._build_files(move)
        partner = move.partner_id.commercial_partner_id
        buyer_id = self._require(partner, "sysengage_ariba_network_id", self.env._("Ariba network ID"))
        self._require(partner, "sysengage_ariba_endpoint", self.env._("Ariba endpoint URL"))
        sender_id = self._require(self, "ariba_sender_id", self.env._("Ariba supplier ANID"))
        if not self._sudo_secret("ariba_shared_secret"):
            raise SysengageEinvoiceBuildError(
                self.env._("Ariba shared secret is missing on channel %(channel)s.", channel=self.display_name)
            )
        order_id = move.ref or partner.sysengage_ariba_order_number
        if not order_id:
            raise SysengageEinvoiceBuildError(
                self.env._(
                    "Customer Reference (the buyer's order number) is missing on %(invoice)s and on %(partner)s.",
                    invoice=move.display_name,
                    partner=partner.display_name,
                )
            )
        values = self.env["sysengage.einvoice.document"]._invoice_values(move)
        lang = (move.partner_id.lang or "en_US").replace("_", "-")
        data = {
            "payload_id": f"{move.id}.{move.name}@{move.company_id.id}.sysengage",
            "timestamp": fields.Datetime.now().strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "deployment_mode": self.ariba_deployment_mode or "production",
            "from_id": sender_id,
            "to_id": buyer_id,
            "sender_id": sender_id,
            # the stored and previewed file holds no secret: it is filled in at transport time
            "shared_secret": "",
            "invoice_id": move.name,
            "invoice_date": f"{move.invoice_date.isoformat()}T00:00:00+00:00",
            "purpose": "creditMemo" if move.move_type == "out_refund" else "standard",
            "order_id": order_id,
            "currency": move.currency_id.name,
            "lang": lang,
            "remit_to": self._cxml_party(values["supplier"], move.company_id.vat),
            "bill_to": self._cxml_party(values["customer"], partner.vat),
            "payment_days": (move.invoice_date_due - move.invoice_date).days if move.invoice_date_due else None,
            "lines": cxml_lines(values["lines"]),
            "taxes": values["taxes"],
            "subtotal": values["total_excl"],
            "total_tax": values["total_incl"] - values["total_excl"],
            "total": values["total_incl"],
            "due": move.amount_residual,
        }
        xml = build_invoice_detail_request(data)
        errors = structure_errors(xml)
        if errors:
            raise SysengageEinvoiceBuildError(
                self.env._("The cXML invoice is incomplete: %(errors)s", errors="; ".join(errors))
            )
        return [{"name": f"{self._file_base(move)}.cxml.xml", "raw": xml, "mimetype": "text/xml", "main": True}]

    def _cxml_party(self, address, vat):
        return {
            "name": address.get("company") or "",
            "street": " ".join(filter(None, [address.get("street"), address.get("street2")])),
            "zip": address.get("zip"),
            "city": address.get("city"),
            "country": address.get("country"),
            "vat": vat or "",
        }

    def _transport(self, document, files):
        if self.channel_type != "ariba":
            return super()._transport(document, files)
        partner = document.move_id.partner_id.commercial_partner_id
        ((name, body),) = files.items()
        body = with_shared_secret(body, self._sudo_secret("ariba_shared_secret"))
        _status, text = transport.https_post(
            partner.sysengage_ariba_endpoint,
            body,
            {"Content-Type": "text/xml; charset=UTF-8"},
            ca_pem=self._sudo_secret("tls_ca_cert"),
            timeout=self.timeout,
        )
        try:
            status = etree.fromstring(text.encode()).find(".//Status")
        except etree.XMLSyntaxError:
            status = None
        if status is None:
            raise transport.TransientError(self.env._("The Ariba response is not a cXML status: %s", text[:200]))
        code = int(status.get("code") or 0)
        reason = f"{code} {status.get('text') or ''} {(status.text or '').strip()}".strip()
        if code >= 500:
            raise transport.TransientError(self.env._("Ariba answered %s", reason))
        if code >= 300:
            raise transport.RejectedError(self.env._("Ariba rejected %(file)s: %(reason)s", file=name, reason=reason))
        return {"state": "acknowledged", "message": self.env._("Ariba accepted the invoice: %s", reason)}
